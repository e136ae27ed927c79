/**
 * One-click answers from an invitation e-mail. Each mailed invitation carries two links (accept,
 * decline); each is a random token of which only the SHA-256 hash is stored, so the link carries no
 * personal data and the table gives none away. A link opens a page that shows the invitation and
 * asks to confirm (reading never answers: mail scanners open links); confirming answers exactly as
 * `respondToInvitation` does, as the partner's own word (evidence.ts). Tokens are single-use per
 * invitation (answering uses up every link of it) and expire with it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { PartnershipStatus } from '../enums';
import { DomainError, DomainErrorCode } from '../errors';
import { publicName } from '../stakeholder/privacy';
import { Stakeholder } from '../stakeholder/stakeholder.entity';
import { Challenge } from '../challenge/challenge.entity';
import { inTransaction } from '../unit-of-work';
import { PARTNER_BY_MAIL } from './evidence';
import { Partnership } from './partnership.entity';
import { respondToInvitation } from './partnership.service';

/** Longest token text looked up (the issued ones are 43 characters). @default 64 */
export const MAX_TOKEN_LENGTH = 64;

const hashOf = (token: string): Buffer => createHash('sha256').update(token).digest();

/** Issues a fresh accept and decline link for an open invitation (in the caller's transaction). */
export async function issueAnswerTokens(
  m: EntityManager,
  partnershipId: string,
  expiresAt: Date,
): Promise<{ accept: string; decline: string }> {
  const accept = randomBytes(32).toString('base64url');
  const decline = randomBytes(32).toString('base64url');
  await m.query(
    `INSERT INTO answer_token (token_hash, partnership_id, accept, expires_at)
     VALUES ($1, $3, true, $4), ($2, $3, false, $4)`,
    [hashOf(accept), hashOf(decline), partnershipId, expiresAt],
  );
  return { accept, decline };
}

/** What an answer page shows: the invitation a token answers, and whether it still can. */
export interface AnswerLink {
  state: 'open' | 'used' | 'expired' | 'closed';
  accept: boolean;
  partnership: Partnership;
  challenge: Challenge;
  /** The school's name as anyone may see it (a family's masked). */
  schoolName: string;
  partner: Stakeholder;
}

const wellFormed = (token: string) => token.length <= MAX_TOKEN_LENGTH && /^[A-Za-z0-9_-]+$/.test(token);

/** The invitation a token answers, or undefined for a token that was never issued. */
export async function readAnswerLink(
  m: EntityManager,
  token: string,
  now: Date = new Date(),
  lock = false,
): Promise<AnswerLink | undefined> {
  if (!wellFormed(token)) return undefined;
  const [row]: { partnership_id: string; accept: boolean; expires_at: Date; used_at: Date | null }[] = await m.query(
    `SELECT partnership_id, accept, expires_at, used_at FROM answer_token WHERE token_hash = $1
     ${lock ? 'FOR UPDATE' : ''}`,
    [hashOf(token)],
  );
  if (!row) return undefined;
  const partnership = await m.findOneByOrFail(Partnership, { id: row.partnership_id });
  const challenge = await m.findOneByOrFail(Challenge, { id: partnership.challengeId });
  const school = await m.findOneByOrFail(Stakeholder, { id: challenge.schoolId });
  const partner = await m.findOneByOrFail(Stakeholder, { id: partnership.stakeholderId });
  const state = row.used_at
    ? 'used'
    : partnership.status !== PartnershipStatus.INVITED
      ? 'closed'
      : new Date(row.expires_at) <= now
        ? 'expired'
        : 'open';
  return { state, accept: row.accept, partnership, challenge, schoolName: publicName(school), partner };
}

/**
 * Answers the invitation a token belongs to, as the partner (one transaction): uses up every link
 * of the invitation, then records the answer as `respondToInvitation` does.
 */
export async function answerWithToken(db: EntityManager, token: string, now: Date = new Date()): Promise<AnswerLink> {
  return inTransaction(db, async (m) => {
    const link = await readAnswerLink(m, token, now, true);
    if (!link)
      throw new DomainError(DomainErrorCode.NotFound, 'token is not an answer link this service sent', 'token');
    if (link.state !== 'open')
      throw new DomainError(DomainErrorCode.Conflict, `token answers an invitation that is ${link.state}`, 'token');
    await m.query('UPDATE answer_token SET used_at = $2 WHERE partnership_id = $1 AND used_at IS NULL', [
      link.partnership.id,
      now,
    ]);
    const partnership = await respondToInvitation(m, link.partnership.id, link.accept, undefined, PARTNER_BY_MAIL);
    return { ...link, partnership, state: 'used' };
  });
}
