import { expertiseFit } from '../expertise-fit';
import { defineComponent } from './component';

export const expertiseComponent = defineComponent({
  name: 'expertise',
  defaultWeight: 0.35,
  description: 'Expertise fit: exact, related and similarly spelled tags',
  absentValue: 0,
  score: (f) => expertiseFit(f.creditSum, f.neededCount),
});
