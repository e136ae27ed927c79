import { sdgOverlap } from '../sdg-overlap';
import { defineComponent } from './component';

export const sdgComponent = defineComponent({
  name: 'sdg',
  defaultWeight: 0.3,
  description: 'SDG overlap (two-sided)',
  absentValue: 0,
  score: (f) => sdgOverlap(f.sharedSdgs, f.challengeSdgs, f.candidateSdgs),
});
