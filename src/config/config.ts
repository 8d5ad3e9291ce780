import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsBase64, IsIn, IsInt, IsOptional, IsUrl, Length, Matches, Max, Min, validateSync } from 'class-validator';
import * as path from 'node:path';

/** Integer settings: read as numbers, validated within bounds. */
const INTEGER_SETTINGS = new Set<string>();
function IntSetting(min: number, max: number): PropertyDecorator {
  const validators = [IsOptional(), IsInt(), Min(min), Max(max)];
  return (target, key) => {
    INTEGER_SETTINGS.add(String(key));
    for (const validate of validators) validate(target, key);
  };
}

/**
 * Every setting the application reads from the environment, validated once at start.
 * Nothing else in the code base reads `process.env`.
 */
class EnvironmentVariables {
  @IntSetting(1, 65535)
  PORT = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// connection URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^(esdb|kurrentdb|kdb|esdb\+discover|kurrentdb\+discover):\/\/\S+$/, {
    message: 'must be an esdb:// (or kurrentdb://) connection string',
  })
  EVENTSTORE_CONNECTION_STRING?: string;

  @IsOptional()
  EMBEDDED_PG_DIR = '.data/postgres';

  @IntSetting(1024, 65535)
  EMBEDDED_PG_PORT?: number;

  /** Failed restarts in a row after which the app stops restarting its embedded PostgreSQL. */
  @IntSetting(1, 100)
  EMBEDDED_PG_MAX_RESTARTS = 8;

  @IsOptional()
  @IsBase64()
  KEY_ENCRYPTION_KEY?: string;

  /** Seed of the tamper-evidence keys (event MACs, checkpoint signing); docs/adr/0002. */
  @IsOptional()
  @IsBase64()
  INTEGRITY_KEY?: string;

  /** Append-only file of signed checkpoints; default .data/integrity/<database>.checkpoints.jsonl. */
  @IsOptional()
  INTEGRITY_CHECKPOINT_FILE?: string;

  @IntSetting(100, 3_600_000)
  INTEGRITY_CHECKPOINT_INTERVAL_MS = 5000;

  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  @IntSetting(1, 10000)
  PROJECTION_BATCH_SIZE = 500;

  @IntSetting(10, 60000)
  EVENT_POLL_INTERVAL_MS = 500;

  @IsOptional()
  @IsBase64()
  AUTH_TOKEN_SECRET?: string;

  @IntSetting(60, 86400)
  AUTH_TOKEN_TTL_SECONDS = 900;

  /** A session unused this long ends (sliding: each request extends it). */
  @IntSetting(60, 86400)
  AUTH_IDLE_TIMEOUT_SECONDS = 900;

  /** The longest a web session lasts, however active (then sign in again). */
  @IntSetting(300, 604800)
  AUTH_SESSION_MAX_SECONDS = 43200;

  /** Failed sign-ins per account, and per client address, before each next try must wait. */
  @IntSetting(1, 1000)
  SIGNIN_FREE_ATTEMPTS_PER_ACCOUNT = 5;

  @IntSetting(1, 10000)
  SIGNIN_FREE_ATTEMPTS_PER_ADDRESS = 20;

  /** The wait doubles with each further failure, up to this many seconds. */
  @IntSetting(1, 86400)
  SIGNIN_MAX_DELAY_SECONDS = 900;

  @IsOptional()
  @IsIn(['true', 'false'])
  DEMO_DATA?: string;

  @IsOptional()
  @Length(8, 200)
  DEMO_PASSWORD = 'demo-bansos-2026';

  @IntSetting(0, 100000)
  DEMO_HOUSEHOLDS = 400;

  @IsOptional()
  DOCUMENT_STORE_DIR = '.data/documents';

  @IntSetting(1024, 104857600)
  MAX_UPLOAD_BYTES = 10485760;

  /** The erasure register: erased subject ids, kept outside the database (see docs/adr/0003-erasure.md). */
  @IsOptional()
  ERASURE_REGISTER_FILE = '.data/erasure-register.jsonl';

  @IsOptional()
  @IsIn(['log', 'webhook'])
  NOTIFICATION_SENDER = 'log';

  @IsOptional()
  @IsUrl({ require_tld: false })
  NOTIFICATION_WEBHOOK_URL?: string;

  @IntSetting(100, 3600000)
  NOTIFICATION_POLL_INTERVAL_MS = 2000;

  @IsOptional()
  @Matches(/^[\w.-]+$/)
  PMT_MODEL_VERSION?: string;

  @IntSetting(1, 365)
  APPEAL_WINDOW_DAYS = 30;

  @IntSetting(1, 365)
  APPEAL_SLA_DAYS = 14;

  @IntSetting(1, 60)
  REVERIFICATION_MONTHS = 6;

  @IntSetting(1000, 10_000_000)
  CAPTCHA_MAX_NUMBER = 100_000;

  @IntSetting(1, 1_000_000)
  STATUS_CHECK_PER_CLIENT_PER_MINUTE = 20;

  @IntSetting(1, 1_000_000)
  STATUS_CHECK_PER_NAME_PER_HOUR = 10;

  /** When set, GET /metrics asks for `Authorization: Bearer <token>`. */
  @IsOptional()
  @Length(16, 200)
  METRICS_TOKEN?: string;

  /**
   * Express' `trust proxy`: whose X-Forwarded-Proto/-Host/-For to believe (the TLS proxy in front).
   * `false` (default), `true`, a hop count, or addresses/subnets (`loopback`, `10.0.0.0/8`, …).
   */
  @IsOptional()
  @Matches(/^(true|false|\d{1,2}|[\w.:/, -]+)$/, { message: 'must be true, false, a hop count or a list of addresses' })
  TRUST_PROXY = 'false';

  /** Serve the OpenAPI docs at /api/docs; default on, off in production. */
  @IsOptional()
  @IsIn(['true', 'false'])
  API_DOCS?: string;

  /** /health with its internals (database mode, positions, lags); default on, off in production (status only). */
  @IsOptional()
  @IsIn(['true', 'false'])
  HEALTH_DETAILS?: string;
}

