import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { formatPosition } from '../../src/event-store/position';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { Client } from 'pg';
import { startTestApp } from '../support/app';
import { holdAppendOpen, serverUrl } from '../support/database';

describe('GET /health', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => (ctx = await startTestApp()));
  afterAll(() => ctx.close());

  it('reports the database, the event store and each projection with its lag', async () => {
    const store = ctx.app.get<EventStore>(EVENT_STORE);
    const { position } = await store.append('case-1', [{ type: 'Opened', data: {} }], { expectedVersion: 'no_stream' });
    await ctx.app.get(ProjectionRunner).waitFor(position, { timeoutMs: 5000 });

    const res = await request(ctx.app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      database: { status: 'up', mode: 'external' },
      eventStore: { status: 'up', adapter: 'postgres', head: formatPosition(position) },
      projections: expect.arrayContaining([
        { name: 'stream-catalogue', position: formatPosition(position), lagEvents: 0, lagSeconds: 0, runningHere: true },
      ]),
    });
    expect(typeof res.body.oldestOpenTransactionSeconds).toBe('number');
    // The enrolment saga runs under its own runner, and is reported beside the read models.
    expect(res.body.projections.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['enrolment-saga']));
  });

  it('counts an append not yet visible as lag, and names the open transaction that holds readers back', async () => {
    const store = ctx.app.get<EventStore>(EVENT_STORE);
    const runner = ctx.app.get(ProjectionRunner);
    const { position } = await store.append('case-2', [{ type: 'Opened', data: {} }], { expectedVersion: 'no_stream' });
    await runner.waitFor(position, { timeoutMs: 5000 });
    // An unrelated open write transaction (an import) holds nobody back and is not blamed.
    const unrelated = new Client({ connectionString: ctx.url, application_name: 'unrelated-import' });
    await unrelated.connect();
    await unrelated.query('begin');
    await unrelated.query('create temporary table import_work (n int)');
    await unrelated.query('insert into import_work values (1)');
    const held = await holdAppendOpen(ctx.url, 'case-3', 'Opened');
    try {
      const res = await request(ctx.app.getHttpServer()).get('/health').expect(200);
      expect(res.body.eventStore).toMatchObject({
        pendingEvents: 1,
        heldBackBy: { applicationName: 'held-append', pid: expect.any(Number), seconds: expect.any(Number) },
        waitingAppends: 0,
      });
      expect(JSON.stringify(res.body.eventStore.heldBackBy)).not.toMatch(/insert|select|es_events/i);
      const catalogue = res.body.projections.find((p: { name: string }) => p.name === 'stream-catalogue');
      expect(catalogue.lagEvents).toBeGreaterThanOrEqual(1);
      expect(catalogue.position).toBe(formatPosition(position));

      const metrics = await request(ctx.app.getHttpServer()).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^bansos_event_store_pending_events 1$/m);
      expect(metrics.text).toMatch(/^bansos_event_store_held_back_seconds \d/m);
      expect(metrics.text).toMatch(/^bansos_projection_lag_events\{projection="stream-catalogue"\} [1-9]/m);
    } finally {
      await held.commit();
      await unrelated.query('rollback');
      await unrelated.end();
    }
    // Once it commits, nothing is pending and nobody is blamed.
    const head = await store.headPosition();
    await runner.waitFor(head, { timeoutMs: 5000 });
    const after = await request(ctx.app.getHttpServer()).get('/health').expect(200);
    expect(after.body.eventStore).toMatchObject({ pendingEvents: 0, waitingAppends: 0 });
    expect(after.body.eventStore.heldBackBy).toBeUndefined();
  });

  it("tells every client the app's own share of the time (Server-Timing)", async () => {
    const res = await request(ctx.app.getHttpServer()).get('/health').expect(200);
    expect(res.headers['server-timing']).toMatch(/^app;dur=\d+\.\d{2}$/);
  });

  it('answers 404 in JSON for an unknown path, without a stack trace', async () => {
    const res = await request(ctx.app.getHttpServer()).get('/nope').expect(404);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts/);
  });

  it('answers 503 with status "down" when the database is gone', async () => {
    const admin = new Client(serverUrl());
    await admin.connect();
    await admin.query(`drop database ${new URL(ctx.url).pathname.slice(1)} with (force)`);
    await admin.end();
    const res = await request(ctx.app.getHttpServer()).get('/health').expect(503);
    expect(res.body).toMatchObject({ status: 'down', database: { status: 'down' }, eventStore: { status: 'down' } });
  });
});
