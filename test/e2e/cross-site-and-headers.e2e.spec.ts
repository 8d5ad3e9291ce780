import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { budiHousehold, DEMO_PASSWORD, signIn } from '../support/api';
import { startTestApp } from '../support/app';
import { storeCaughtUp, writtenAfter } from '../support/store-settled';

const HOST = 'bansos.test';
const OWN = `http://${HOST}`;
const EVIL = 'https://evil.example';

/** The session cookie of a user, from the sign-in page's form (as a browser gets it). */
async function sessionCookie(app: INestApplication, username: string, headers: Record<string, string> = {}): Promise<string[]> {
  const res = await request(app.getHttpServer())
    .post('/masuk')
    .set(headers)
    .type('form')
    .send({ username, password: DEMO_PASSWORD })
    .expect(303);
  return res.headers['set-cookie'] as unknown as string[];
}
const cookieHeader = (setCookies: string[]) => setCookies.map((c) => c.split(';')[0]).join('; ');

/**
 * Cross-site request forgery, the security headers, the session cookie behind a TLS proxy, and
 * what production keeps closed (issue 16 §5).
 */
describe('cross-site writes and security headers', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let store: EventStore;
  let cookie: string;
  let caseId: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    store = app.get(EVENT_STORE);
    const t = await signIn(app, ['operator.desa']);
    caseId = (
      await http()
        .post('/api/v1/registrations')
        .set('Authorization', `Bearer ${t['operator.desa']}`)
        .send(budiHousehold('KANTOR_DESA'))
        .expect(201)
    ).body.caseId;
    cookie = cookieHeader(await sessionCookie(app, 'operator.desa'));
  });
  afterAll(() => ctx.close());

  const withdraw = () => http().post(`/api/v1/registrations/${caseId}/withdrawal`).set('Host', HOST).set('Cookie', cookie);
  const draft = () => http().post('/api/v1/registrations').set('Host', HOST).set('Cookie', cookie);
  const refused: Array<[string, () => request.Test, string]> = [
    [
      'a form-encoded withdrawal from another site',
      () => withdraw().set('Origin', EVIL).type('form').send('reason=x'),
      'CROSS_SITE_REQUEST',
    ],
    [
      'a form-encoded draft from another site',
      () => draft().set('Origin', EVIL).type('form').send('channel=KANTOR_DESA'),
      'CROSS_SITE_REQUEST',
    ],
    ['JSON from another site', () => withdraw().set('Origin', EVIL).send({ reason: 'x' }), 'CROSS_SITE_REQUEST'],
    ['a sandboxed page (Origin: null)', () => withdraw().set('Origin', 'null').send({ reason: 'x' }), 'CROSS_SITE_REQUEST'],
    [
      'a Referer of another site and no Origin',
      () => withdraw().set('Referer', `${EVIL}/x`).send({ reason: 'x' }),
      'CROSS_SITE_REQUEST',
    ],
    ['no Origin and no Referer', () => withdraw().send({ reason: 'x' }), 'CROSS_SITE_REQUEST'],
    ['the same origin, but form-encoded', () => withdraw().set('Origin', OWN).type('form').send('reason=x'), 'JSON_REQUIRED'],
    [
      'the same origin, JSON sent as text/plain',
      () => withdraw().set('Origin', OWN).set('Content-Type', 'text/plain').send('{"reason":"x"}'),
      'JSON_REQUIRED',
    ],
    [
      'the same origin, multipart',
      () => withdraw().set('Origin', OWN).set('Content-Type', 'multipart/form-data; boundary=b').send('--b--'),
      'JSON_REQUIRED',
    ],
    [
      'another port of the same host',
      () => withdraw().set('Origin', `http://${HOST}:8443`).send({ reason: 'x' }),
      'CROSS_SITE_REQUEST',
    ],
  ];

  it.each(refused.map(([name, send, code]) => ({ name, send, code })))(
    'with the session cookie, $name → 403 $code, nothing written',
    async ({ send, code }) => {
      await storeCaughtUp(app);
      const before = await store.headPosition();
      const res = await send();
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, code, message: expect.any(String), messageEn: expect.any(String) });
      await storeCaughtUp(app);
      expect(await writtenAfter(store, before)).toEqual([]);
    },
  );

  it('with the session cookie, JSON from our own origin is accepted (the rule refuses only what a foreign page can send)', async () => {
    const created = await draft().set('Origin', OWN).send(budiHousehold('KANTOR_DESA')).expect(201);
    await http()
      .post(`/api/v1/registrations/${created.body.caseId}/withdrawal`)
      .set('Host', HOST)
      .set('Cookie', cookie)
      .set('Referer', `${OWN}/konsol/pendaftaran/${created.body.caseId}`)
      .send({ reason: 'ditarik pemohon' })
      .expect(200);
  });

  it('a foreign Origin cannot sign anyone in (sign-in forgery); a Bearer client without Origin is unaffected', async () => {
    const res = await http()
      .post('/masuk')
      .set('Host', HOST)
      .set('Origin', EVIL)
      .type('form')
      .send({ username: 'admin', password: DEMO_PASSWORD });
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie']).toBeUndefined();
    const t = await signIn(app, ['operator.desa']);
    await http()
      .post('/api/v1/registrations')
      .set('Authorization', `Bearer ${t['operator.desa']}`)
      .send(budiHousehold('KANTOR_DESA'))
      .expect(201);
  });

  it('every answer carries the security headers, and no X-Powered-By', async () => {
    for (const path of ['/', '/masuk', '/cek-bansos', '/api/v1/verval/state-machine', '/health', '/aset/app.js', '/tidak-ada']) {
      const res = await http().get(path);
      const csp = res.headers['content-security-policy'];
      expect({ path, csp }).toEqual({ path, csp: expect.stringContaining("script-src 'self'") });
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("style-src 'self';");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
        'x-frame-options': 'DENY',
        'cross-origin-opener-policy': 'same-origin',
      });
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('the session cookie is HttpOnly and SameSite=Strict, and not Secure over plain http even when a client claims https', async () => {
    const [session] = (await sessionCookie(app, 'admin', { 'X-Forwarded-Proto': 'https' })).filter((c) => c.startsWith('sesi='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).not.toMatch(/Secure/); // TRUST_PROXY unset: a client's X-Forwarded-Proto is not believed
  });
});

