/**
 * A digest's content, read for one subscription and one period: only what its hub's coordinators
 * may read, families named as anyone may see them. Sent by the digest job; the confirmation mail
 * of a new subscription too.
 */
import { DataSource } from 'typeorm';
import { managingHubsSql } from '../domain/challenge/managing-hubs';
import { StakeholderKind } from '../domain/enums';
import { Language } from '../domain/language';
import { familyLabel } from '../domain/stakeholder/privacy';
import { DigestFrequency, digestConfirmMail, digestMail } from '../mail/messages';
import { Mailer } from '../mail/mailer';
import { renewConfirmToken, renewUnsubscribeToken } from './digests';
import type { DigestJob } from './notify-sweep';

/** What the digest mails need. */
export interface DigestMailDeps {
  dataSource: DataSource;
  mailer: Mailer;
  publicUrl: string;
  /** The next-best partners' names of a challenge (from the ranking), best first. */
  nextBest(challengeId: string): Promise<string[]>;
}

/** Rows of the digest queries name partners by this expression (a family by its public label). */
const NAME = `CASE WHEN s.kind = '${StakeholderKind.FAMILY}' THEN NULL ELSE s.name END`;

interface Subscription {
  id: string;
  hub_id: string;
  hub_name: string;
  time_zone: string;
  email: string;
  lang: Language;
  frequency: DigestFrequency;
}

async function subscription(db: DataSource, id: string): Promise<Subscription | undefined> {
  const [row]: Subscription[] = await db.query(
    `SELECT d.id, d.hub_id, h.name AS hub_name, h.time_zone, d.email, d.lang, d.frequency
     FROM digest_subscription d JOIN hub h ON h.id = d.hub_id WHERE d.id = $1`,
    [id],
  );
  return row;
}

type Named = { partner: string | null; city: string | null };
const nameOf = (r: Named) => r.partner ?? familyLabel(r.city);

/** Sends one digest (a job of the digest queue). */
export async function sendDigest(deps: DigestMailDeps, job: DigestJob): Promise<void> {
  const db = deps.dataSource;
  const sub = await subscription(db, job.subscriptionId);
  if (!sub) return; // unsubscribed since it was queued
  const hub = sub.hub_id;
  const since = new Date(job.since);
  const until = new Date(job.until);
  // The hub's challenges: those it manages (filed under it, or under none with its school in it).
  const mine = `c.id IN (SELECT c.id FROM challenge c WHERE $1 = ANY(${managingHubsSql('c')}))`;
  const newMatches: (Named & { title: string; score: number })[] = await db.query(
    `SELECT c.title, ${NAME} AS partner, s.city, e.score FROM match_event e
     JOIN challenge c ON c.id = e.challenge_id JOIN stakeholder s ON s.id = e.stakeholder_id
     WHERE ${mine} AND c.phase <> 'COMPLETED' AND e.created_at > $2 AND e.created_at <= $3
       AND e.score >= 0.5 AND (e.previous_score IS NULL OR e.previous_score < 0.5) AND s.erased_at IS NULL
     ORDER BY e.score DESC, e.seq LIMIT 20`,
    [hub, since, until],
  );
  const invited: (Named & { title: string; days: number; expires_at: Date })[] = await db.query(
    `SELECT c.title, ${NAME} AS partner, s.city, p.expires_at,
            floor(extract(epoch FROM $2::timestamptz - coalesce(p.approved_at, p.created_at)) / 86400)::int AS days
     FROM partnership p JOIN challenge c ON c.id = p.challenge_id JOIN stakeholder s ON s.id = p.stakeholder_id
     WHERE ${mine} AND p.status = 'INVITED' ORDER BY coalesce(p.approved_at, p.created_at), p.id LIMIT 50`,
    [hub, until],
  );
  const ended: (Named & { title: string; status: 'DECLINED' | 'EXPIRED'; challenge_id: string })[] = await db.query(
    `SELECT c.title, c.id AS challenge_id, ${NAME} AS partner, s.city, p.status FROM partnership p
     JOIN challenge c ON c.id = p.challenge_id JOIN stakeholder s ON s.id = p.stakeholder_id
     WHERE ${mine} AND p.status IN ('DECLINED', 'EXPIRED') AND p.updated_at > $2 AND p.updated_at <= $3
     ORDER BY p.updated_at, p.id LIMIT 20`,
    [hub, since, until],
  );
  const near: (Named & { accepted: number; capacity: number })[] = await db.query(
    `SELECT ${NAME} AS partner, s.city, s.capacity, a.accepted FROM stakeholder s
     JOIN hub_member m ON m.stakeholder_id = s.id
     CROSS JOIN LATERAL (SELECT count(*)::int AS accepted FROM partnership p
       WHERE p.stakeholder_id = s.id AND p.status = 'ACCEPTED') a
     WHERE m.hub_id = $1 AND s.erased_at IS NULL AND a.accepted >= s.capacity - 1
     ORDER BY s.name, s.id LIMIT 20`,
    [hub],
  );
  const soon = new Date(until.getTime() + 3 * 86_400_000);
  const base = deps.publicUrl;
  const token = await db.transaction((m) => renewUnsubscribeToken(m, sub.id));
  const mail = digestMail({
    lang: sub.lang,
    hubName: sub.hub_name,
    frequency: sub.frequency,
    since,
    timeZone: sub.time_zone,
    newMatches: newMatches.map((r) => ({ challengeTitle: r.title, partnerName: nameOf(r), score: r.score })),
    waitingLongest: invited.slice(0, 5).map((r) => ({ challengeTitle: r.title, partnerName: nameOf(r), days: r.days })),
    expiringSoon: invited
      .filter((r) => r.expires_at && new Date(r.expires_at) <= soon)
      .map((r) => ({ challengeTitle: r.title, partnerName: nameOf(r), expiresAt: new Date(r.expires_at) })),
    declinedOrExpired: await Promise.all(
      ended.map(async (r) => ({
        challengeTitle: r.title,
        partnerName: nameOf(r),
        status: r.status,
        nextBest: await deps.nextBest(r.challenge_id),
      })),
    ),
    nearCapacity: near.map((r) => ({ partnerName: nameOf(r), accepted: r.accepted, capacity: r.capacity })),
    unsubscribeUrl: `${base}/digest/unsubscribe/${token}`,
    oneClickUrl: `${base}/digest/unsubscribe/${token}`,
  });
  await deps.mailer.send({ to: sub.email, lang: sub.lang, ...mail });
}

/** Mails a new subscription its confirmation link (double opt-in). */
export async function sendDigestConfirmation(deps: DigestMailDeps, subscriptionId: string): Promise<void> {
  const sub = await subscription(deps.dataSource, subscriptionId);
  if (!sub) return;
  const token = await deps.dataSource.transaction((m) => renewConfirmToken(m, sub.id));
  const mail = digestConfirmMail({
    lang: sub.lang,
    hubName: sub.hub_name,
    frequency: sub.frequency,
    confirmUrl: `${deps.publicUrl}/digest/confirm/${token}`,
  });
  await deps.mailer.send({ to: sub.email, lang: sub.lang, ...mail });
}
