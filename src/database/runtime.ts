import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/config';
import { RunningPostgres, startEmbeddedPostgres } from './embedded-postgres';
import { DatabaseSupervision, DEFAULT_SUPERVISOR_OPTIONS, EmbeddedPostgresSupervisor } from './postgres-supervisor';
import { withDatabaseName } from './urls';

/** What the app and the CLI need before Nest starts: a database and the key-encryption key. */
export interface Runtime {
  readonly databaseUrl: string;
  readonly keyEncryptionKey: Buffer;
  /** 'embedded' when this process serves PostgreSQL from npm, else 'external'. */
  readonly database: 'embedded' | 'external';
  /** The embedded server's supervisor, when this process started the server and watches it. */
  readonly embeddedDatabase?: DatabaseSupervision;
  stop(): Promise<void>;
}

const APP_DATABASE = 'bansos_verval';

/**
 * Without DATABASE_URL, starts (or joins, when the app already serves it) the embedded
 * PostgreSQL under the data folder and makes sure the application database exists.
 */
export async function startRuntime(config: AppConfig, options: { supervise?: boolean } = {}): Promise<Runtime> {
  const logger = new Logger('Database');
  if (config.databaseUrl) {
    return {
      databaseUrl: config.databaseUrl,
      keyEncryptionKey: config.keyEncryptionKey ?? devKeyEncryptionKey(config, logger),
      database: 'external',
      stop: async () => undefined,
    };
  }
  const pg: RunningPostgres = await startEmbeddedPostgres({ dataDir: config.embeddedPg.dataDir, port: config.embeddedPg.port });
  // The app (not a one-off CLI command) restarts a server it started when that server dies.
  const supervisor =
    options.supervise && pg.owned
      ? new EmbeddedPostgresSupervisor(pg, (port) => startEmbeddedPostgres({ dataDir: pg.dataDir, port }), {
          ...DEFAULT_SUPERVISOR_OPTIONS,
          maxConsecutiveFailures: config.embeddedPg.maxRestarts,
        })
      : undefined;
  logger.log(
    pg.owned
      ? `embedded PostgreSQL started on 127.0.0.1:${pg.port} (data: ${path.relative(process.cwd(), pg.dataDir)})`
      : `using the embedded PostgreSQL already running on 127.0.0.1:${pg.port}`,
  );
  try {
    await ensureDatabase(pg.url, APP_DATABASE);
  } catch (err) {
    await (supervisor ?? pg).stop();
    throw err;
  }
  return {
    databaseUrl: withDatabaseName(pg.url, APP_DATABASE),
    keyEncryptionKey: config.keyEncryptionKey ?? devKeyEncryptionKey(config, logger),
    database: 'embedded',
    embeddedDatabase: supervisor,
    stop: () => (supervisor ?? pg).stop(),
  };
}

async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new Client(serverUrl);
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

/**
 * Outside production a missing KEY_ENCRYPTION_KEY is generated once and kept beside the data
 * (mode 0600), so a developer's data stays readable across restarts.
 */
function devKeyEncryptionKey(config: AppConfig, logger: Logger): Buffer {
  const file = path.join(path.dirname(config.embeddedPg.dataDir), '.key-encryption-key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  logger.warn(`KEY_ENCRYPTION_KEY not set: generated a development key in ${path.relative(process.cwd(), file)}`);
  return key;
}
