import { StakeholderKind } from '../domain/enums';
import { Expertise } from '../domain/expertise/expertise.entity';
import { Language } from '../domain/language';
import type { ScoredMatch } from '../matching/match.service';
import { buildReasons, ReasonFacts, reasonsFor } from '../matching/reasons';
import { loadExisting, Loaders } from './loaders';
import { sdgTitle } from './resolvers/reference.resolver';

/** A tag's label in `lang`: a seeded tag's own Dutch or French label; a free tag keeps its text. */
export function tagLabel(tag: Expertise, lang: Language): string {
  const own = lang === Language.NL ? tag.labelNl : lang === Language.FR ? tag.labelFr : null;
  return own ?? tag.label;
}

/** A match's facts for its reasons in `lang`, with SDG titles and tag labels read through the request's loaders. */
export async function reasonFactsOf(d: ScoredMatch, loaders: Loaders, lang: Language): Promise<ReasonFacts> {
  const [sdgs, tags] = await Promise.all([
    loadExisting(loaders.sdg, d.sharedSdgIds),
    loadExisting(loaders.expertise, [...new Set(d.links.flatMap((l) => [l.needId, l.tagId]))]),
  ]);
  const label = new Map(tags.map((t) => [t.id, tagLabel(t, lang)]));
  const byHow = (how: string) => d.links.filter((l) => l.how === how);
  return {
    sharedSdgs: sdgs.map((s) => ({ code: s.code, title: sdgTitle(s, lang) })),
    exact: byHow('exact').map((l) => label.get(l.tagId) ?? ''),
    related: byHow('related').map((l) => ({ label: label.get(l.tagId) ?? '', need: label.get(l.needId) ?? '' })),
    similar: byHow('similar').map((l) => ({ label: label.get(l.tagId) ?? '', need: label.get(l.needId) ?? '' })),
    distanceKm: d.distanceKm,
    radiusKm: d.radiusKm,
    coarseDistance: d.kind === StakeholderKind.FAMILY,
    candidateContexts: d.candidateContexts,
    levelsMatch: d.levelsMatch,
    sharedLanguages: d.sharedLanguages,
    record: d.record,
    room: d.room,
  };
}

/** A match's reasons in `lang`, as a coordinator reads them. */
export async function reasonsOf(d: ScoredMatch, loaders: Loaders, lang: Language): Promise<string[]> {
  return buildReasons(await reasonFactsOf(d, loaders, lang), lang);
}

/** Only the reasons that argue for the partnership (reasons.ts `STANCE`): what an invitation names. */
export async function argumentsOf(d: ScoredMatch, loaders: Loaders, lang: Language): Promise<string[]> {
  return reasonsFor(await reasonFactsOf(d, loaders, lang), lang);
}