/** Secrets production must be given explicitly: never generated, never derived from a default. */
export const PRODUCTION_SECRETS = ['KEY_ENCRYPTION_KEY', 'AUTH_TOKEN_SECRET', 'METRICS_TOKEN'] as const;

export interface AppConfig {
  readonly port: number;
  readonly databaseUrl?: string;
  readonly eventStoreConnectionString?: string;
  readonly embeddedPg: { readonly dataDir: string; readonly port?: number; readonly maxRestarts: number };
  readonly keyEncryptionKey?: Buffer;
  readonly integrity: { readonly key?: Buffer; readonly checkpointFile?: string; readonly checkpointIntervalMs: number };
  readonly environment: 'development' | 'production' | 'test';
  readonly logLevel: string;
  readonly projectionBatchSize: number;
  readonly eventPollIntervalMs: number;
  readonly auth: {
    readonly tokenSecret?: Buffer;
    readonly tokenTtlSeconds: number;
    readonly idleTimeoutSeconds: number;
    readonly sessionMaxSeconds: number;
    readonly throttle: { readonly perAccount: number; readonly perAddress: number; readonly maxDelaySeconds: number };
  };
  readonly demo: { readonly enabled: boolean; readonly password: string; readonly households: number };
  readonly documents: { readonly dir: string; readonly maxUploadBytes: number };
  readonly erasureRegisterFile: string;
  readonly notifications: { readonly sender: 'log' | 'webhook'; readonly webhookUrl?: string; readonly pollIntervalMs: number };
  readonly pmtModelVersion?: string;
  readonly appeals: { readonly windowDays: number; readonly slaDays: number };
  readonly reverificationMonths: number;
  readonly metricsToken?: string;
  readonly http: {
    readonly trustProxy: boolean | number | string;
    readonly apiDocs: boolean;
    readonly healthDetails: boolean;
  };
  readonly statusCheck: {
    readonly captchaMaxNumber: number;
    readonly perClientPerMinute: number;
    readonly perNamePerHour: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Konfigurasi tidak valid / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Every variable read; listed because optional ones without a default are not own class keys. */
export const VARIABLES = [
  'PORT',
  'DATABASE_URL',
  'EVENTSTORE_CONNECTION_STRING',
  'EMBEDDED_PG_DIR',
  'EMBEDDED_PG_PORT',
  'EMBEDDED_PG_MAX_RESTARTS',
  'KEY_ENCRYPTION_KEY',
  'INTEGRITY_KEY',
  'INTEGRITY_CHECKPOINT_FILE',
  'INTEGRITY_CHECKPOINT_INTERVAL_MS',
  'NODE_ENV',
  'LOG_LEVEL',
  'PROJECTION_BATCH_SIZE',
  'EVENT_POLL_INTERVAL_MS',
  'AUTH_TOKEN_SECRET',
  'AUTH_TOKEN_TTL_SECONDS',
  'AUTH_IDLE_TIMEOUT_SECONDS',
  'AUTH_SESSION_MAX_SECONDS',
  'SIGNIN_FREE_ATTEMPTS_PER_ACCOUNT',
  'SIGNIN_FREE_ATTEMPTS_PER_ADDRESS',
  'SIGNIN_MAX_DELAY_SECONDS',
  'DEMO_DATA',
  'DEMO_PASSWORD',
  'DEMO_HOUSEHOLDS',
  'DOCUMENT_STORE_DIR',
  'MAX_UPLOAD_BYTES',
  'ERASURE_REGISTER_FILE',
  'NOTIFICATION_SENDER',
  'NOTIFICATION_WEBHOOK_URL',
  'NOTIFICATION_POLL_INTERVAL_MS',
  'PMT_MODEL_VERSION',
  'APPEAL_WINDOW_DAYS',
  'APPEAL_SLA_DAYS',
  'REVERIFICATION_MONTHS',
  'CAPTCHA_MAX_NUMBER',
  'STATUS_CHECK_PER_CLIENT_PER_MINUTE',
  'STATUS_CHECK_PER_NAME_PER_HOUR',
  'METRICS_TOKEN',
  'TRUST_PROXY',
  'API_DOCS',
  'HEALTH_DETAILS',
] as const;

/** Reads and validates the environment; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const key of VARIABLES) {
    if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  }
  for (const key of INTEGER_SETTINGS) {
    if (typeof raw[key] === 'string' && /^\d+$/.test(raw[key] as string)) raw[key] = Number(raw[key]);
  }
  const vars = plainToInstance(EnvironmentVariables, raw);
  const errors = validateSync(vars, { forbidUnknownValues: false });
  const problems = errors.map(
    (e) => `${e.property}=${JSON.stringify(raw[e.property])}: ${Object.values(e.constraints ?? {}).join('; ')}`,
  );
  const kek = vars.KEY_ENCRYPTION_KEY ? Buffer.from(vars.KEY_ENCRYPTION_KEY, 'base64') : undefined;
  if (kek && kek.length !== 32) problems.push('KEY_ENCRYPTION_KEY: must be 32 bytes, base64-encoded');
  const production = vars.NODE_ENV === 'production';
  if (production) {
    // Outside production a missing key is generated beside the data; in production that would
    // put the key next to what it protects, and the others would follow from it.
    for (const name of PRODUCTION_SECRETS)
      if (raw[name] === undefined) problems.push(`${name}: required in production (set it explicitly; nothing is generated)`);
    if (vars.DEMO_DATA === 'true' && raw.DEMO_PASSWORD === undefined)
      problems.push('DEMO_PASSWORD: required in production when DEMO_DATA=true (the default one is public)');
  }
  const integrityKey = vars.INTEGRITY_KEY ? Buffer.from(vars.INTEGRITY_KEY, 'base64') : undefined;
  if (integrityKey && integrityKey.length !== 32) problems.push('INTEGRITY_KEY: must be 32 bytes, base64-encoded');
  const tokenSecret = vars.AUTH_TOKEN_SECRET ? Buffer.from(vars.AUTH_TOKEN_SECRET, 'base64') : undefined;
  if (tokenSecret && tokenSecret.length < 32) problems.push('AUTH_TOKEN_SECRET: must be at least 32 bytes, base64-encoded');
  if (vars.NOTIFICATION_SENDER === 'webhook' && !vars.NOTIFICATION_WEBHOOK_URL) {
    problems.push('NOTIFICATION_WEBHOOK_URL: required when NOTIFICATION_SENDER=webhook');
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    port: vars.PORT,
    databaseUrl: vars.DATABASE_URL,
    eventStoreConnectionString: vars.EVENTSTORE_CONNECTION_STRING,
    embeddedPg: {
      dataDir: path.resolve(cwd, vars.EMBEDDED_PG_DIR),
      port: vars.EMBEDDED_PG_PORT,
      maxRestarts: vars.EMBEDDED_PG_MAX_RESTARTS,
    },
    keyEncryptionKey: kek,
    integrity: {
      key: integrityKey,
      checkpointFile: vars.INTEGRITY_CHECKPOINT_FILE ? path.resolve(cwd, vars.INTEGRITY_CHECKPOINT_FILE) : undefined,
      checkpointIntervalMs: vars.INTEGRITY_CHECKPOINT_INTERVAL_MS,
    },
    environment: vars.NODE_ENV as AppConfig['environment'],
    logLevel: vars.LOG_LEVEL,
    projectionBatchSize: vars.PROJECTION_BATCH_SIZE,
    eventPollIntervalMs: vars.EVENT_POLL_INTERVAL_MS,
    auth: {
      tokenSecret,
      tokenTtlSeconds: vars.AUTH_TOKEN_TTL_SECONDS,
      idleTimeoutSeconds: vars.AUTH_IDLE_TIMEOUT_SECONDS,
      sessionMaxSeconds: vars.AUTH_SESSION_MAX_SECONDS,
      throttle: {
        perAccount: vars.SIGNIN_FREE_ATTEMPTS_PER_ACCOUNT,
        perAddress: vars.SIGNIN_FREE_ATTEMPTS_PER_ADDRESS,
        maxDelaySeconds: vars.SIGNIN_MAX_DELAY_SECONDS,
      },
    },
    demo: {
      enabled: (vars.DEMO_DATA ?? String(vars.NODE_ENV !== 'production')) === 'true',
      password: vars.DEMO_PASSWORD,
      households: vars.DEMO_HOUSEHOLDS,
    },
    documents: { dir: path.resolve(cwd, vars.DOCUMENT_STORE_DIR), maxUploadBytes: vars.MAX_UPLOAD_BYTES },
    erasureRegisterFile: path.resolve(cwd, vars.ERASURE_REGISTER_FILE),
    notifications: {
      sender: vars.NOTIFICATION_SENDER as 'log' | 'webhook',
      webhookUrl: vars.NOTIFICATION_WEBHOOK_URL,
      pollIntervalMs: vars.NOTIFICATION_POLL_INTERVAL_MS,
    },
    pmtModelVersion: vars.PMT_MODEL_VERSION,
    appeals: { windowDays: vars.APPEAL_WINDOW_DAYS, slaDays: vars.APPEAL_SLA_DAYS },
    reverificationMonths: vars.REVERIFICATION_MONTHS,
    metricsToken: vars.METRICS_TOKEN,
    http: {
      trustProxy: trustProxy(vars.TRUST_PROXY),
      apiDocs: (vars.API_DOCS ?? String(!production)) === 'true',
      healthDetails: (vars.HEALTH_DETAILS ?? String(!production)) === 'true',
    },
    statusCheck: {
      captchaMaxNumber: vars.CAPTCHA_MAX_NUMBER,
      perClientPerMinute: vars.STATUS_CHECK_PER_CLIENT_PER_MINUTE,
      perNamePerHour: vars.STATUS_CHECK_PER_NAME_PER_HOUR,
    },
  };
}

function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}
