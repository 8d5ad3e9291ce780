import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/database/data-source';
import { withDatabaseName } from '../../src/database/urls';
import { createEventStore } from '../../src/event-store/create-event-store';
import { EventTypeRegistry } from '../../src/event-store/event-types';
import { PostgresKeyStore } from '../../src/event-store/crypto-shredding';
import { EventStore } from '../../src/event-store/port';
import { deriveIntegrityKeys, eventMac } from '../../src/event-store/integrity/keys';
import { derivedSecret } from '../../src/auth/tokens.service';
import { APPEND_SQL, appendParams } from '../../src/event-store/postgres/append-sql';

export function serverUrl(): string {
  const url = process.env.TEST_PG_URL;
  if (!url) throw new Error('TEST_PG_URL is not set: run the tests through jest (global setup starts PostgreSQL)');
  return url;
}

/** A fresh database on the run's server, so test files never see each other's rows. */
export async function createTestDatabase(adminUrl = serverUrl()): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client(adminUrl);
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: withDatabaseName(adminUrl, name),
    name,
    drop: async () => {
      const c = new Client(adminUrl);
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** An append whose transaction a test keeps open, as a slow writer would: its positions are drawn. */
export interface HeldAppend {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/**
 * Starts an append of one event in a transaction left open (PostgreSQL: the adapter's own append
 * statement on a connection of its own, `application_name` = 'held-append').
 */
export async function holdAppendOpen(url: string, streamId: string, type: string): Promise<HeldAppend> {
  const client = new Client({ connectionString: url, application_name: 'held-append' });
  client.on('error', () => undefined); // a test that drops the database ends this session too
  await client.connect();
  await client.query('begin');
  const recordedAt = new Date().toISOString();
  const event = {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    dataJson: '{}',
    metadataJson: `{"recordedAt":"${recordedAt}"}`,
    recordedAt,
  };
  // Keyed as the app writes it: an unkeyed row after keyed ones would be quarantined on read.
  const events = [{ ...event, mac: eventMac(TEST_INTEGRITY_KEYS.macKey, { ...event, streamId }) }];
  await client.query(APPEND_SQL, appendParams([{ streamId, expectedVersion: 'any', events }]));
  const end = async (how: 'commit' | 'rollback'): Promise<void> => {
    await client.query(how);
    await client.end();
  };
  return { commit: () => end('commit'), rollback: () => end('rollback') };
}

export interface StoreFixture {
  url: string;
  /**
   * Holds an append's transaction open, where the adapter has transactions a test can hold
   * (PostgreSQL); undefined where it has none (EventStoreDB acknowledges a write only once it is
   * committed and visible).
   */
  holdAppendOpen?: (streamId: string, type: string) => Promise<HeldAppend>;
  dataSource: DataSource;
  pool: Pool;
  store: EventStore;
  registry: EventTypeRegistry;
  keys: PostgresKeyStore;
  close(): Promise<void>;
}

export const TEST_KEK = Buffer.alloc(32, 7);
/** The tamper-evidence keys of test stores (the app derives its own from the KEK the same way). */
export const TEST_INTEGRITY_KEYS = deriveIntegrityKeys(derivedSecret(TEST_KEK, 'integrity-seed'));

/** A migrated database with the PostgreSQL event store (or EventStoreDB when a URL is given). */
export async function createStoreFixture(
  options: { eventStoreConnectionString?: string; pollIntervalMs?: number; url?: string } = {},
): Promise<StoreFixture> {
  const db = options.url ? { url: options.url, drop: async () => undefined } : await createTestDatabase();
  const dataSource = await openDatabase(db.url, 5);
  const pool = new Pool({ connectionString: db.url, max: 40 });
  const registry = new EventTypeRegistry();
  const keys = new PostgresKeyStore(pool, TEST_KEK);
  const store = await createEventStore({
    pool,
    keys,
    registry,
    eventStoreConnectionString: options.eventStoreConnectionString,
    pollIntervalMs: options.pollIntervalMs ?? 200,
    macKey: TEST_INTEGRITY_KEYS.macKey,
  });
  return {
    url: db.url,
    holdAppendOpen: options.eventStoreConnectionString ? undefined : (streamId, type) => holdAppendOpen(db.url, streamId, type),
    dataSource,
    pool,
    store,
    registry,
    keys,
    close: async () => {
      await store.close();
      await pool.end();
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** One statement on its own connection, for tests that look into a database from outside. */
export async function queryRows(url: string, sql: string): Promise<unknown[]> {
  const c = new Client(url);
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}
