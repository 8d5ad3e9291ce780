import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { openDatabase } from '../../src/database/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { withDatabaseName } from '../../src/database/urls';
import { createEventStore } from '../../src/event-store/create-event-store';
import { PostgresKeyStore } from '../../src/event-store/crypto-shredding';
import { EventTypeRegistry } from '../../src/event-store/event-types';
import { EventStore, StreamAppend } from '../../src/event-store/port';
import { START } from '../../src/event-store/position';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { BenchRow, printTable, removeServerFolders, round, runConcurrent, writeResults } from './harness';

/** The peer's version, from its installed package (its exports hide package.json). */
const EMMETT_VERSION: string = JSON.parse(
  fs.readFileSync(path.join(path.dirname(require.resolve('@event-driven-io/emmett-postgresql')), '../package.json'), 'utf8'),
).version;
const WRITERS = [1, 8, 32];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CATCH_UP_EVENTS = Number(process.env.BENCH_CATCH_UP_EVENTS ?? 200_000);

/** A ~500-byte event payload (data + metadata), as a registration command would write. */
function payload(i: number): { type: string; data: Record<string, unknown>; metadata: Record<string, unknown> } {
  return {
    type: 'RegistrationSubmitted',
    data: { i, village: '32.04.10.2001', channel: 'online', note: randomBytes(120).toString('base64') },
    metadata: {
      correlationId: 'b3f1c1de-6c55-4d3a-9a3e-0a0c6a7f2b11',
      actor: { userId: 'u-1', role: 'operator_desa', region: '32.04.10.2001' },
    },
  };
}

/**
 * Appends through the port against the physical limit of this machine (one single-row INSERT per
 * transaction into a plain table) and against a peer, Emmett's PostgreSQL event store: same
 * server, same durability (fsync on), same writers, one event per append to each writer's stream
 * with its expected version. Then read-all catch-up speed over CATCH_UP_EVENTS events.
 */
export async function eventStoreBenchmark(): Promise<BenchRow[]> {
  const dataDir = path.resolve(__dirname, '../../.data', `bench-${process.pid}`);
  const pg = await startEmbeddedPostgres({ dataDir, settings: { max_connections: 120, shared_buffers: '256MB' } });
  const rows: BenchRow[] = [];
  try {
    const admin = new Pool({ connectionString: pg.url, max: 1 });
    await admin.query('create database bench');
    await admin.end();
    const url = withDatabaseName(pg.url, 'bench');
    const ds = await openDatabase(url, 2);
    const pool = new Pool({ connectionString: url, max: 40 });
    const store = await createEventStore({
      pool,
      keys: new PostgresKeyStore(pool, randomBytes(32)),
      registry: new EventTypeRegistry(),
      maxConcurrentAppends: process.env.BENCH_APPEND_CONCURRENCY ? Number(process.env.BENCH_APPEND_CONCURRENCY) : undefined,
    });
    await pool.query('create table raw_insert (id bigserial primary key, data text not null)');
    // The peer, on the same server and database with a pool of the same size: Emmett's own schema.
    const emmettPool = new Pool({ connectionString: url, max: 40 });
    const emmett = getPostgreSQLEventStore(url, { connectionOptions: { pool: emmettPool } });
    await emmett.schema.migrate();
    const rawPayload = JSON.stringify(payload(0));

    for (const writers of WRITERS) {
      const raw = await runConcurrent(writers, SECONDS, async () => {
        await pool.query('insert into raw_insert (data) values ($1)', [rawPayload]);
      });
      rows.push({ benchmark: 'append', variant: 'raw INSERT (limit)', writers, ...raw });
      const versions = new Array<number>(writers).fill(0);
      const port = await runConcurrent(writers, SECONDS, async (w) => {
        const r = await store.append(`bench${writers}-${w}`, [payload(versions[w])], { expectedVersion: versions[w] });
        versions[w] = r.streamVersion;
      });
      rows.push({
        benchmark: 'append',
        variant: 'event store port',
        writers,
        ...port,
        note: `${Math.round((port.perSecond / raw.perSecond) * 100)}% of raw`,
      });
      const emmettVersions = new Array<bigint>(writers).fill(0n);
      const peer = await runConcurrent(writers, SECONDS, async (w) => {
        const r = await emmett.appendToStream(`emmett${writers}-${w}`, [payload(Number(emmettVersions[w]))], {
          expectedStreamVersion: emmettVersions[w],
        });
        emmettVersions[w] = r.nextExpectedStreamVersion;
      });
      rows.push({
        benchmark: 'append',
        variant: `Emmett ${EMMETT_VERSION} (PostgreSQL)`,
        writers,
        ...peer,
        note: `${Math.round((peer.perSecond / raw.perSecond) * 100)}% of raw; port ${(port.perSecond / peer.perSecond).toFixed(2)}× Emmett`,
      });
    }
    await emmett.close();
    await emmettPool.end();

    await fill(store, CATCH_UP_EVENTS);
    rows.push(await catchUp(store));
    await store.close();
    await pool.end();
    await ds.destroy();
  } finally {
    await pg.stop();
    removeServerFolders(dataDir);
  }
  return rows;
}

/** Bulk path: many streams per atomic appendMany, several in parallel. */
async function fill(store: EventStore, total: number): Promise<void> {
  const perCall = 500;
  let written = (await store.countAfter(START, { max: total })) ?? 0;
  let batch = 0;
  while (written < total) {
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        const b = batch++;
        const appends: StreamAppend[] = Array.from({ length: perCall / 5 }, (_, s) => ({
          streamId: `fill-${b}-${s}`,
          events: Array.from({ length: 5 }, (_, k) => payload(k)),
          expectedVersion: 'no_stream' as const,
        }));
        await store.appendMany(appends);
      }),
    );
    written += perCall * 4;
  }
}

async function catchUp(store: EventStore): Promise<BenchRow> {
  const started = process.hrtime.bigint();
  let from = START;
  let count = 0;
  for (;;) {
    const batch = await store.readAll({ from, limit: 2000 });
    count += batch.events.length;
    from = batch.position;
    if (batch.isEnd) break;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    benchmark: 'catch-up read-all',
    variant: 'event store port (decoded)',
    operations: count,
    seconds: round(seconds),
    perSecond: Math.round(count / seconds),
    note: 'batches of 2000',
  };
}

if (require.main === module) {
  void (async () => {
    const rows = await eventStoreBenchmark();
    printTable('Event store (PostgreSQL adapter) — fsync on', rows);
    process.stdout.write(`results: ${writeResults('event-store', rows)}\n`);
  })();
}
