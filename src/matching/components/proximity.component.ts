import { proximity } from '../proximity';
import { defineComponent } from './component';

export const proximityComponent = defineComponent({
  name: 'proximity',
  defaultWeight: 0.2,
  description: '1 at the challenge, 0.5 at its radius, fading smoothly beyond',
  absentValue: 0,
  score: (f) => proximity(f.distanceKm, f.radiusKm),
});
