import { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { GlobalPosition } from '../../src/event-store/position';
import { budiHousehold, signIn } from '../support/api';
import { startTestApp } from '../support/app';

/**
 * Every documented endpoint (and the pages' forms) fed random and malformed input by fast-check,
 * as anyone or as a signed-in role: never a 5xx, and a refused request writes no event.
 */
describe('fuzzing every endpoint', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let store: EventStore;
  let routes: Array<{ method: string; path: string }>;
  let caseId: string;
  const tokens: Array<string | undefined> = [undefined];
  const RUNS_PER_ROUTE = 12;

  beforeAll(async () => {
    ctx = await startTestApp({ STATUS_CHECK_PER_CLIENT_PER_MINUTE: '1000000', STATUS_CHECK_PER_NAME_PER_HOUR: '1000000' });
    app = ctx.app;
    store = app.get(EVENT_STORE);
    const t = await signIn(app, ['operator.desa', 'dinsos', 'kemensos', 'admin', 'auditor']);
    tokens.push(...Object.values(t));
    caseId = (
      await request(app.getHttpServer())
        .post('/api/v1/registrations')
        .set('Authorization', `Bearer ${t['operator.desa']}`)
        .send(budiHousehold('KANTOR_DESA'))
        .expect(201)
    ).body.caseId;
    const doc = (await request(app.getHttpServer()).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = [
      ...Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
      ),
      ...['/masuk', '/keluar', '/cek-bansos', '/audit'].map((path) => ({ method: 'POST', path })),
    ];
  }, 60_000);
  afterAll(() => ctx.close());

  const param = () =>
    fc.oneof(
      fc.constant(caseId),
      fc.uuid(),
      fc.string({ maxLength: 40 }),
      fc.constantFrom('registration', 'banding', 'PKH', '32.04', '..'),
    );
  const body = fc.oneof(
    { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ type: 'application/json', data: JSON.stringify(v) })) },
    { weight: 2, arbitrary: fc.string({ maxLength: 200 }).map((s) => ({ type: 'application/json', data: `{"x": ${s}` })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => ({ type: 'application/x-www-form-urlencoded', data: s })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => ({ type: 'image/jpeg', data: Buffer.from(b) })) },
  );
  const query = fc.dictionary(
    fc.constantFrom('page', 'pageSize', 'status', 'regionCode', 'format', 'date', 'afterPosition', 'q', 'lang', 'from', 'to'),
    fc.string({ maxLength: 30 }),
    { maxKeys: 3 },
  );

  it('answers below 500 to anything, and a refused request changes nothing', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(param(), { minLength: 4, maxLength: 4 }),
          body,
          query,
          fc.constantFrom(...tokens),
          async (params, b, q, token) => {
            let i = 0;
            const path = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[i++ % params.length]));
            const before = await store.headPosition();
            let req = request(app.getHttpServer())[route.method.toLowerCase() as 'get'](path).query(q);
            if (token) req = req.set('Authorization', `Bearer ${token}`);
            if (route.method !== 'GET' && route.method !== 'DELETE') req = req.set('Content-Type', b.type).send(b.data);
            const res = await req;
            if (res.status >= 500)
              failures.push(`${route.method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
            if (res.status >= 400) {
              const written = await writtenAfter(before);
              if (written.length) failures.push(`${route.method} ${path} → ${res.status} yet wrote ${written.join(', ')}`);
            }
          },
        ),
        { numRuns: RUNS_PER_ROUTE, seed: 2026 },
      );
    }
    expect(failures).toEqual([]);
    expect(routes.length).toBeGreaterThan(40);
  }, 300_000);

  /** Events after `from` other than the system's own (sagas acting on earlier, accepted requests). */
  async function writtenAfter(from: GlobalPosition): Promise<string[]> {
    const batch = await store.readAll({ from, limit: 100 });
    return batch.events
      .filter((e) => !String(e.metadata.actor?.userId ?? '').startsWith('sistem:'))
      .map((e) => `${e.type} on ${e.streamId}`);
  }
});
