import { NEUTRAL } from '../track';
import { defineComponent } from './component';

export const trackComponent = defineComponent({
  name: 'track',
  defaultWeight: 0.05,
  description:
    'Track record: answers and completed projects as a Bayesian average from the network’s own mean, ' +
    'so a newcomer starts in the middle',
  // Events stored before the track record existed: a newcomer's neutral value.
  absentValue: NEUTRAL,
  score: (f) => f.candidateTrack,
});
