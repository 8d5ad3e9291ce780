import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Subscription } from 'rxjs';
import { RecordedEvent } from '../../src/event-store/envelope';
import { START } from '../../src/event-store/position';
import { createStoreFixture, StoreFixture } from '../support/database';

/** Holds an append open in its own transaction, as a slow writer would. */
async function openAppend(url: string, streamId: string, type: string): Promise<Client> {
  const client = new Client(url);
  await client.connect();
  await client.query('begin');
  await client.query(
    `select * from es_append($1, -2, array[$2::uuid], array[$3], array[1], array['{}'],
       array['{"recordedAt":"2026-11-24T00:00:00.000Z"}'], now())`,
    [streamId, randomUUID(), type],
  );
  return client;
}

const settle = (ms = 400): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL event store: gap-safe global order', () => {
  let fx: StoreFixture;
  beforeAll(async () => (fx = await createStoreFixture({ pollIntervalMs: 50 })));
  afterAll(() => fx.close());

  function collect(category: string): { events: RecordedEvent[]; stop: Subscription } {
    const events: RecordedEvent[] = [];
    const stop = fx.store.subscribe({ from: START, filter: { categories: [category] } }).subscribe((e) => events.push(e));
    return { events, stop };
  }

  it('given T1 open and T2 committed later, a subscriber delivers neither until T1 commits, then both in order', async () => {
    const cat = `gap${randomUUID().slice(0, 8)}`;
    const t1 = await openAppend(fx.url, `${cat}-slow`, 'T1');
    await fx.store.append(`${cat}-fast`, [{ type: 'T2', data: {} }], { expectedVersion: 'no_stream' });
    const sub = collect(cat);
    await settle();
    expect(sub.events).toEqual([]);
    expect((await fx.store.readAll({ from: START, filter: { categories: [cat] } })).events).toEqual([]);

    await t1.query('commit');
    await t1.end();
    await settle();
    sub.stop.unsubscribe();
    expect(sub.events.map((e) => e.type)).toEqual(['T1', 'T2']);
  });

  it('given T1 rolls back, delivers T2 alone', async () => {
    const cat = `gap${randomUUID().slice(0, 8)}`;
    const t1 = await openAppend(fx.url, `${cat}-slow`, 'T1');
    await fx.store.append(`${cat}-fast`, [{ type: 'T2', data: {} }], { expectedVersion: 'no_stream' });
    const sub = collect(cat);
    await settle();
    expect(sub.events).toEqual([]);
    await t1.query('rollback');
    await t1.end();
    await settle();
    sub.stop.unsubscribe();
    expect(sub.events.map((e) => e.type)).toEqual(['T2']);
    expect(await fx.store.readStream(`${cat}-slow`)).toEqual([]);
  });

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
    // One transaction: both appends share its commit position.
    expect(ok[0].position.commit).toBe(ok[1].position.commit);
  });

  it('reads in global order through the (tx_order, global_position) index, never a full scan', async () => {
    const client = new Client(fx.url);
    await client.connect();
    await client.query('set enable_seqscan = off');
    const plan = await client.query(
      `explain select * from es_events e where (e.tx_order, e.global_position) > (0, 0)
       order by e.tx_order, e.global_position limit 500`,
    );
    await client.end();
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('es_events_global_order');
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
    expect(report.firstBroken).toEqual({ streamId: stream, streamVersion: 2, reason: 'content does not match its hash' });
  });

  it('detects a rewritten hash at the next link, and a deleted last event at the stream head', async () => {
    const rehashed = await streamOfThree();
    await fx.pool.query(
      `update es_events set data = '{"n":99}', hash = es_link_hash(
         (select hash from es_events where stream_id = $1 and stream_version = 1), stream_id, stream_version,
         event_id, type, schema_version, '{"n":99}', metadata)
       where stream_id = $1 and stream_version = 2`,
      [rehashed],
    );
    expect((await fx.store.verifyIntegrity({ streamIds: [rehashed] })).firstBroken).toMatchObject({
      streamId: rehashed,
      streamVersion: 3,
    });

    const truncated = await streamOfThree();
    await fx.pool.query('delete from es_events where stream_id = $1 and stream_version = 3', [truncated]);
    expect((await fx.store.verifyIntegrity({ streamIds: [truncated] })).firstBroken).toMatchObject({
      streamId: truncated,
      streamVersion: 3,
    });
  });
});
