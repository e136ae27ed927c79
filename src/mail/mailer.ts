/** Sends rendered mail: over SMTP when a server is configured, otherwise as `.eml` files in an outbox folder. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import type { Language } from '../domain/language';
import type { Logger } from '../log/logger';
import type { MailSettings } from './mail-settings';

/** One message, ready to send: the rendered content (see messages.ts) and who gets it. */
export interface MailMessage {
  /** One address, e.g. `"Leuven sensors" <info@example.org>` or `info@example.org`. */
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra header fields, e.g. `List-Unsubscribe`. */
  headers?: Record<string, string>;
  /** The language the message is written in: its `Content-Language`. */
  lang: Language;
}

/** What a sent message became. */
export interface SentMail {
  /** Its `Message-ID`, with the angle brackets. */
  messageId: string;
  /** The `.eml` file written, when mail goes to files. */
  file?: string;
}

/** Sends messages; one per service, closed at shutdown. */
export interface Mailer {
  /** Where mail goes: an SMTP server, or `.eml` files in the outbox folder. */
  readonly transport: 'smtp' | 'files';
  /** Where mail goes in words, for the start log: the SMTP server without its credentials, or the folder. */
  readonly description: string;
  /** Sends one message; rejects when the server refuses it or the file cannot be written. */
  send(message: MailMessage): Promise<SentMail>;
  /** Closes pooled SMTP connections (a message being sent is finished first). */
  close(): void;
}

/** Where mail goes, without credentials: "SMTP smtps://mail.example.org:465" or "files in /data/mail". */
export function describeMailer(settings: MailSettings): string {
  if (!settings.smtpUrl) return `files in ${settings.outboxDir}`;
  const url = new URL(settings.smtpUrl);
  return `SMTP ${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`;
}

/** The mailer the settings ask for: SMTP with {@link MailSettings.smtpUrl}, files otherwise. */
export function createMailer(settings: MailSettings, log: Logger): Mailer {
  return settings.smtpUrl ? smtpMailer(settings, settings.smtpUrl, log) : fileMailer(settings, log);
}

function fields(settings: MailSettings, m: MailMessage) {
  return {
    from: settings.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    headers: { ...m.headers, 'Content-Language': m.lang.toLowerCase() },
  };
}

function smtpMailer(settings: MailSettings, smtpUrl: string, log: Logger): Mailer {
  // The URL's own settings (port, secure, auth) win over these; a pool keeps a few connections open
  // so a batch of reminders or digests does not reconnect per message.
  const transporter = createTransport({ url: smtpUrl, pool: true, maxConnections: 3 });
  const description = describeMailer(settings);
  return {
    transport: 'smtp',
    description,
    async send(message) {
      const info = await transporter.sendMail(fields(settings, message));
      log.debug('mail sent', { transport: 'smtp', messageId: info.messageId, response: info.response });
      return { messageId: info.messageId };
    },
    close: () => transporter.close(),
  };
}

function fileMailer(settings: MailSettings, log: Logger): Mailer {
  // CRLF line ends: an .eml file is the message as it would travel (RFC 5322).
  const transporter = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    transport: 'files',
    description: describeMailer(settings),
    async send(message) {
      const info = await transporter.sendMail(fields(settings, message));
      await mkdir(settings.outboxDir, { recursive: true });
      const file = path.join(settings.outboxDir, emlFileName(new Date(), info.messageId));
      // `wx`: two messages never share a file, even if their names were to collide.
      await writeFile(file, info.message as Buffer, { flag: 'wx' });
      log.debug('mail written', { transport: 'files', messageId: info.messageId, file });
      return { messageId: info.messageId, file };
    },
    close: () => transporter.close(),
  };
}

/**
 * `<ISO time>-<Message-ID's local part>.eml` in letters, digits, `-` and `.` only (no `:` for Windows), so
 * files sort by time: `2025-03-03T13-00-00.000Z-1b9e0c4a-….eml`.
 */
export function emlFileName(at: Date, messageId: string): string {
  const time = at.toISOString().replace(/:/g, '-');
  const local = messageId.replace(/^<|>$/g, '').split('@')[0];
  const safe = local.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 80) || 'message';
  return `${time}-${safe}.eml`;
}
