import type { DemoKeys } from '../db/demo-keys';

/** What a start says once the service is ready: where to go, and what it will and will not do. */
export interface StartSummary {
  /** The GraphQL endpoint (HTTP and WebSocket). */
  url: string;
  /** Whether a browser opening {@link StartSummary.url} gets the IDE. */
  ide: boolean;
  /** The sample portal page with the widget. */
  examplePage: string;
  /**
   * Who can write: `ADMIN_API_KEY`, the demo keys of a development start, API keys in the
   * database, or nobody yet (reads only).
   */
  writes: 'ADMIN_API_KEY' | 'demo keys' | 'API keys' | 'off';
  /** Where mail goes: files in a folder, or an SMTP server. */
  mail: string;
  /** The match index as loaded: rows and the memory its columns take. */
  index: { stakeholders: number; challenges: number; memoryMb: number };
  /** A development start's demo keys (never in production). */
  demoKeys?: DemoKeys;
}

/** The memory of the match index in MB, to one decimal (0.1 at least for a non-empty index). */
export function megabytes(bytes: number): number {
  return bytes > 0 ? Math.max(0.1, Math.round(bytes / 100_000) / 10) : 0;
}

/**
 * The start of a development run in words, for a person at a terminal: one line where to go and
 * what is on, and, when the start made demo keys, one line with them.
 */
export function startLines(s: StartSummary): string[] {
  const writes =
    s.writes === 'off'
      ? 'writes off (reads only: set ADMIN_API_KEY, 24+ characters, to write and create keys)'
      : `writes on (${s.writes})`;
  const lines = [
    `Ready at ${s.url} · ` +
      (s.ide ? 'IDE: open that address in a browser' : 'IDE off') +
      ` · example page ${s.examplePage} · ${writes} · mail to ${s.mail} · ` +
      `index ${s.index.stakeholders} stakeholders, ${s.index.challenges} challenges, ${s.index.memoryMb} MB`,
  ];
  if (s.demoKeys)
    lines.push(
      `Demo keys for the hub "${s.demoKeys.hubName}" (development only; made anew each start, the previous ` +
        `start's revoked; the IDE's tabs carry them): COORDINATOR ${s.demoKeys.coordinator} · ` +
        `PORTAL ${s.demoKeys.portal}`,
    );
  return lines;
}
