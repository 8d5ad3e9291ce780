import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCheckpointFile, Seals } from '../../src/event-store/integrity/checkpoint-file';
import { CheckpointIndex } from '../../src/event-store/integrity/checkpoint-index';
import { CheckpointWriter } from '../../src/event-store/integrity/checkpoint-writer';
import { createEventStore } from '../../src/event-store/create-event-store';
import { IntegrityKeyMismatchError } from '../../src/event-store/errors';
import { deriveIntegrityKeys } from '../../src/event-store/integrity/keys';
import { BrokenStream, TamperKind } from '../../src/event-store/port';
import { verifyEventStore, VerificationResult } from '../../src/event-store/verify';
import { systemClock } from '../../src/shared/clock';
import { createStoreFixture, StoreFixture, TEST_INTEGRITY_KEYS } from '../support/database';

/**
 * Each attack is what a database administrator can do with plain SQL, re-chaining with the
 * database's own es_link_hash where the attack calls for it. Verification must name it.
 */
describe('tamper evidence against a database administrator', () => {
  let fx: StoreFixture;
  let dir: string;
  let file: string;
  let writer: CheckpointWriter;

  beforeAll(async () => {
    fx = await createStoreFixture();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bansos-integrity-'));
    file = path.join(dir, 'checkpoints.jsonl');
    writer = new CheckpointWriter(fx.store, TEST_INTEGRITY_KEYS, systemClock, {
      file,
      intervalMs: 60_000,
      databaseUrl: fx.url,
    });
  });
  afterAll(async () => {
    await writer.stop();
    await fx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A stream of five events, sealed by a signed checkpoint. */
  async function sealedStream(): Promise<string> {
    const stream = `case-${randomUUID()}`;
    await fx.store.append(
      stream,
      [1, 2, 3, 4, 5].map((n) => ({ type: 'Step', data: { n } })),
      { expectedVersion: 'no_stream' },
    );
    await sealedUpTo(stream, 5);
    return stream;
  }

  /** Seals until a checkpoint holds the stream at `version` (new events are visible to readers
   * once older transactions on the server finish; no fixed sleep, a deadline). */
  async function sealedUpTo(stream: string, version: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await writer.sealNow();
      const seals = new Seals(false);
      readCheckpointFile(file, TEST_INTEGRITY_KEYS.publicKey).records.forEach((r) => seals.add(r));
      if ((seals.get(stream)?.version ?? 0) >= version) return;
      if (Date.now() > deadline) throw new Error(`${stream} not sealed up to ${version} within 20 s`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  const sql = (text: string, params: unknown[] = []): Promise<unknown> => fx.pool.query(text, params);

  /** Recomputes the links from `from` on, as the administrator can with the database's function. */
  async function rechain(stream: string, from: number): Promise<void> {
    const { rows } = await fx.pool.query<{ v: string }>('select max(stream_version) as v from es_events where stream_id = $1', [
      stream,
    ]);
    for (let v = from; v <= Number(rows[0].v); v++) {
      await sql(
        `update es_events e set hash = es_link_hash(
           coalesce((select p.hash from es_events p where p.stream_id = e.stream_id and p.stream_version = e.stream_version - 1), ''),
           e.stream_id, e.stream_version, e.event_id, e.type, e.schema_version, e.data, e.metadata)
         where e.stream_id = $1 and e.stream_version = $2`,
        [stream, v],
      );
    }
  }

  /** Moves versions above `above` by `delta` (two steps, so the primary key never collides). */
  async function shift(stream: string, above: number, delta: number): Promise<void> {
    await sql('update es_events set stream_version = -stream_version where stream_id = $1 and stream_version > $2', [
      stream,
      above,
    ]);
    await sql('update es_events set stream_version = -stream_version + $2 where stream_id = $1 and stream_version < 0', [
      stream,
      delta,
    ]);
  }

  async function verify(streamIds?: string[]): Promise<VerificationResult> {
    return verifyEventStore(fx.store, { streamIds, checkpoints: readCheckpointFile(file, TEST_INTEGRITY_KEYS.publicKey) });
  }

  function kinds(result: VerificationResult, stream: string): TamperKind[] {
    const broken: BrokenStream | undefined = result.report.broken.find((b) => b.streamId === stream);
    return [...new Set(broken?.problems.map((p) => p.kind) ?? [])];
  }

  it('passes an untouched sealed stream, MACs checked', async () => {
    const stream = await sealedStream();
    const result = await verify([stream]);
    expect(result.report).toMatchObject({ broken: [], macsChecked: true, unkeyedEvents: 0, eventsChecked: 5 });
    expect(result.ok).toBe(true);
  });

  it('names an edited event (content changed, not re-chained)', async () => {
    const stream = await sealedStream();
    await sql(`update es_events set data = '{"n":99}' where stream_id = $1 and stream_version = 3`, [stream]);
    const result = await verify([stream]);
    expect(result.report.broken[0].problems).toContainEqual(expect.objectContaining({ kind: 'edited', streamVersion: 3 }));
  });

  it('names a re-chained suffix (edited, then every later link recomputed with es_link_hash)', async () => {
    const stream = await sealedStream();
    await sql(`update es_events set data = '{"n":99}' where stream_id = $1 and stream_version = 3`, [stream]);
    await rechain(stream, 3);
    const result = await verify([stream]);
    expect(kinds(result, stream)).not.toContain('chain-broken'); // the unkeyed chain alone says nothing
    expect(result.report.broken[0].problems).toContainEqual(expect.objectContaining({ kind: 'rechained', streamVersion: 5 }));
    expect(kinds(result, stream)).toContain('edited');
  });

  it('names a deleted middle event (later ones renumbered and re-chained)', async () => {
    const stream = await sealedStream();
    await sql('delete from es_events where stream_id = $1 and stream_version = 3', [stream]);
    await shift(stream, 3, -1);
    await rechain(stream, 3);
    const result = await verify([stream]);
    expect(kinds(result, stream)).not.toContain('chain-broken');
    expect(result.report.broken[0].problems).toContainEqual(expect.objectContaining({ kind: 'deleted', streamVersion: 3 }));
    expect(kinds(result, stream)).not.toContain('deleted-tail');
  });

  it('names deleted tail events (no re-chaining needed: the rest still links up)', async () => {
    const stream = await sealedStream();
    await sql('delete from es_events where stream_id = $1 and stream_version > 3', [stream]);
    const result = await verify([stream]);
    expect(kinds(result, stream)).toEqual(['deleted-tail']);
    expect(result.report.broken[0].problems.map((p) => p.streamVersion)).toEqual([4, 5]);
  });

  it('names reordered events (two swapped, re-chained)', async () => {
    const stream = await sealedStream();
    await sql('update es_events set stream_version = -2 where stream_id = $1 and stream_version = 2', [stream]);
    await sql('update es_events set stream_version = 2 where stream_id = $1 and stream_version = 3', [stream]);
    await sql('update es_events set stream_version = 3 where stream_id = $1 and stream_version = -2', [stream]);
    await rechain(stream, 2);
    const result = await verify([stream]);
    expect(kinds(result, stream)).not.toContain('chain-broken');
    expect(kinds(result, stream)).toContain('reordered');
  });

  it('names an inserted forged event (inserted at version 3, later ones renumbered, re-chained)', async () => {
    const stream = await sealedStream();
    await shift(stream, 2, 1);
    await sql(
      `insert into es_events (stream_id, stream_version, category, event_id, type, schema_version, data, metadata,
                              recorded_at, hash, mac)
       select stream_id, 3, category, $2, type, schema_version, '{"n":42}', metadata, recorded_at, '', $3
       from es_events where stream_id = $1 and stream_version = 2`,
      [stream, randomUUID(), randomBytes(32).toString('hex')],
    );
    await rechain(stream, 3);
    const result = await verify([stream]);
    expect(kinds(result, stream)).not.toContain('chain-broken');
    // Named twice, independently: the checkpoint never sealed its id, and its MAC does not match.
    expect(result.report.broken[0].problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'forged', streamVersion: 3, detail: expect.stringMatching(/not among those sealed/) }),
        expect.objectContaining({ kind: 'forged', streamVersion: 3, detail: expect.stringMatching(/MAC does not match/) }),
      ]),
    );
  });

  it('names a forged event appended after the last checkpoint by its MAC, and keeps naming it once sealed', async () => {
    const stream = await sealedStream();
    await sql(
      `insert into es_events (stream_id, stream_version, category, event_id, type, schema_version, data, metadata,
                              recorded_at, hash, mac)
       select stream_id, 6, category, $2, type, schema_version, '{"n":6}', metadata, recorded_at, '', $3
       from es_events where stream_id = $1 and stream_version = 5`,
      [stream, randomUUID(), randomBytes(32).toString('hex')],
    );
    await rechain(stream, 6);
    const before = await verify([stream]);
    expect(before.report.broken[0].problems).toContainEqual(expect.objectContaining({ kind: 'forged', streamVersion: 6 }));
    // The writer seals what it finds, saying the MAC failed: the record keeps it forged for ever.
    await sealedUpTo(stream, 6);
    const records = readCheckpointFile(file, TEST_INTEGRITY_KEYS.publicKey).records;
    expect(records.at(-1)!.streams).toContainEqual(expect.objectContaining({ s: stream, forged: [6] }));
    const after = await verify([stream]);
    expect(after.report.broken[0].problems).toContainEqual(expect.objectContaining({ kind: 'forged', streamVersion: 6 }));
  });

  it('names every affected stream in one pass, not only the first, and the global log differs', async () => {
    const [a, b, c, intact] = [await sealedStream(), await sealedStream(), await sealedStream(), await sealedStream()];
    await sql('delete from es_events where stream_id = $1 and stream_version = 5', [a]);
    await sql(`update es_events set data = '{"n":0}' where stream_id = $1 and stream_version = 1`, [b]);
    await sql('delete from es_events where stream_id = $1', [c]);
    const result = await verify();
    const named = new Map(result.report.broken.map((x) => [x.streamId, x.problems.map((p) => p.kind)]));
    expect(named.get(a)).toEqual(['deleted-tail']);
    expect(named.get(b)).toContain('edited');
    expect(named.get(c)).toEqual(['deleted-tail']);
    expect(named.has(intact)).toBe(false);
    // Once, at the first checkpoint that differs, with how many later ones differ too (not one line each).
    const logLines = result.evidenceProblems.filter((p) => p.startsWith('global log differs'));
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toMatch(/^global log differs from checkpoint #\d+ .*; [1-9]\d* later checkpoint\(s\) differ too$/);
    expect(result.ok).toBe(false);
  });

  it('the per-read check (each stream against its latest seal only, as the app keeps them) detects every attack too', async () => {
    const [rechained, middle, tail, reordered, inserted] = [
      await sealedStream(),
      await sealedStream(),
      await sealedStream(),
      await sealedStream(),
      await sealedStream(),
    ];
    await sql(`update es_events set data = '{"n":99}' where stream_id = $1 and stream_version = 3`, [rechained]);
    await rechain(rechained, 3);
    await sql('delete from es_events where stream_id = $1 and stream_version = 3', [middle]);
    await shift(middle, 3, -1);
    await rechain(middle, 3);
    await sql('delete from es_events where stream_id = $1 and stream_version > 3', [tail]);
    await sql('update es_events set stream_version = -2 where stream_id = $1 and stream_version = 2', [reordered]);
    await sql('update es_events set stream_version = 2 where stream_id = $1 and stream_version = 3', [reordered]);
    await sql('update es_events set stream_version = 3 where stream_id = $1 and stream_version = -2', [reordered]);
    await rechain(reordered, 2);
    await shift(inserted, 2, 1);
    await sql(
      `insert into es_events (stream_id, stream_version, category, event_id, type, schema_version, data, metadata,
                              recorded_at, hash, mac)
       select stream_id, 3, category, $2, type, schema_version, data, metadata, recorded_at, '', mac
       from es_events where stream_id = $1 and stream_version = 2`,
      [inserted, randomUUID()], // a copy of an authentic event, MAC and all, under a new id
    );
    await rechain(inserted, 3);
    const latest = new Seals(false);
    readCheckpointFile(file, TEST_INTEGRITY_KEYS.publicKey).records.forEach((r) => latest.add(r));
    const streams = [rechained, middle, tail, reordered, inserted];
    const report = await fx.store.verifyIntegrity({ streamIds: streams, seals: latest });
    const named = new Map(report.broken.map((b) => [b.streamId, b.problems.map((p) => p.kind)]));
    expect(named.get(rechained)).toEqual(expect.arrayContaining(['rechained', 'edited']));
    expect(named.get(middle)).toContain('deleted');
    expect(named.get(tail)).toContain('deleted-tail');
    expect(named.get(reordered)).toContain('rechained');
    expect(named.get(inserted)).toEqual(expect.arrayContaining(['forged']));
  });

  it('names a MAC stripped to pass an edit off as written before keyed evidence', async () => {
    const stream = await sealedStream();
    await sql(`update es_events set data = '{"n":7}', mac = null where stream_id = $1 and stream_version = 4`, [stream]);
    await rechain(stream, 4);
    const result = await verify([stream]);
    expect(result.report.broken[0].problems).toContainEqual(expect.objectContaining({ kind: 'mac-removed', streamVersion: 4 }));
  });

  it('counts events written before keyed evidence (no MAC) as unkeyed, not as tampered', async () => {
    const legacy = await createEventStore({ pool: fx.pool, keys: fx.keys, registry: fx.registry }); // a codec without the key
    const stream = `case-${randomUUID()}`;
    await legacy.append(
      stream,
      [
        { type: 'Old', data: {} },
        { type: 'Old', data: {} },
      ],
      { expectedVersion: 'no_stream' },
    );
    await fx.store.append(stream, [{ type: 'New', data: {} }], { expectedVersion: 2 });
    await legacy.close();
    await sealedUpTo(stream, 3);
    const result = await verify([stream]);
    expect(result.report).toMatchObject({ broken: [], unkeyedEvents: 2 });
    expect(result.message).toContain('2 peristiwa tanpa MAC (sebelum bukti berkunci) / unkeyed events (before keyed evidence)');
  });

  it('the app notices its checkpoint file deleted or truncated', () => {
    const copy = path.join(dir, 'watched.jsonl');
    fs.copyFileSync(file, copy);
    const index = new CheckpointIndex(copy, TEST_INTEGRITY_KEYS.publicKey, 0);
    expect(index.current().problems).toEqual([]);
    expect(index.current().last?.seq).toBeGreaterThan(1);
    fs.truncateSync(copy, 10);
    expect(index.current().problems.join()).toMatch(/checkpoint file shrank from \d+ to 10 bytes \(deleted or truncated\)/);
  });

  it('refuses a checkpoint file edited by hand (its signature no longer verifies)', () => {
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const first = JSON.parse(lines[0]);
    first.streams[0].h = '0'.repeat(64);
    const edited = path.join(dir, 'edited.jsonl');
    fs.writeFileSync(edited, [JSON.stringify(first), ...lines.slice(1)].join('\n') + '\n');
    const log = readCheckpointFile(edited, TEST_INTEGRITY_KEYS.publicKey);
    expect(log.problems[0]).toBe('line 1: signature does not verify with the public key');
    expect(log.problems[1]).toMatch(/checkpoint #2: does not follow checkpoint #0/);
  });

  it('refuses to start with a MAC key that fits none of the latest keyed events (it would quarantine them all)', async () => {
    await sealedStream(); // keyed events exist
    const wrong = deriveIntegrityKeys(randomBytes(32));
    const start = (macKey: Buffer) => createEventStore({ pool: fx.pool, keys: fx.keys, registry: fx.registry, macKey });
    await expect(start(wrong.macKey)).rejects.toBeInstanceOf(IntegrityKeyMismatchError);
    const right = await start(TEST_INTEGRITY_KEYS.macKey);
    await right.close();
  });
});
