import { StakeholderKind } from '../domain/enums';
import { Language } from '../domain/language';
import type { ScoredMatch } from '../matching/match.service';
import { buildReasons } from '../matching/reasons';
import { loadExisting, Loaders } from './loaders';
import { sdgTitle } from './resolvers/reference.resolver';

/** A match's reasons in `lang`, with SDG titles and tag labels read through the request's loaders. */
export async function reasonsOf(d: ScoredMatch, loaders: Loaders, lang: Language): Promise<string[]> {
  const [sdgs, tags] = await Promise.all([
    loadExisting(loaders.sdg, d.sharedSdgIds),
    loadExisting(loaders.expertise, [...new Set(d.links.flatMap((l) => [l.needId, l.tagId]))]),
  ]);
  const label = new Map(tags.map((t) => [t.id, t.label]));
  const byHow = (how: string) => d.links.filter((l) => l.how === how);
  return buildReasons(
    {
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
    },
    lang,
  );
}
