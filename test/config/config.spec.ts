import { ConfigError, loadConfig } from '../../src/config/config';

describe('configuration', () => {
  it('has defaults for a fresh machine: port 3000, embedded PostgreSQL under .data/', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      embeddedPg: { dataDir: '/srv/app/.data/postgres' },
      environment: 'development',
      projectionBatchSize: 500,
    });
  });

  it('reads the variables it knows', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/bansos',
      EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      EMBEDDED_PG_DIR: '/var/lib/bansos/pg',
      EMBEDDED_PG_PORT: '45432',
      PROJECTION_BATCH_SIZE: '200',
      EVENT_POLL_INTERVAL_MS: '250',
      LOG_LEVEL: 'debug',
    });
    expect(config.embeddedPg).toEqual({ dataDir: '/var/lib/bansos/pg', port: 45432 });
    expect(config).toMatchObject({ projectionBatchSize: 200, eventPollIntervalMs: 250, logLevel: 'debug' });
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/bansos');
    expect(config.eventStoreConnectionString).toBe('esdb://localhost:2113?tls=false');
    expect(config.keyEncryptionKey).toHaveLength(32);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT="abc"/],
    [{ PORT: '70000' }, /PORT=70000/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL=.*postgres:\/\//],
    [{ EVENTSTORE_CONNECTION_STRING: 'http://x' }, /EVENTSTORE_CONNECTION_STRING/],
    [{ KEY_ENCRYPTION_KEY: Buffer.alloc(8).toString('base64') }, /KEY_ENCRYPTION_KEY: must be 32 bytes/],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' }, /KEY_ENCRYPTION_KEY: required in production/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL="loud"/],
    [{ EMBEDDED_PG_PORT: '80' }, /EMBEDDED_PG_PORT=80/],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
