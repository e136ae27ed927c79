import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('has documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 4000, host: '0.0.0.0', databaseUrl: undefined, seedDemo: true, ide: true, introspection: true, logLevel: 'info' });
    expect(c.dataDir).toMatch(/\.data$/);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer between 0 and 65535, got "abc"'],
    [{ PORT: '70000' }, 'PORT must be an integer between 0 and 65535, got "70000"'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must use postgres:// or postgresql://, got "mysql:"'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a URL like postgres://user@host:5432/db'],
    [{ IDE: 'maybe' }, 'IDE must be true or false, got "maybe"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of debug, info, warn, error, got "loud"'],
  ])('fails fast on %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });

  it('reads every option', () => {
    const c = loadConfig({ PORT: '5000', DATABASE_URL: 'postgres://u@h/db', SEED_DEMO: 'false', IDE: 'off', INTROSPECTION: '0', LOG_LEVEL: 'debug', DB_POOL_SIZE: '4' });
    expect(c).toMatchObject({ port: 5000, databaseUrl: 'postgres://u@h/db', seedDemo: false, ide: false, introspection: false, logLevel: 'debug', dbPoolSize: 4 });
  });
});
