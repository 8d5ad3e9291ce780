import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadConfig, PRODUCTION_SECRETS, VARIABLES } from '../../src/config/config';

/** The secrets production asks for, explicitly given. */
const PRODUCTION_ENV = {
  KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  AUTH_TOKEN_SECRET: Buffer.alloc(32, 8).toString('base64'),
  METRICS_TOKEN: 'metrics-token-0123456789',
};

describe('configuration', () => {
  it('has defaults for a fresh machine: port 3000, embedded PostgreSQL under .data/', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      embeddedPg: { dataDir: '/srv/app/.data/postgres', maxRestarts: 8 },
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
    expect(config.embeddedPg).toEqual({ dataDir: '/var/lib/bansos/pg', port: 45432, maxRestarts: 8 });
    expect(config).toMatchObject({ projectionBatchSize: 200, eventPollIntervalMs: 250, logLevel: 'debug' });
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/bansos');
    expect(config.eventStoreConnectionString).toBe('esdb://localhost:2113?tls=false');
    expect(config.keyEncryptionKey).toHaveLength(32);
  });

  it('reads the settings of registration: tokens, demo data, documents, notifications, the PMT version', () => {
    const config = loadConfig({
      AUTH_TOKEN_SECRET: Buffer.alloc(32, 3).toString('base64'),
      AUTH_TOKEN_TTL_SECONDS: '600',
      DEMO_DATA: 'false',
      DEMO_PASSWORD: 'another-demo-pass',
      DEMO_HOUSEHOLDS: '25',
      DOCUMENT_STORE_DIR: '/var/lib/bansos/docs',
      MAX_UPLOAD_BYTES: '2048',
      NOTIFICATION_SENDER: 'webhook',
      NOTIFICATION_WEBHOOK_URL: 'http://sms-gateway:8080/send',
      NOTIFICATION_POLL_INTERVAL_MS: '1000',
      PMT_MODEL_VERSION: '2026.1',
    });
    expect(config.auth).toEqual({
      tokenSecret: Buffer.alloc(32, 3),
      tokenTtlSeconds: 600,
      idleTimeoutSeconds: 900,
      sessionMaxSeconds: 43200,
      throttle: { perAccount: 5, perAddress: 20, maxDelaySeconds: 900 },
    });
    expect(config.demo).toEqual({ enabled: false, password: 'another-demo-pass', households: 25 });
    expect(config.documents).toEqual({ dir: '/var/lib/bansos/docs', maxUploadBytes: 2048 });
    expect(config.notifications).toEqual({ sender: 'webhook', webhookUrl: 'http://sms-gateway:8080/send', pollIntervalMs: 1000 });
    expect(config.pmtModelVersion).toBe('2026.1');
    expect(loadConfig({}).demo.enabled).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', ...PRODUCTION_ENV }).demo.enabled).toBe(false);
  });

  it('refuses to start in production without each secret given explicitly, naming every missing one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /KEY_ENCRYPTION_KEY: required in production[\s\S]*AUTH_TOKEN_SECRET: required in production[\s\S]*METRICS_TOKEN: required in production/,
    );
    for (const name of PRODUCTION_SECRETS) {
      const env: Record<string, string> = { NODE_ENV: 'production', ...PRODUCTION_ENV };
      delete env[name];
      expect(() => loadConfig(env)).toThrow(`${name}: required in production`);
      for (const other of PRODUCTION_SECRETS.filter((n) => n !== name))
        expect(() => loadConfig(env)).not.toThrow(`${other}: required`);
    }
    expect(() => loadConfig({ NODE_ENV: 'production', ...PRODUCTION_ENV, DEMO_DATA: 'true' })).toThrow(
      /DEMO_PASSWORD: required in production/,
    );
    // Outside production nothing is required: a missing key is generated beside the data.
    expect(() => loadConfig({})).not.toThrow();
  });

  it('turns the API docs and the detailed health off by default in production, and either can be set explicitly', () => {
    expect(loadConfig({}).http).toEqual({ trustProxy: false, apiDocs: true, healthDetails: true });
    expect(loadConfig({ NODE_ENV: 'production', ...PRODUCTION_ENV }).http).toEqual({
      trustProxy: false,
      apiDocs: false,
      healthDetails: false,
    });
    expect(
      loadConfig({ NODE_ENV: 'production', ...PRODUCTION_ENV, API_DOCS: 'true', HEALTH_DETAILS: 'true' }).http,
    ).toMatchObject({
      apiDocs: true,
      healthDetails: true,
    });
    expect(loadConfig({ API_DOCS: 'false', HEALTH_DETAILS: 'false' }).http).toMatchObject({
      apiDocs: false,
      healthDetails: false,
    });
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).http.trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  it('documents in docs/operations.md exactly the variables it reads', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/operations.md'), 'utf8');
    const start = doc.indexOf('\n## Configuration\n');
    expect(start).toBeGreaterThanOrEqual(0);
    const end = doc.indexOf('\n## ', start + 5);
    const section = doc.slice(start, end < 0 ? undefined : end);
    const documented = [...section.matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...VARIABLES].sort());
  });

  it.each([
    [{ AUTH_TOKEN_SECRET: Buffer.alloc(8).toString('base64') }, /AUTH_TOKEN_SECRET: must be at least 32 bytes/],
    [{ NOTIFICATION_SENDER: 'webhook' }, /NOTIFICATION_WEBHOOK_URL: required/],
    [{ NOTIFICATION_SENDER: 'pigeon' }, /NOTIFICATION_SENDER="pigeon"/],
    [{ DEMO_PASSWORD: 'short' }, /DEMO_PASSWORD/],
    [{ PORT: 'abc' }, /PORT="abc"/],
    [{ PORT: '70000' }, /PORT=70000/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL=.*postgres:\/\//],
    [{ EVENTSTORE_CONNECTION_STRING: 'http://x' }, /EVENTSTORE_CONNECTION_STRING/],
    [{ KEY_ENCRYPTION_KEY: Buffer.alloc(8).toString('base64') }, /KEY_ENCRYPTION_KEY: must be 32 bytes/],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' }, /KEY_ENCRYPTION_KEY: required in production/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL="loud"/],
    [{ API_DOCS: 'yes' }, /API_DOCS="yes"/],
    [{ TRUST_PROXY: 'a;b' }, /TRUST_PROXY="a;b"/],
    [{ EMBEDDED_PG_PORT: '80' }, /EMBEDDED_PG_PORT=80/],
    [{ DEMO_HOUSEHOLDS: '-1' }, /DEMO_HOUSEHOLDS="-1"/],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
