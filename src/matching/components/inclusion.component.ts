import { inclusion } from '../inclusion';
import { defineComponent } from './component';

export const inclusionComponent = defineComponent({
  name: 'inclusion',
  defaultWeight: 0.05,
  description: 'Bonus for underserved communities on either side',
  absentValue: 0,
  score: (f) => inclusion(f.schoolContexts, f.candidateContexts),
});
