/**
 * Invitations by e-mail: the invitation itself when it goes out, a reminder half-way, and a word
 * to the inviting side when it expires. Each is a job queued by the outbox relay (or the sweep),
 * so a mail hangs off the committed change, never off the caller.
 */
import { DataSource, EntityManager } from 'typeorm';
import { Challenge } from '../domain/challenge/challenge.entity';
import { managingHubsSql } from '../domain/challenge/managing-hubs';
import { PartnershipStatus, StakeholderKind } from '../domain/enums';
import { Hub } from '../domain/hub/hub.entity';
import { Language } from '../domain/language';
import { issueAnswerTokens } from '../domain/partnership/answer-link.service';
import { Partnership } from '../domain/partnership/partnership.entity';
import { publicName } from '../domain/stakeholder/privacy';
import { Stakeholder } from '../domain/stakeholder/stakeholder.entity';
import { createLoaders } from '../graphql/loaders';
import { argumentsOf } from '../graphql/match-reasons';
import { MatchIndex } from '../matching/index/match-index';
import { matchOfPairOnIndex } from '../matching/suggest.service';
import { Mailer } from '../mail/mailer';
import { invitationExpiredMail, invitationMail, reminderMail } from '../mail/messages';
import { Logger } from '../log/logger';

/** What the invitation mails need. */
export interface InvitationMailDeps {
  dataSource: DataSource;
  index: MatchIndex;
  mailer: Mailer;
  log: Logger;
  /** Where links point, e.g. https://matchmaker.example (no trailing slash). */
  publicUrl: string;
}

/** The language to write to a stakeholder in: the first of its languages we write, else English. */
export function languageFor(languages: readonly string[]): Language {
  for (const code of languages) {
    const lang = code.slice(0, 2).toUpperCase();
    if (lang in Language) return lang as Language;
  }
  return Language.EN;
}

/**
 * Whether the service may write to a stakeholder's contact address: any organisation that gave
 * one; a family only when it consented (it is never written to otherwise).
 */
export function mayMail(s: Stakeholder): s is Stakeholder & { contactEmail: string } {
  if (!s.contactEmail || s.erasedAt) return false;
  return s.kind !== StakeholderKind.FAMILY || s.consentGivenAt !== null;
}

async function hubOf(m: EntityManager, challenge: Challenge): Promise<Hub | null> {
  const [row]: { id: string }[] = await m.query(
    `SELECT h.id FROM challenge c JOIN hub h ON h.id = ANY(${managingHubsSql('c')})
     WHERE c.id = $1 ORDER BY h.invitation_ttl_days, h.id LIMIT 1`,
    [challenge.id],
  );
  return row ? m.findOneByOrFail(Hub, { id: row.id }) : null;
}

/**
 * Mails an open invitation (or its reminder) to the partner, with fresh answer links. The links are
 * stored (committed) before the mail leaves, so a partner who clicks at once finds them; the
 * invitation is marked mailed after it left. A send that fails is tried again by the job with new
 * links (the unsent ones are never known to anyone); a crash between the send and the mark mails
 * it twice, never not at all.
 */
