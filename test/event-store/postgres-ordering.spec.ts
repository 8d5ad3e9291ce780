import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { firstValueFrom } from 'rxjs';
import { RecordedEvent } from '../../src/event-store/envelope';
import { START } from '../../src/event-store/position';
import { createStoreFixture, holdAppendOpen, StoreFixture } from '../support/database';

const settle = (ms = 400): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL event store: global order', () => {
  let fx: StoreFixture;
  beforeAll(async () => (fx = await createStoreFixture({ pollIntervalMs: 50 })));
  afterAll(() => fx.close());

  // Gap safety (an older append committing late is never skipped) is in the contract suite
  // (test/contract/event-store.contract.ts); unrelated open transactions in
  // test/event-store/postgres-visibility.spec.ts.

  it('appends to several streams atomically: one conflict writes nothing at all', async () => {
    const cat = `many${randomUUID().slice(0, 8)}`;
    await fx.store.append(`${cat}-2`, [{ type: 'Existing', data: {} }], { expectedVersion: 'no_stream' });
    await expect(
      fx.store.appendMany([
        { streamId: `${cat}-1`, events: [{ type: 'A', data: {} }], expectedVersion: 'no_stream' },
        { streamId: `${cat}-2`, events: [{ type: 'B', data: {} }], expectedVersion: 'no_stream' },
      ]),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', streamId: `${cat}-2` });
    expect(await fx.store.readStream(`${cat}-1`)).toEqual([]);
    const ok = await fx.store.appendMany([
      { streamId: `${cat}-1`, events: [{ type: 'A', data: {} }], expectedVersion: 'no_stream' },
      { streamId: `${cat}-2`, events: [{ type: 'B', data: {} }], expectedVersion: 1 },
    ]);
    expect(ok.map((r) => r.streamVersion)).toEqual([1, 2]);
    // One transaction under the append lock: nothing interleaves, the positions are consecutive.
    expect(ok[1].position.prepare).toBe(ok[0].position.prepare + 1n);
  });

  it('reads in global order through the global_position index, never a full scan', async () => {
    const client = new Client(fx.url);
    await client.connect();
    await client.query('set enable_seqscan = off');
    const plan = await client.query(
      `explain select * from es_events e where e.global_position > 0 order by e.global_position limit 500`,
    );
    await client.end();
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('es_events_global_position');
  });
});

describe('PostgreSQL event store: tamper evidence', () => {
  let fx: StoreFixture;
  beforeAll(async () => (fx = await createStoreFixture()));
  afterAll(() => fx.close());

  async function streamOfThree(): Promise<string> {
    const stream = `audit${randomUUID().slice(0, 8)}-1`;
    await fx.store.append(
      stream,
      [1, 2, 3].map((n) => ({ type: 'Step', data: { n } })),
      { expectedVersion: 'no_stream' },
    );
    return stream;
  }

  it('names the stream and version whose content was altered with SQL', async () => {
    await streamOfThree();
    const stream = await streamOfThree();
    await fx.pool.query(`update es_events set data = '{"n":20}' where stream_id = $1 and stream_version = 2`, [stream]);
    const report = await fx.store.verifyIntegrity();
    expect(report.broken).toEqual([
      {
        streamId: stream,
        problems: expect.arrayContaining([
          { kind: 'chain-broken', streamVersion: 2, detail: 'content does not match its hash from version 2 (1 links)' },
        ]),
      },
    ]);
  });

  it('detects a rewritten hash at the next link, and a deleted event as a missing version', async () => {
    const rehashed = await streamOfThree();
    await fx.pool.query(
      `update es_events set data = '{"n":99}', hash = es_link_hash(
         (select hash from es_events where stream_id = $1 and stream_version = 1), stream_id, stream_version,
         event_id, type, schema_version, '{"n":99}', metadata)
       where stream_id = $1 and stream_version = 2`,
      [rehashed],
    );
    expect((await fx.store.verifyIntegrity({ streamIds: [rehashed] })).broken).toEqual([
      {
        streamId: rehashed,
        problems: expect.arrayContaining([expect.objectContaining({ kind: 'chain-broken', streamVersion: 3 })]),
      },
    ]);

    const gap = await streamOfThree();
    await fx.pool.query('delete from es_events where stream_id = $1 and stream_version = 2', [gap]);
    expect((await fx.store.verifyIntegrity({ streamIds: [gap] })).broken).toEqual([
      {
        streamId: gap,
        problems: expect.arrayContaining([{ kind: 'deleted', streamVersion: 2, detail: 'version 2 missing' }]),
      },
    ]);
  });
});

