/**
 * Notifications by e-mail, wired: the mail queues (fed by the outbox relay and the sweep), their
 * senders, and the sweep every minute on one instance. One start, one stop.
 */
import { DataSource, EntityManager } from 'typeorm';
import { PartnershipStatus } from '../domain/enums';
import { runtimeRegistry } from '../jobs/runtime-registry';
import { JobQueue, Jobs } from '../jobs/job-queue';
import { Logger } from '../log/logger';
import { createMailer, Mailer } from '../mail/mailer';
import { MailSettings } from '../mail/mail-settings';
import { MatchIndex } from '../matching/index/match-index';
import { RelayedChange } from '../subscriptions/outbox-relay';
import { sendDigest, sendDigestConfirmation } from './digest-mail';
import { ConfirmJob } from './digests';
import { mailExpired, mailNewInvitation, mailReminder } from './invitation-mail';
import { nextBestNames } from '../matching/next-best';
import { DigestJob, NotifyQueues, PartnershipJob, runDueNotifications } from './notify-sweep';

/** Queue names in pg-boss. */
export const MAIL_QUEUES = {
  invitation: 'mail-invitation',
  reminder: 'mail-reminder',
  expired: 'mail-expired',
  digest: 'mail-digest',
  confirm: 'mail-digest-confirm',
  sweep: 'notify-sweep',
} as const;

const runtimes = runtimeRegistry<NotifyService>('mail');

/** The notifications running on `dataSource`'s service; refused as unavailable before they start. */
export const notifyRuntimeOf = (dataSource: DataSource): NotifyService => runtimes.of(dataSource);

/** Notifications, running. */
export interface NotifyService {
  mailer: Mailer;
  queues: NotifyQueues & { confirm: JobQueue<ConfirmJob> };
  /**
   * For the change feed: queues the mail a relayed change causes, in the relay's transaction;
   * returns the queues it added to (to be woken once the relay committed).
   */
  onRelayed(m: EntityManager, relayed: RelayedChange): Promise<JobQueue<PartnershipJob>[]>;
  /**
   * Starts the senders and, unless `sweep` is false, the sweep every minute (needs the loaded index
   * for reasons); returns the way to stop them.
   */
  send(index: MatchIndex, options?: { sweep?: boolean }): Promise<() => Promise<void>>;
  stop(): Promise<void>;
}

/** Opens the mail queues (the senders start with {@link NotifyService.send}). */
export async function startNotify(options: {
  dataSource: DataSource;
  jobs: Jobs;
  log: Logger;
  mail: MailSettings;
}): Promise<NotifyService> {
  const { dataSource, jobs, log } = options;
  const mailer = createMailer(options.mail, log);
  const queues = {
    invitation: await jobs.queue<PartnershipJob>(MAIL_QUEUES.invitation),
    reminder: await jobs.queue<PartnershipJob>(MAIL_QUEUES.reminder),
    expired: await jobs.queue<PartnershipJob>(MAIL_QUEUES.expired),
    digest: await jobs.queue<DigestJob>(MAIL_QUEUES.digest),
    confirm: await jobs.queue<ConfirmJob>(MAIL_QUEUES.confirm),
  };
  const service: NotifyService = {
    mailer,
    queues,
    async onRelayed(m, relayed) {
      const c = relayed.change;
      if (c?.kind !== 'partnership' || !c.partnershipId) return [];
      const queue =
        c.status === PartnershipStatus.INVITED
          ? queues.invitation
          : c.status === PartnershipStatus.EXPIRED
            ? queues.expired
            : undefined;
      if (!queue) return [];
      await queue.enqueue(m, [{ partnershipId: c.partnershipId }]);
      return [queue];
    },
    async send(index, sendOptions = {}) {
      const publicUrl = options.mail.publicUrl.replace(/\/+$/, '');
      const deps = { dataSource, index, mailer, log, publicUrl };
      const digestDeps = {
        dataSource,
        mailer,
        publicUrl,
        nextBest: (id: string) => nextBestNames(index, dataSource, id),
      };
      const stops = [
        await queues.invitation.work(5, (j) => mailNewInvitation(deps, j.partnershipId)),
        await queues.reminder.work(5, (j) => mailReminder(deps, j.partnershipId)),
        await queues.expired.work(5, (j) => mailExpired(deps, j.partnershipId)),
        await queues.digest.work(5, (j) => sendDigest(digestDeps, j)),
        await queues.confirm.work(5, (j) => sendDigestConfirmation(digestDeps, j.subscriptionId)),
      ];
      if (sendOptions.sweep !== false)
        stops.push(
          await jobs.every(MAIL_QUEUES.sweep, '* * * * *', async () => {
            const report = await runDueNotifications(dataSource, queues);
            if (report.expired || report.reminders || report.digests) log.info('notifications due', { ...report });
          }),
        );
      return async () => {
        for (const stop of stops) await stop();
      };
    },
    async stop() {
      runtimes.delete(dataSource);
      mailer.close();
    },
  };
  runtimes.set(dataSource, service);
  return service;
}
