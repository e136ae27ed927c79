import 'reflect-metadata';
import { loadConfig } from './config';
import { ConfigError } from './config-parsers';
import { EmbeddedPostgresError } from './db/embedded-postgres';
import { createLogger } from './log/logger';
import { startApp } from './server/start-app';
import { startLines } from './server/start-summary';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel, { service: 'matchmaker' });
  const app = await startApp(config, log);
  // One line a person can read at a terminal; a log shipper in production gets the same as JSON.
  if (config.production) log.info('ready', { ...app.summary, demoKeys: undefined });
  else for (const line of startLines(app.summary)) process.stdout.write(`${line}\n`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    app.stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error) => {
        log.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  // Conditions of this machine (a data folder the database cannot use) are said in one line.
  if (error instanceof EmbeddedPostgresError) {
    process.stderr.write(`Failed to start: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
