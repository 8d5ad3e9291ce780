import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { Pool } from 'pg';
import { Settings } from '../../src/config/settings.module';
import { openDatabase } from '../../src/database/data-source';
import { DocumentStore } from '../../src/documents/document-store';
import { PostgresKeyStore } from '../../src/event-store/crypto-shredding';
import { normaliseName } from '../../src/registration/application';
import { nameKeyFor } from '../../src/status-check/name-key';
import { BenchRow, benchDatabase, round } from './harness';

const DOCUMENTS = Number(process.env.BENCH_ERASURE_DOCUMENTS ?? 300);
const DOCUMENT_BYTES = 200 * 1024; // a phone photo of a KTP, compressed
const NAMES = 200_000;

/** Sequential operations: throughput and latency percentiles. */
async function timed(
  benchmark: string,
  variant: string,
  n: number,
  op: (i: number) => Promise<unknown> | unknown,
): Promise<BenchRow> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op(i);
    latencies.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    benchmark,
    variant,
    writers: 1,
    operations: n,
    seconds: round(seconds),
    perSecond: round(n / seconds),
    p50Ms: round(latencies[Math.floor(n / 2)]),
    p99Ms: round(latencies[Math.floor(n * 0.99)]),
  };
}

/**
 * What erasure costs (issue 15, item 5 asks for the cost of items 1-3): uploads now encrypted
 * with a key of their own (plain write as before vs DocumentStore.store), the status check's
 * keyed hash of a name (HMAC) against the normalisation it already did, and destroying one
 * household's keys and documents (what an approval does after its event: 4 streams, 12 files).
 */
export async function erasureBenchmark(): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  const server = await benchDatabase('erasure');
  const ds = await openDatabase(server.url, 4);
  const pool = new Pool({ connectionString: server.url, max: 4 });
  const dir = path.join(server.dataDir, 'documents');
  const keys = new PostgresKeyStore(pool, randomBytes(32));
  const settings = { config: { documents: { dir } } } as unknown as Settings;
  const documents = new DocumentStore(ds, settings, keys);
  const rows: BenchRow[] = [];
  try {
    const bodies = Array.from({ length: DOCUMENTS }, () =>
      Buffer.concat([Buffer.from('%PDF-1.4 '), randomBytes(DOCUMENT_BYTES)]),
    );
    const plainDir = path.join(server.dataDir, 'plain');
    // The store as it was: content-addressed file written and renamed, then its row.
    rows.push(
      await timed('document upload', 'plain file (before)', DOCUMENTS, async (i) => {
        const sha = createHash('sha256').update(bodies[i]).digest('hex');
        const file = path.join(plainDir, sha.slice(0, 2), sha);
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(`${file}.tmp`, bodies[i], { mode: 0o600 });
        await fs.rename(`${file}.tmp`, file);
        await ds.query(
          'insert into stored_documents (sha256, media_type, size_bytes) values ($1, $2, $3) on conflict do nothing',
          [createHash('sha256').update(`plain${sha}`).digest('hex'), 'application/pdf', bodies[i].length],
        );
      }),
    );
    const stored: string[] = [];
    rows.push(
      await timed('document upload', 'encrypted, own key (now)', DOCUMENTS, async (i) => {
        stored.push((await documents.store(bodies[i], 'application/pdf')).sha256);
      }),
    );
    rows.push(await timed('document read', 'decrypt + verify hash', DOCUMENTS, (i) => documents.read(stored[i])));

    const names = Array.from({ length: NAMES }, (_, i) => `Nama Penduduk ${i} Bin Fulan`);
    const nameKey = nameKeyFor(randomBytes(32));
    rows.push(await timed('status-check name key', 'normalised name (before)', NAMES, (i) => normaliseName(names[i])));
    rows.push(await timed('status-check name key', 'HMAC of normalised name (now)', NAMES, (i) => nameKey(names[i])));

    // One household's erasure after its event: 4 stream keys, 12 documents (keys destroyed, files removed).
    const households = Math.floor(stored.length / 12);
    rows.push(
      await timed('erasure apply', 'household: 4 keys + 12 documents', households, async (h) => {
        for (let s = 0; s < 4; s++) await keys.destroy(`household-bench-${h}-${s}`);
        await documents.erase(stored.slice(h * 12, h * 12 + 12));
      }),
    );
    return { rows, extra: { documentBytes: DOCUMENT_BYTES, documents: DOCUMENTS, names: NAMES } };
  } finally {
    await pool.end();
    await ds.destroy();
    await server.stop();
  }
}
