/**
 * Availability: how many more projects a partner can take on, counting what it has been asked for
 * as well as what it has taken on, so that the partners everyone knows stop collecting invitations
 * they cannot take while partners with room wait.
 *
 *   room = capacity − accepted partnerships − open invitations (PROPOSED or INVITED, not yet answered)
 *
 * A partner without room (room ≤ 0) is not suggested, for any challenge; it comes back as soon as
 * an invitation is declined, withdrawn or expires, or a project completes (each is a partnership
 * change in the outbox, which re-reads its counts). Reasons say the room left ("Has room for 2 more
 * projects"). The rule reads only the partner's own counts, never its community or its history, so
 * it cannot push underserved partners down; the ranking evaluation (bench/eval-ranking.ts) reports
 * their exposure before and after it.
 */

/** Statuses that take up a partner's room: taken on, or asked and not answered yet. */
export const ROOM_TAKING_STATUSES = ['ACCEPTED', 'PROPOSED', 'INVITED'] as const;

/** Projects a partner can still take on (see the file's comment); 0 when it has none. */
export function roomOf(capacity: number, taken: number): number {
  return Math.max(0, capacity - taken);
}

/**
 * SQL counting each partner's room-taking partnerships (`$1`, when `only`, is an array of
 * stakeholder ids): rows (id, n).
 */
export const takenCountSql = (only: boolean): string =>
  `SELECT stakeholder_id AS id, count(*)::int AS n FROM partnership
   WHERE status IN (${ROOM_TAKING_STATUSES.map((s) => `'${s}'`).join(', ')})
     ${only ? 'AND stakeholder_id = ANY($1::uuid[])' : ''}
   GROUP BY stakeholder_id`;
