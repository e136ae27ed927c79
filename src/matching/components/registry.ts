/**
 * The score components, in one list. Everything that names them derives from here: the weights
 * and their defaults, the GraphQL `MatchWeightsInput` and `ScoreBreakdown` with their
 * documentation, the reference scorer, the values filled into events stored before a component
 * existed, and the parity tests. Adding a component is its file plus one line below; the match
 * index's ranking (index/rank.ts), an optimised twin of the reference, is held equal to it by
 * tests that walk this list.
 */
import { expertiseComponent } from './expertise.component';
import { inclusionComponent } from './inclusion.component';
import { kindComponent } from './kind.component';
import { proximityComponent } from './proximity.component';
import { sdgComponent } from './sdg.component';
import { trackComponent } from './track.component';

export const REGISTRY = [
  sdgComponent,
  expertiseComponent,
  proximityComponent,
  kindComponent,
  inclusionComponent,
  trackComponent,
] as const;

/** A component's name. */
export type ComponentName = (typeof REGISTRY)[number]['name'];

/** One value per component, each in [0, 1]. */
export type Components = Record<ComponentName, number>;

/** The component names, in the registry's order. */
export const COMPONENTS: readonly ComponentName[] = REGISTRY.map((c) => c.name);

/** Default weights: relevance first; inclusion and track record as tie-breakers. */
export const DEFAULT_WEIGHTS: Readonly<Components> = Object.freeze(
  Object.fromEntries(REGISTRY.map((c) => [c.name, c.defaultWeight])) as Components,
);
