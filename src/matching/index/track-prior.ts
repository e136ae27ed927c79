/**
 * The track record's prior as ranking sees it: the network's mean outcome (track.ts), published
 * into the index only at a load and by the scheduled refresh (track-prior-refresh.ts), never by a
 * write. An answer anywhere in the network then moves no other partner's score until the refresh.
 */
import { networkPrior } from '../track';
import { MatchIndex } from './match-index';
import { PRIOR_SLOT } from './column-codes';

/** A network's track record evidence: outcomes in whole tenths, and how many. */
export interface TrackEvidence {
  tenths: number;
  observations: number;
}

/** The evidence the index holds now (kept exact on every write: whole tenths). */
export function indexEvidence(index: MatchIndex): TrackEvidence {
  return { tenths: index.trackTotals[0], observations: index.trackTotals[1] };
}

/**
 * Publishes the prior ranking uses: the mean of `evidence` (the refresh passes the database's, so
 * every instance publishes the same number); call it under the index's write lock.
 * @default evidence the index's own totals
 */
export function publishTrackPrior(index: MatchIndex, evidence: TrackEvidence = indexEvidence(index)): void {
  index.lock.assertWritable();
  index.trackTotals[PRIOR_SLOT] = networkPrior(evidence.tenths, evidence.observations);
}
