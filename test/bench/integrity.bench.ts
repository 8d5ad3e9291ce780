import { createHash, randomBytes, sign } from 'node:crypto';
import * as path from 'node:path';
import { Pool } from 'pg';
import { openDatabase } from '../../src/database/data-source';
import { createEventStore } from '../../src/event-store/create-event-store';
import { PostgresKeyStore } from '../../src/event-store/crypto-shredding';
import { EventTypeRegistry } from '../../src/event-store/event-types';
import { readCheckpointFile } from '../../src/event-store/integrity/checkpoint-file';
import { CheckpointWriter } from '../../src/event-store/integrity/checkpoint-writer';
import { deriveIntegrityKeys, eventMac } from '../../src/event-store/integrity/keys';
import { EventStore, StreamAppend } from '../../src/event-store/port';
import { verifyEventStore } from '../../src/event-store/verify';
import { systemClock } from '../../src/shared/clock';
import { benchDatabase, BenchRow, round, runConcurrent } from './harness';
import { payload } from './event-store.bench';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SEAL_EVENTS = Number(process.env.BENCH_SEAL_EVENTS ?? 50_000);

/**
 * The cost of tamper evidence (docs/adr/0002): CPU per event of the MAC and of the rejected
 * alternative (an Ed25519 signature per event); appends through the port with and without the
 * MAC, interleaved in rounds (the machine is shared: compare medians, read the ranges); sealing
 * and full verification speed.
 */
export async function integrityBenchmark(): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  const rows: BenchRow[] = [];
  const keys = deriveIntegrityKeys(randomBytes(32));
  const sample = {
    streamId: 'registration-0b8f0f5e-7c43-4b8e-9d0e-3c6a7f2b1100',
    eventId: '5d0c7f1e-9a2b-4c3d-8e4f-1a2b3c4d5e6f',
    type: 'RegistrationSubmitted',
    schemaVersion: 1,
    dataJson: JSON.stringify(payload(1).data),
    metadataJson: JSON.stringify(payload(1).metadata),
  };
  rows.push(cpu('per event, CPU', 'HMAC-SHA256 (chosen)', () => eventMac(keys.macKey, sample)));
  rows.push(cpu('per event, CPU', 'sha256 link (as es_link_hash)', () => createHash('sha256').update(sample.dataJson).digest()));
  rows.push(
    cpu('per event, CPU', 'Ed25519 signature (alternative)', () =>
      sign(null, Buffer.from(sample.dataJson + sample.metadataJson), keys.signingKey),
    ),
  );

  const db = await benchDatabase('integrity');
  const extra: Record<string, unknown> = { rounds: ROUNDS, secondsPerRun: SECONDS };
  try {
    const ds = await openDatabase(db.url, 2);
    const pool = new Pool({ connectionString: db.url, max: 40 });
    const registry = new EventTypeRegistry();
    const kek = randomBytes(32);
    const plain = await createEventStore({ pool, keys: new PostgresKeyStore(pool, kek), registry });
    const keyed = await createEventStore({ pool, keys: new PostgresKeyStore(pool, kek), registry, macKey: keys.macKey });
    const samples: Record<string, number[]> = {};
    for (let r = 0; r < ROUNDS; r++) {
      for (const writers of [1, 8]) {
        for (const [name, store] of r % 2
          ? ([
              ['MAC', keyed],
              ['no MAC', plain],
            ] as const)
          : ([
              ['no MAC', plain],
              ['MAC', keyed],
            ] as const)) {
          const versions = new Array<number>(writers).fill(0);
          const result = await runConcurrent(writers, SECONDS, async (w) => {
            const s = await store.append(`b${r}-${writers}-${name.replace(' ', '')}-${w}`, [payload(versions[w])], {
              expectedVersion: versions[w],
            });
            versions[w] = s.streamVersion;
          });
          (samples[`${name}@${writers}`] ??= []).push(result.perSecond);
          rows.push({ benchmark: `append round ${r + 1}`, variant: `port, ${name}`, writers, ...result });
        }
      }
    }
    for (const writers of [1, 8]) {
      const mac = samples[`MAC@${writers}`];
      const none = samples[`no MAC@${writers}`];
      extra[`appendsPerSecond@${writers}`] = {
        mac: summary(mac),
        noMac: summary(none),
        ratio: round(median(mac) / median(none)),
      };
    }
    await fill(keyed, SEAL_EVENTS);
    const file = path.join(db.dataDir, 'checkpoints.jsonl');
    const writer = new CheckpointWriter(keyed, keys, systemClock, { file, intervalMs: 60_000, databaseUrl: db.url });
    const total = Number((await pool.query('select count(*) as n from es_events')).rows[0].n);
    let started = process.hrtime.bigint();
    const sealed = await writer.sealNow();
    let seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rows.push({
      benchmark: 'seal',
      variant: `checkpoint writer, ${sealed?.length} records`,
      operations: total,
      seconds: round(seconds),
      perSecond: Math.round(total / seconds),
    });
    await writer.stop();
    started = process.hrtime.bigint();
    const result = await verifyEventStore(keyed, { checkpoints: readCheckpointFile(file, keys.publicKey) });
    seconds = Number(process.hrtime.bigint() - started) / 1e9;
    rows.push({
      benchmark: 'verify',
      variant: `events:verify (chains, MACs, checkpoints, global log), ${result.ok ? 'intact' : 'BROKEN'}`,
      operations: result.report.eventsChecked,
      seconds: round(seconds),
      perSecond: Math.round(result.report.eventsChecked / seconds),
    });
    await plain.close();
    await keyed.close();
    await pool.end();
    await ds.destroy();
  } finally {
    await db.stop();
  }
  return { rows, extra };
}

function cpu(benchmark: string, variant: string, op: () => unknown): BenchRow {
  const n = 50_000;
  for (let i = 0; i < 2000; i++) op(); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) op();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    benchmark,
    variant,
    operations: n,
    seconds: round(seconds),
    perSecond: Math.round(n / seconds),
    note: `${round((seconds / n) * 1e6)} µs each`,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function summary(xs: number[]): { median: number; min: number; max: number } {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

async function fill(store: EventStore, total: number): Promise<void> {
  for (let b = 0; b * 500 < total; b++) {
    const appends: StreamAppend[] = Array.from({ length: 100 }, (_, s) => ({
      streamId: `fill-${b}-${s}`,
      events: Array.from({ length: 5 }, (_, k) => payload(k)),
      expectedVersion: 'no_stream' as const,
    }));
    await store.appendMany(appends);
  }
}
