/**
 * Live matching for an import: every new stakeholder is matched on the index and its new
 * matches stored in batches, then the instances hear about it in a few messages — one range of
 * match events, and the new partners a hundred at a time — not one message per row.
 */
import { DataSource } from 'typeorm';
import { MatchIndex } from '../matching/index/match-index';
import { recordMatches } from './match-events';
import { BusMessage } from './topics';

/** New stakeholders matched per transaction. */
export const IMPORT_MATCH_BATCH = 500;
/** New partners named per bus message (a PostgreSQL NOTIFY carries at most 8 kB). */
export const PARTNERS_PER_MESSAGE = 100;

export async function matchImported(
  dataSource: DataSource,
  index: MatchIndex,
  stakeholderIds: readonly string[],
  publish: (message: BusMessage) => Promise<void>,
): Promise<void> {
  let from: number | undefined;
  let to: number | undefined;
  for (let i = 0; i < stakeholderIds.length; i += IMPORT_MATCH_BATCH) {
    const chunk = stakeholderIds.slice(i, i + IMPORT_MATCH_BATCH);
    const range = await recordMatches(dataSource, index, { stakeholderIds: chunk }, 'STAKEHOLDER_CHANGED');
    if (range) {
      from ??= range.from;
      to = range.to;
    }
  }
  if (from !== undefined && to !== undefined) await publish({ kind: 'matches', from, to });
  for (let i = 0; i < stakeholderIds.length; i += PARTNERS_PER_MESSAGE) {
    await publish({ kind: 'partners-joined', stakeholderIds: stakeholderIds.slice(i, i + PARTNERS_PER_MESSAGE) });
  }
}
