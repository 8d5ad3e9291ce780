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
/** Seconds per measurement; each (shape, writers, target) is measured once per round. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
/** Rounds, interleaved: every target is measured in every round, in a rotating order. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CATCH_UP_EVENTS = Number(process.env.BENCH_CATCH_UP_EVENTS ?? 200_000);
const SHAPES = [
  { name: 'single events', events: 1 },
  { name: '10-event batches', events: 10 },
] as const;
const TARGETS = ['raw INSERT (limit)', 'event store port', `Emmett ${EMMETT_VERSION} (PostgreSQL)`] as const;
type Target = (typeof TARGETS)[number];

/** A ~500-byte event payload (data + metadata), as a registration command would write. */
export function payload(i: number): { type: string; data: Record<string, unknown>; metadata: Record<string, unknown> } {
  return {
    type: 'RegistrationSubmitted',
    data: { i, village: '32.04.10.2001', channel: 'online', note: randomBytes(120).toString('base64') },
    metadata: {
      correlationId: 'b3f1c1de-6c55-4d3a-9a3e-0a0c6a7f2b11',
      actor: { userId: 'u-1', role: 'operator_desa', region: '32.04.10.2001' },
    },
  };
}

interface Sample {
  eventsPerSecond: number;
  p50Ms: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const range = (xs: readonly number[], digits = 0): string =>
  `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

/**
 * Appends through the port against the physical limit of this machine (raw INSERTs, one
 * transaction per append: one row, or one statement of ten rows for a batch) and against a peer,
 * Emmett's PostgreSQL event store: same server, same durability (fsync on), same writers, each
 * writer appending to its own stream with its expected version. Every (shape, writers) cell is
 * measured once per round for each target, the targets' order rotating between rounds; the
 * table gives medians with their ranges, and the port's ratios per round. Then read-all
 * catch-up speed over CATCH_UP_EVENTS events.
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
    const [{ fsync }] = (await pool.query('show fsync')).rows;
    if (fsync !== 'on') throw new Error(`the bench server must run with fsync on (it is ${fsync})`);
    const store = await createEventStore({
      pool,
      keys: new PostgresKeyStore(pool, randomBytes(32)),
      registry: new EventTypeRegistry(),
      // As the app runs it: every event carries its MAC (docs/adr/0002), so the port pays for it here.
      macKey: randomBytes(32),
      maxConcurrentAppends: process.env.BENCH_APPEND_CONCURRENCY ? Number(process.env.BENCH_APPEND_CONCURRENCY) : undefined,
    });
    await pool.query('create table raw_insert (id bigserial primary key, data text not null)');
    // The peer, on the same server and database with a pool of the same size: Emmett's own schema.
    const emmettPool = new Pool({ connectionString: url, max: 40 });
    const emmett = getPostgreSQLEventStore(url, { connectionOptions: { pool: emmettPool } });
    await emmett.schema.migrate();
    const rawPayload = JSON.stringify(payload(0));

    const measure = async (target: Target, round: number, events: number, writers: number): Promise<Sample> => {
      const tag = `r${round}e${events}w${writers}`;
      let r: Awaited<ReturnType<typeof runConcurrent>>;
      if (target === 'raw INSERT (limit)') {
        const batch = new Array<string>(events).fill(rawPayload);
        r = await runConcurrent(writers, SECONDS, async () => {
          if (events === 1) await pool.query('insert into raw_insert (data) values ($1)', [rawPayload]);
          else await pool.query('insert into raw_insert (data) select unnest($1::text[])', [batch]);
        });
      } else if (target === 'event store port') {
        const versions = new Array<number>(writers).fill(0);
        r = await runConcurrent(writers, SECONDS, async (w) => {
          const evs = Array.from({ length: events }, (_, k) => payload(versions[w] + k));
          const res = await store.append(`port${tag}-${w}`, evs, { expectedVersion: versions[w] });
          versions[w] = res.streamVersion;
        });
      } else {
        const versions = new Array<bigint>(writers).fill(0n);
        r = await runConcurrent(writers, SECONDS, async (w) => {
          const evs = Array.from({ length: events }, (_, k) => payload(Number(versions[w]) + k));
          const res = await emmett.appendToStream(`emmett${tag}-${w}`, evs, { expectedStreamVersion: versions[w] });
          versions[w] = res.nextExpectedStreamVersion;
        });
      }
      return { eventsPerSecond: r.perSecond * events, p50Ms: r.p50Ms };
    };

    const samples = new Map<string, Sample[]>();
    const key = (shape: number, writers: number, target: Target): string => `${shape}/${writers}/${target}`;
    for (let round = 0; round < ROUNDS; round++) {
      for (const shape of SHAPES) {
        for (const writers of WRITERS) {
          for (let t = 0; t < TARGETS.length; t++) {
            const target = TARGETS[(t + round) % TARGETS.length];
            const sample = await measure(target, round, shape.events, writers);
            const k = key(shape.events, writers, target);
            samples.set(k, [...(samples.get(k) ?? []), sample]);
          }
        }
      }
      process.stdout.write(`event-store bench: round ${round + 1}/${ROUNDS} done\n`);
    }

    for (const shape of SHAPES) {
      for (const writers of WRITERS) {
        const of = (target: Target): Sample[] => samples.get(key(shape.events, writers, target))!;
        const raw = of('raw INSERT (limit)');
        const port = of('event store port');
        const peer = of(TARGETS[2]);
        const vsRaw = port.map((p, i) => p.eventsPerSecond / raw[i].eventsPerSecond);
        const vsPeer = port.map((p, i) => p.eventsPerSecond / peer[i].eventsPerSecond);
        for (const target of TARGETS) {
          const xs = of(target);
          const rate = xs.map((x) => x.eventsPerSecond);
          let note = `events/s ${range(rate)} over ${xs.length} rounds`;
          if (target === 'event store port') {
            note += `; ${median(vsRaw).toFixed(2)}× raw (${range(vsRaw, 2)}), ${median(vsPeer).toFixed(2)}× Emmett (${range(vsPeer, 2)})`;
          }
          rows.push({
            benchmark: `append, ${shape.name}`,
            variant: target,
            writers,
            operations: xs.length,
            seconds: SECONDS,
            perSecond: Math.round(median(rate)),
            p50Ms: round(median(xs.map((x) => x.p50Ms))),
            note,
          });
        }
      }
    }
    await emmett.close();
    await emmettPool.end();

    await fill(store, CATCH_UP_EVENTS);
    rows.push(await catchUp(store));
    rows.push(...(await readerBoundCost(pool, url)));
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

/**
 * The alternative visibility design (docs/adr/0001-event-visibility.md) lets appends run in
 * parallel but makes every read first find the oldest in-flight appending transaction in pg_locks
 * (appenders take a shared advisory lock before their transaction id). Its reader-side cost,
 * against the chosen design's plain read, with 8 appending transactions held open.
 */
async function readerBoundCost(pool: Pool, url: string): Promise<BenchRow[]> {
  const holders = await Promise.all(
    Array.from({ length: 8 }, async () => {
      const c = new Pool({ connectionString: url, max: 1 });
      const client = await c.connect();
      await client.query('begin');
      await client.query('select pg_advisory_xact_lock_shared(29541, 2), pg_current_xact_id()');
      return { c, client };
    }),
  );
  const time = async (sql: string, n = 300): Promise<{ p50: number; n: number }> => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      await pool.query(sql);
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    ms.sort((a, b) => a - b);
    return { p50: round(ms[Math.floor(n / 2)]), n };
  };
  const plain = await time(
    'select global_position from es_events where global_position > (select max(global_position) - 100 from es_events) order by global_position limit 500',
  );
  const bound = await time(`
    select coalesce(min(a.backend_xid::text::bigint), pg_snapshot_xmax(pg_current_snapshot())::text::bigint) as below
    from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.classid = 29541 and l.objid = 2 and l.objsubid = 2
      and l.database = (select oid from pg_database where datname = current_database())`);
  for (const h of holders) {
    await h.client.query('rollback');
    h.client.release();
    await h.c.end();
  }
  return [
    {
      benchmark: 'reader cost',
      variant: 'chosen: plain read by position',
      operations: plain.n,
      seconds: 0,
      perSecond: 0,
      p50Ms: plain.p50,
    },
    {
      benchmark: 'reader cost',
      variant: 'alternative: + bound from pg_locks',
      operations: bound.n,
      seconds: 0,
      perSecond: 0,
      p50Ms: bound.p50,
      note: 'extra query per read, 8 appenders in flight',
    },
  ];
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
