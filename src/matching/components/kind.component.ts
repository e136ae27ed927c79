import { fitOfCounts, NEUTRAL_FIT } from '../preference-fit';
import { defineComponent } from './component';

export const kindComponent = defineComponent({
  name: 'kind',
  // Wanted kinds are already a hard filter, so this mostly weighs levels and languages.
  defaultWeight: 0.05,
  description: 'Wanted kind, education levels and languages',
  absentValue: NEUTRAL_FIT,
  score: (f) => fitOfCounts(f.preferencesStated, f.preferencesMet),
});
