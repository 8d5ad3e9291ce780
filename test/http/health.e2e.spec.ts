import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { formatPosition } from '../../src/event-store/position';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { Client } from 'pg';
import { startTestApp } from '../support/app';
import { serverUrl } from '../support/database';

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