async function mailInvitation(deps: InvitationMailDeps, partnershipId: string, kind: 'invitation' | 'reminder') {
  const prepared = await deps.dataSource.transaction(async (m) => {
    // NO KEY UPDATE: answers and the expiry sweep wait (or skip); links referencing it may be written.
    const p = await m.findOne(Partnership, { where: { id: partnershipId }, lock: { mode: 'for_no_key_update' } });
    // Answered, withdrawn or expired meanwhile, or mailed already by an earlier try of this job.
    if (!p || p.status !== PartnershipStatus.INVITED || !p.expiresAt) return undefined;
    // The invitation once; a reminder (queued once by the sweep) only after the invitation was mailed.
    const [sent]: { mailed_at: Date | null }[] = await m.query(
      'SELECT mailed_at FROM invitation_mail WHERE partnership_id = $1',
      [p.id],
    );
    if (kind === 'invitation' ? sent?.mailed_at : !sent?.mailed_at) return undefined;
    const partner = await m.findOneByOrFail(Stakeholder, { id: p.stakeholderId });
    if (!mayMail(partner)) return undefined;
    const challenge = await m.findOneByOrFail(Challenge, { id: p.challengeId });
    const school = await m.findOneByOrFail(Stakeholder, { id: challenge.schoolId });
    const hub = await hubOf(m, challenge);
    const lang = languageFor(partner.languages);
    const match = deps.index.loaded
      ? await matchOfPairOnIndex(deps.index, challenge.id, partner.id, (ids) =>
          m.findBy(
            Stakeholder,
            ids.map((id) => ({ id })),
          ),
        )
      : null;
    const reasons = match ? await argumentsOf(match, createLoaders(deps.dataSource), lang) : [];
    const links = await issueAnswerTokens(m, p.id, p.expiresAt);
    const facts = {
      lang,
      partnerName: partner.name,
      challengeTitle: challenge.title,
      challengeDescription: challenge.description,
      schoolName: publicName(school),
      hubName: hub?.name ?? null,
      message: p.message,
      reasons,
      acceptUrl: `${deps.publicUrl}/answer/${links.accept}`,
      declineUrl: `${deps.publicUrl}/answer/${links.decline}`,
      expiresAt: p.expiresAt,
      timeZone: hub?.timeZone ?? 'Europe/Brussels',
    };
    const message = kind === 'invitation' ? invitationMail(facts) : reminderMail(facts);
    return { to: partner.contactEmail, lang, message };
  });
  if (!prepared) return;
  await deps.mailer.send({ to: prepared.to, lang: prepared.lang, ...prepared.message });
  if (kind === 'invitation')
    await deps.dataSource.query(
      `INSERT INTO invitation_mail (partnership_id, mailed_at) VALUES ($1, now())
       ON CONFLICT (partnership_id) DO UPDATE SET mailed_at = coalesce(invitation_mail.mailed_at, now())`,
      [partnershipId],
    );
  deps.log.info('invitation mailed', { partnership: partnershipId, kind });
}

/** Mails the invitation that just went out. */
export const mailNewInvitation = (deps: InvitationMailDeps, partnershipId: string) =>
  mailInvitation(deps, partnershipId, 'invitation');

/** Mails the half-way reminder of an invitation. */
export const mailReminder = (deps: InvitationMailDeps, partnershipId: string) =>
  mailInvitation(deps, partnershipId, 'reminder');

/** Tells the coordinators of the challenge's hubs (those with an address) that an invitation expired. */
export async function mailExpired(deps: InvitationMailDeps, partnershipId: string): Promise<void> {
  const m = deps.dataSource.manager;
  const p = await m.findOneBy(Partnership, { id: partnershipId });
  if (!p || p.status !== PartnershipStatus.EXPIRED) return;
  const challenge = await m.findOneByOrFail(Challenge, { id: p.challengeId });
  const partner = await m.findOneByOrFail(Stakeholder, { id: p.stakeholderId });
  const coordinators: { name: string; email: string; time_zone: string; hub_id: string }[] = await m.query(
    `SELECT hc.name, hc.email, h.time_zone, h.id AS hub_id FROM challenge c
     JOIN hub h ON h.id = ANY(${managingHubsSql('c')}) JOIN hub_coordinator hc ON hc.hub_id = h.id
     WHERE c.id = $1 AND hc.email IS NOT NULL`,
    [challenge.id],
  );
  for (const c of coordinators) {
    const lang = Language.EN;
    await deps.mailer.send({
      to: c.email,
      lang,
      ...invitationExpiredMail({
        lang,
        recipientName: c.name,
        // Coordinators of the challenge's hub may see a family's name; the mail still uses the public one.
        partnerName: publicName(partner),
        challengeTitle: challenge.title,
        boardUrl: `${deps.publicUrl}/graphql`,
        timeZone: c.time_zone,
      }),
    });
  }
}