describe('PostgreSQL event store: batched appends (group commit)', () => {
  let fx: StoreFixture;
  beforeAll(async () => (fx = await createStoreFixture()));
  afterAll(() => fx.close());

  it('keeps the order of appends to one stream issued without waiting, so each sees the one before', async () => {
    const stream = `order${randomUUID().slice(0, 8)}-1`;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fx.store.append(stream, [{ type: 'Step', data: { i } }], { expectedVersion: i === 0 ? 'no_stream' : i }),
      ),
    );
    expect(results.map((r) => r.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await fx.store.readStream(stream)).map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses only the conflicting append of a batch; the others are written', async () => {
    const cat = `batch${randomUUID().slice(0, 8)}`;
    await fx.store.append(`${cat}-taken`, [{ type: 'Existing', data: {} }], { expectedVersion: 'no_stream' });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        fx.store.append(i === 17 ? `${cat}-taken` : `${cat}-${i}`, [{ type: 'New', data: { i } }], {
          expectedVersion: 'no_stream',
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.streamId)).toEqual([
      `${cat}-taken`,
    ]);
    const written = await fx.store.readAll({ from: START, filter: { categories: [cat], eventTypes: ['New'] } });
    expect(written.events).toHaveLength(39);
    // Appends that waited together share one transaction: fewer transactions than appends.
    const [{ transactions }] = await fx.dataSource.query(
      'select count(distinct xmin::text)::int as transactions from es_events where category = $1',
      [cat],
    );
    expect(transactions).toBeLessThan(39);
  });

  it('settles a batch that a writer on another connection raced: each append alone, with the right outcome', async () => {
    const cat = `race${randomUUID().slice(0, 8)}`;
    const other = await holdAppendOpen(fx.url, `${cat}-contested`, 'Theirs');
    const mine = Promise.allSettled([
      fx.store.append(`${cat}-contested`, [{ type: 'Mine', data: {} }], { expectedVersion: 'no_stream' }),
      fx.store.append(`${cat}-free`, [{ type: 'Mine', data: {} }], { expectedVersion: 'no_stream' }),
    ]);
    await settle(200);
    await other.commit();
    const [contested, free] = await mine;
    expect(contested).toMatchObject({ status: 'rejected', reason: { code: 'VERSION_CONFLICT', actual: 1 } });
    expect(free).toMatchObject({ status: 'fulfilled', value: { streamVersion: 1 } });
    expect((await fx.store.readStream(`${cat}-contested`)).map((e) => e.type)).toEqual(['Theirs']);
  });
});

describe('PostgreSQL event store: lost connections', () => {
  let fx: StoreFixture;
  beforeAll(async () => (fx = await createStoreFixture({ pollIntervalMs: 50 })));
  afterAll(() => fx.close());

  it('keeps working after the server drops every connection, and subscribers keep receiving', async () => {
    const cat = `lost${randomUUID().slice(0, 8)}`;
    const received: RecordedEvent[] = [];
    const sub = fx.store.subscribe({ from: START, filter: { categories: [cat] } }).subscribe((e) => received.push(e));
    await fx.store.append(`${cat}-1`, [{ type: 'Before', data: {} }], { expectedVersion: 'no_stream' });
    const admin = new Client(fx.url);
    await admin.connect();
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    await admin.end();
    await settle(200);

    await fx.store.append(`${cat}-1`, [{ type: 'After', data: {} }], { expectedVersion: 1 });
    await settle(600);
    sub.unsubscribe();
    expect(received.map((e) => e.type)).toEqual(['Before', 'After']);
  });
});

describe('PostgreSQL event store: wake-up across instances', () => {
  it("wakes another instance's subscriber by NOTIFY, long before its poll interval", async () => {
    const writer = await createStoreFixture();
    const reader = await createStoreFixture({ url: writer.url, pollIntervalMs: 10_000 });
    try {
      const cat = `notify${randomUUID().slice(0, 8)}`;
      const first = firstValueFrom(
        reader.store.subscribe({ from: await reader.store.headPosition(), filter: { categories: [cat] } }),
      );
      await settle(300); // the subscriber has caught up and sleeps for up to 10 s
      const sentAt = Date.now();
      await writer.store.append(`${cat}-1`, [{ type: 'Ping', data: {} }], { expectedVersion: 'no_stream' });
      expect((await first).type).toBe('Ping');
      expect(Date.now() - sentAt).toBeLessThan(2000);
    } finally {
      await reader.close();
      await writer.close();
    }
  });
});
