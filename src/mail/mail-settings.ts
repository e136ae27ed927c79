/** How mail is sent; read from the environment by config.ts (the names are in brackets). */
import path from 'node:path';

export interface MailSettings {
  /**
   * The SMTP server (`SMTP_URL`), e.g. `smtp://user:pass@mail.example.org:587` (STARTTLS when the server
   * offers it) or `smtps://user:pass@mail.example.org:465` (TLS from the first byte). Without it no mail
   * leaves the machine: each message is written as an `.eml` file to {@link MailSettings.outboxDir}.
   * @default undefined (files)
   */
  smtpUrl?: string;
  /**
   * The sender (`MAIL_FROM`), a display name and an address.
   * @default 'Open Schooling Matchmaker <no-reply@localhost>'
   */
  from: string;
  /**
   * The service's address as readers reach it (`PUBLIC_URL`): the base of every link in a mail.
   * @default 'http://localhost:4000'
   */
  publicUrl: string;
  /**
   * Where messages are written as `.eml` files when there is no {@link MailSettings.smtpUrl}.
   * @default `DATA_DIR`/mail
   */
  outboxDir: string;
}

/** The defaults that do not depend on where the service keeps its data. */
export const DEFAULT_MAIL_SETTINGS: Readonly<Pick<MailSettings, 'from' | 'publicUrl'>> = Object.freeze({
  from: 'Open Schooling Matchmaker <no-reply@localhost>',
  publicUrl: 'http://localhost:4000',
});

/** Every default, the outbox under the service's data directory (`DATA_DIR`). */
export function defaultMailSettings(dataDir: string): MailSettings {
  return { ...DEFAULT_MAIL_SETTINGS, outboxDir: path.join(dataDir, 'mail') };
}
