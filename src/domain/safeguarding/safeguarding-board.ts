/**
 * Safeguarding on a coordinator's board: verified checks that stop counting within 30 days, held
 * by partners with open or accepted partnerships on the hub's challenges; and accepted
 * partnerships on the hub's challenges that need a check the partner does not hold. SQL narrows
 * (bounded); the rule itself is safeguarding.ts's, applied here to the rows.
 */
import { EntityManager } from 'typeorm';
import { CheckType, PupilContact } from '../enums';
import {
  acceptedTypeMask,
  CheckPolicy,
  checkRequirement,
  CHECK_TYPES,
  holdsCheck,
  validUntil,
} from '../../matching/safeguarding';
import { checkDaysOf } from '../../matching/index/load-index';

/**
 * Days ahead a check's end shows on the board.
 * @default 30
 */
export const EXPIRY_NOTICE_DAYS = 30;

/**
 * Rows each safeguarding list of the board shows.
 * @default 50
 */
export const SAFEGUARDING_BOARD_ROWS = 50;
/** Rows read to find them (the rule is applied to these in memory). */
const READ = 500;

export interface SafeguardingBoard {
  checksExpiring: { stakeholderId: string; checkId: string; type: CheckType; validUntil: string }[];
  uncheckedPartnerships: { partnershipId: string; challengeId: string }[];
}

type Policy = CheckPolicy & { levels: PupilContact[] };

export async function safeguardingBoard(m: EntityManager, hubId: string, now = new Date()): Promise<SafeguardingBoard> {
  const [policy]: Policy[] = await m.query(
    `SELECT check_contact_levels AS levels, check_types AS types, check_max_age_months AS "maxAgeMonths",
       left(region_code, 2) AS country FROM hub WHERE id = $1`,
    [hubId],
  );
  const today = now.toISOString().slice(0, 10);
  const last = new Date(now.getTime() + EXPIRY_NOTICE_DAYS * 86_400_000).toISOString().slice(0, 10);
  const typeMask = acceptedTypeMask(policy);
  // Issued at most `months` (plus a margin the exact rule below removes) before the notice's end.
  const expiring: { stakeholderId: string; checkId: string; type: CheckType; issued: string }[] = await m.query(
    `SELECT DISTINCT k.stakeholder_id AS "stakeholderId", k.id AS "checkId", k.type,
       to_char(k.issued_on, 'YYYY-MM-DD') AS issued
     FROM safeguarding_check k
     WHERE k.verified_at IS NOT NULL
       AND k.issued_on BETWEEN ($3::date - make_interval(months => $2) - interval '3 days')::date
         AND ($4::date - make_interval(months => $2) + interval '3 days')::date
       AND EXISTS (SELECT 1 FROM partnership p JOIN challenge c ON c.id = p.challenge_id
         WHERE c.hub_id = $1 AND p.stakeholder_id = k.stakeholder_id
           AND p.status IN ('PROPOSED', 'INVITED', 'ACCEPTED'))
     ORDER BY issued, k.id LIMIT ${READ}`,
    [hubId, policy.maxAgeMonths, today, last],
  );
  const checksExpiring = expiring
    .filter((k) => (typeMask >>> CHECK_TYPES.indexOf(k.type)) & 1)
    .map((k) => ({ ...k, validUntil: validUntil(k.issued, policy.maxAgeMonths) }))
    .filter((k) => k.validUntil >= today && k.validUntil <= last)
    .slice(0, SAFEGUARDING_BOARD_ROWS)
    .map(({ stakeholderId, checkId, type, validUntil: end }) => ({ stakeholderId, checkId, type, validUntil: end }));
  // Accepted partnerships on challenges whose contact the policy names; the partners' checks as the
  // match index reads them (one statement for all of them).
  const accepted: {
    partnershipId: string;
    challengeId: string;
    stakeholderId: string;
    contact: PupilContact;
    plannedEnd: string | null;
  }[] = await m.query(
    `SELECT p.id AS "partnershipId", c.id AS "challengeId", p.stakeholder_id AS "stakeholderId",
       c.pupil_contact AS contact, to_char(c.planned_end_on, 'YYYY-MM-DD') AS "plannedEnd"
     FROM partnership p JOIN challenge c ON c.id = p.challenge_id
     WHERE c.hub_id = $1 AND p.status = 'ACCEPTED' AND c.phase <> 'COMPLETED'
       AND c.pupil_contact = ANY($2::text[])
     ORDER BY p.updated_at DESC, p.id LIMIT ${READ}`,
    [hubId, policy.levels],
  );
  const checks = await checkDaysOf(m, [...new Set(accepted.map((a) => a.stakeholderId))]);
  const none = new Uint16Array(CHECK_TYPES.length);
  const uncheckedPartnerships = accepted
    .filter((a) => {
      const req = checkRequirement(a.contact, policy, a.plannedEnd, now);
      const days = checks.get(a.stakeholderId);
      return req !== null && !holdsCheck(days ? Uint16Array.from(days) : none, 0, req.typeMask, req.fromDay);
    })
    .slice(0, SAFEGUARDING_BOARD_ROWS)
    .map(({ partnershipId, challengeId }) => ({ partnershipId, challengeId }));
  return { checksExpiring, uncheckedPartnerships };
}
