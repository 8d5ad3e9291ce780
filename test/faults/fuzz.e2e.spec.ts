import { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { budiHousehold, signIn } from '../support/api';
import { startTestApp } from '../support/app';
import { storeCaughtUp, writtenAfter } from '../support/store-settled';

/** A new seed each run, printed; FUZZ_SEED replays a run, FUZZ_RUNS sets the inputs per route. */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 40);
const REPLAY = `FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS_PER_ROUTE} npx jest test/faults/fuzz.e2e.spec.ts`;

/** Strings that are not text: NUL, lone surrogates, and their percent-encoded forms. */
const HOSTILE = [
  'a\u0000',
  '\u0000',
  '\ud800',
  '\udfff',
  'x\ud800y',
  '\udc00\ud800',
  '%00',
  '%ED%A0%80',
  '%',
  '\u202e',
  '\uffff',
  '../..',
];

/** encodeURIComponent, except that a lone surrogate becomes the bytes a careless client sends (invalid UTF-8). */
function encodeLoose(text: string): string {
  return Array.from(text, (ch) => (/^[\uD800-\uDFFF]$/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
}

const deepArrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const deepObjects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

/**
 * Every documented endpoint (and the pages' forms) fed random and malformed input by fast-check,
 * as anyone or as a signed-in role: never a 5xx, and a refused request writes no event. The
 * inputs include the classes that once gave a 500: NUL, lone surrogates (in bodies, queries and
 * paths), nesting far deeper than any request needs, and valid bodies with one hostile field.
 */
describe('fuzzing every endpoint', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let store: EventStore;
  let routes: Array<{ method: string; path: string }>;
  let caseId: string;
  const tokens: Array<string | undefined> = [undefined];

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

  const text = fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 1, arbitrary: fc.string({ minLength: 1000, maxLength: 5000 }) },
  );
  const param = () =>
    fc.oneof(
      fc.constant(caseId),
      fc.uuid(),
      text,
      fc.constantFrom('registration', 'banding', 'PKH', '32.04', '32.04.10.2001', '..'),
    );
  /** A body that passes validation but for one field, so hostile text reaches the code behind the validators. */
  const templates = (): Array<{ value: Record<string, unknown>; fields: string[][] }> => [
    {
      value: budiHousehold('KANTOR_DESA') as Record<string, unknown>,
      fields: [
        ['application', 'contact', 'email'],
        ['application', 'address'],
        ['application', 'members', '0', 'fullName'],
        ['channel'],
      ],
    },
    { value: { username: 'admin', password: 'demo-bansos-2026' }, fields: [['username'], ['password']] },
    { value: { reason: 'alasan', note: 'catatan' }, fields: [['reason'], ['note']] },
    {
      value: { q: '3204101501800006', nik: '3204101501800006', kkNumber: '3204100203190003' },
      fields: [['q'], ['nik'], ['kkNumber']],
    },
  ];
  const mutated = fc.tuple(fc.nat(), fc.nat(), text).map(([t, f, value]) => {
    const template = templates()[t % templates().length];
    const body = structuredClone(template.value);
    const path = template.fields[f % template.fields.length];
    let at = body as Record<string, unknown>;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
    at[path[path.length - 1]] = value;
    return { type: 'application/json', data: JSON.stringify(body) };
  });
  const body = fc.oneof(
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ type: 'application/json', data: JSON.stringify(v) })) },
    {
      weight: 2,
      arbitrary: fc
        .jsonValue({ maxDepth: 3, stringUnit: 'binary' })
        .map((v) => ({ type: 'application/json', data: JSON.stringify(v) })),
    },
    { weight: 4, arbitrary: mutated },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 20, max: 3000 }), fc.boolean())
        .map(([n, arrays]) => ({ type: 'application/json', data: arrays ? deepArrays(n) : deepObjects(n) })),
    },
    { weight: 2, arbitrary: fc.string({ maxLength: 200 }).map((s) => ({ type: 'application/json', data: `{"x": ${s}` })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => ({ type: 'application/x-www-form-urlencoded', data: s })) },
    {
      weight: 1,
      arbitrary: fc
        .dictionary(fc.constantFrom('username', 'password', 'q', 'name', 'reason', 'a[b][c]'), text, { maxKeys: 3 })
        .map((d) => ({
          type: 'application/x-www-form-urlencoded',
          data: Object.entries(d)
            .map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`)
            .join('&'),
        })),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => ({ type: 'image/jpeg', data: Buffer.from(b) })) },
  );
  const query = fc.dictionary(
    fc.constantFrom(
      'page',
      'pageSize',
      'status',
      'regionCode',
      'format',
      'date',
      'afterPosition',
      'q',
      'lang',
      'from',
      'to',
      'parent',
    ),
    text,
    { maxKeys: 3 },
  );

  it('answers below 500 to anything, and a refused request changes nothing', async () => {
    console.log(`fuzz seed ${SEED}, ${RUNS_PER_ROUTE} inputs per route; replay: ${REPLAY}`);
    const failures: string[] = [];
    for (const [index, route] of routes.entries()) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(param(), { minLength: 4, maxLength: 4 }),
          body,
          query,
          fc.constantFrom(...tokens),
          async (params, b, q, token) => {
            let i = 0;
            const path = route.path.replace(/\{[^}]+\}/g, () => encodeLoose(params[i++ % params.length]));
            const search = Object.entries(q)
              .map(([k, v]) => `${k}=${encodeLoose(v)}`)
              .join('&');
            // Every write of earlier requests (and the sagas they set off) visible first: what appears later is this one's.
            await storeCaughtUp(app);
            const before = await store.headPosition();
            let req = request(app.getHttpServer())[route.method.toLowerCase() as 'get'](search ? `${path}?${search}` : path);
            if (token) req = req.set('Authorization', `Bearer ${token}`);
            if (route.method !== 'GET' && route.method !== 'DELETE') req = req.set('Content-Type', b.type).send(b.data);
            const res = await req;
            if (res.status >= 500)
              failures.push(`${route.method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
            if (res.status >= 400) {
              await storeCaughtUp(app); // a commit stays invisible while an older transaction is open
              const written = await writtenAfter(store, before);
              if (written.length) failures.push(`${route.method} ${path} → ${res.status} yet wrote ${written.join(', ')}`);
            }
          },
        ),
        { numRuns: RUNS_PER_ROUTE, seed: SEED + index },
      );
    }
    expect({ replay: REPLAY, failures }).toEqual({ replay: REPLAY, failures: [] });
    expect(routes.length).toBeGreaterThan(40);
  }, 900_000);
});