describe('behind a TLS proxy (TRUST_PROXY)', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => (ctx = await startTestApp({ TRUST_PROXY: 'loopback' })));
  afterAll(() => ctx.close());

  it('the cookies get Secure when the proxy says https, and the same-origin check uses the public origin', async () => {
    const cookies = await sessionCookie(ctx.app, 'operator.desa', { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': HOST });
    expect(cookies.length).toBeGreaterThanOrEqual(2);
    for (const c of cookies) expect(c).toMatch(/; Secure/);
    const plain = await sessionCookie(ctx.app, 'operator.desa');
    for (const c of plain) expect(c).not.toMatch(/Secure/);
    const cookie = cookieHeader(cookies);
    const draft = (origin: string) =>
      request(ctx.app.getHttpServer())
        .post('/api/v1/registrations')
        .set({ 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': HOST, Origin: origin, Cookie: cookie })
        .send(budiHousehold('KANTOR_DESA'));
    expect((await draft(`http://${HOST}`)).status).toBe(403); // the page was served over https
    expect((await draft(`https://${HOST}`)).status).toBe(201);
  });
});

describe('in production', () => {
  const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
  const production = {
    NODE_ENV: 'production',
    AUTH_TOKEN_SECRET: Buffer.alloc(32, 9).toString('base64'),
    KEY_ENCRYPTION_KEY: Buffer.alloc(32, 4).toString('base64'),
    METRICS_TOKEN,
  };

  it('/metrics asks for its token, the API docs are off and /health shows only the status', async () => {
    const ctx = await startTestApp(production);
    try {
      const http = () => request(ctx.app.getHttpServer());
      expect((await http().get('/metrics')).status).toBe(401);
      expect((await http().get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789ab')).status).toBe(401);
      expect((await http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).status).toBe(200);
      expect((await http().get('/api/docs')).status).toBe(404);
      expect((await http().get('/api/docs-json')).status).toBe(404);
      expect((await http().get('/health').expect(200)).body).toEqual({ status: 'ok' });
    } finally {
      await ctx.close();
    }
  });

  it('API_DOCS=true and HEALTH_DETAILS=true turn them on explicitly', async () => {
    const ctx = await startTestApp({ ...production, API_DOCS: 'true', HEALTH_DETAILS: 'true' });
    try {
      const http = () => request(ctx.app.getHttpServer());
      expect((await http().get('/api/docs-json')).status).toBe(200);
      expect((await http().get('/health').expect(200)).body).toMatchObject({ status: 'ok', database: { status: 'up' } });
    } finally {
      await ctx.close();
    }
  });
});
