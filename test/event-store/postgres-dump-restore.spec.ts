import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { firstValueFrom, take, toArray } from 'rxjs';
import { RunningPostgres, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { RecordedEvent } from '../../src/event-store/envelope';
import { comparePositions, GlobalPosition, START } from '../../src/event-store/position';
import { EventStore } from '../../src/event-store/port';
import { createStoreFixture, createTestDatabase, queryRows, StoreFixture } from '../support/database';

const RUN_DIR = path.resolve(__dirname, '../../.data', `test-run-${process.pid}-restore`);

async function readEverything(store: EventStore, from: GlobalPosition = START): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (;;) {
    const batch = await store.readAll({ from, limit: 50 });
    out.push(...batch.events);
    from = batch.position;
    if (batch.isEnd) return out;
  }
}

/** Uses up transaction ids, so the source cluster's ids are far above a fresh cluster's. */
async function burnTransactionIds(url: string, count: number): Promise<void> {
  const c = new Client(url);
  await c.connect();
  await c.query(`do $$ begin for i in 1..${count} loop perform pg_current_xact_id(); commit; end loop; end $$`);
  await c.end();
}

describe('PostgreSQL event store: dump and restore into a fresh cluster', () => {
  let source: StoreFixture;
  let target: StoreFixture | undefined;
  let cluster: RunningPostgres | undefined;
  beforeAll(async () => {
    const pgDump = spawnSync('pg_dump', ['--version']);
    if (pgDump.status !== 0) throw new Error('pg_dump is not installed: apt-get install postgresql-client (see .ci/run)');
    source = await createStoreFixture();
  });
  afterAll(async () => {
    await source.close();
    await target?.close();
    await cluster?.stop();
    fs.rmSync(RUN_DIR, { recursive: true, force: true });
    fs.rmSync(`${path.dirname(RUN_DIR)}/.${path.basename(RUN_DIR)}-password`, { force: true });
    fs.rmSync(`${path.dirname(RUN_DIR)}/.${path.basename(RUN_DIR)}-socket`, { recursive: true, force: true });
  });

  it('keeps every event exactly once and in order, for read-all and for a resuming subscriber', async () => {
    await burnTransactionIds(source.url, 3000);
    for (let i = 1; i <= 10; i++) {
      await source.store.append(`case-${i % 3}`, [{ type: 'Before', data: { i } }], { expectedVersion: 'any' });
    }
    const before = await readEverything(source.store);
    const checkpoint = before[5].position; // a subscriber had processed six events
    const [{ xid: sourceXid }] = (await queryRows(source.url, 'select pg_current_xact_id()::text::bigint as xid')) as {
      xid: string;
    }[];

    const dumpFile = path.join(path.dirname(RUN_DIR), `dump-${process.pid}.pgdump`);
    const dump = spawnSync('pg_dump', ['-Fc', '-f', dumpFile, '-d', source.url]);
    expect(dump.stderr.toString()).toBe('');
    cluster = await startEmbeddedPostgres({ dataDir: RUN_DIR, settings: { fsync: 'off' } });
    const db = await createTestDatabase(cluster.url);
    const restore = spawnSync('pg_restore', ['--no-owner', '-d', db.url, dumpFile]);
    fs.rmSync(dumpFile, { force: true });
    expect(restore.stderr.toString()).toBe('');

    // The fresh cluster's transaction ids start far below the source's: positions must not depend on them.
    const [{ xid: freshXid }] = (await queryRows(db.url, 'select pg_current_xact_id()::text::bigint as xid')) as {
      xid: string;
    }[];
    expect(Number(freshXid)).toBeLessThan(Number(sourceXid));

    target = await createStoreFixture({ url: db.url });
    for (let i = 11; i <= 15; i++) {
      await target.store.append(`case-${i % 3}`, [{ type: 'After', data: { i } }], { expectedVersion: 'any' });
    }
    const after = await readEverything(target.store);
    expect(after.map((e) => (e.data as { i: number }).i)).toEqual([
      ...before.map((e) => (e.data as { i: number }).i),
      11,
      12,
      13,
      14,
      15,
    ]);
    for (let i = 1; i < after.length; i++) expect(comparePositions(after[i - 1].position, after[i].position)).toBe(-1);

    const resumed = await firstValueFrom(target.store.subscribe({ from: checkpoint }).pipe(take(9), toArray()));
    expect(resumed.map((e) => e.eventId)).toEqual(after.slice(6).map((e) => e.eventId));
    expect((await target.store.verifyIntegrity()).broken).toEqual([]);
  });
});
