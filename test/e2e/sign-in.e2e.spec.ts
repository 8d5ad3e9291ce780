import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '../../src/shared/clock';
import { startTestApp } from '../support/app';
import { DEMO_PASSWORD, signIn } from '../support/api';

/**
 * Sign-in throttling (per account and per address, growing waits, shared by every instance) and
 * revocation (sign-out, deactivation, password change: the token stops at the next request).
 * Time is the app's injected clock, stopped and moved by the test, never waited for.
 */
describe('sign-in and sessions', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let second: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let offsetMs = 0;
  const http = () => request(app.getHttpServer());
  const login = (username: string, password: string, on = app) =>
    request(on.getHttpServer()).post('/api/v1/auth/login').send({ username, password });
  const later = (seconds: number) => (offsetMs += seconds * 1000);
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    second = await startTestApp({}, { databaseUrl: ctx.url });
    // A stopped clock that only `later` moves: a busy machine cannot let a lock run out mid-test.
    const start = Date.now();
    for (const instance of [app, second.app]) instance.get<Clock>(CLOCK).now = () => new Date(start + offsetMs);
  });
  afterAll(async () => {
    await second.close();
    await ctx.close();
  });
  // Each test starts with clean counters (the demo sign-ins above share the test's address).
  // Fresh tokens too: a test that moves the clock leaves the earlier sessions idle.
  beforeEach(async () => {
    await app.get(DataSource).query('delete from sign_in_throttle');
    t = await signIn(app, ['admin', 'dinsos', 'kemensos', 'auditor', 'operator.desa']);
  });

  it('50 wrong passwords, then the right one is refused too (API): 429 with Retry-After, until the wait is over', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 50; i++) codes.push((await login('dinsos', `salah-${i}`)).status);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5).every((c) => c === 429)).toBe(true);
    const right = await login('dinsos', DEMO_PASSWORD).expect(429);
    expect(right.body.code).toBe('SIGN_IN_THROTTLED');
    expect(Number(right.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    later(Number(right.headers['retry-after']) + 1);
    await login('dinsos', DEMO_PASSWORD).expect(200);
  });

  it('a burst of parallel guesses gets no more tries than a sequence (each attempt is counted before the check)', async () => {
    const codes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login('dinsos.dua', `salah-${i}`).then((r) => r.status)),
    );
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(15);
  });

  it('the waits grow with each further failure (1 s, 2 s, 4 s …)', async () => {
    for (let i = 0; i < 5; i++) await login('pendamping', 'salah').expect(401);
    const waits: number[] = [];
    for (let round = 0; round < 3; round++) {
      const refused = await login('pendamping', 'salah').expect(429);
      const wait = Number(refused.headers['retry-after']);
      waits.push(wait);
      later(wait + 0.5);
      await login('pendamping', 'salah').expect(401); // admitted once the wait is over, and counted
    }
    expect(waits).toEqual([1, 2, 4]);
  });

  it('per address: many accounts guessed from one address lock that address, also for a right password', async () => {
    for (let i = 0; i < 20; i++) await login(`tidak.ada.${i}`, 'salah').expect(401);
    const refused = await login('auditor', DEMO_PASSWORD).expect(429);
    expect(refused.body.messageEn).toContain('Too many sign-in attempts');
  });

  it('successful sign-ins from one address (an office) do not use up its budget', async () => {
    for (let i = 0; i < 30; i++) await login('kemensos', DEMO_PASSWORD).expect(200);
  });

  it('the counters are shared by every instance (PostgreSQL): a lock made on one holds on the other', async () => {
    for (let i = 0; i < 5; i++) await login('verifikator.provinsi', 'salah').expect(401);
    await login('verifikator.provinsi', DEMO_PASSWORD, second.app).expect(429);
  });

  it('the /masuk page is throttled the same way (one budget with the API)', async () => {
    for (let i = 0; i < 5; i++) await login('operator.desa', 'salah').expect(401);
    const page = await http()
      .post('/masuk')
      .type('form')
      .send({ username: 'operator.desa', password: DEMO_PASSWORD })
      .expect(429);
    expect(page.text).toContain('Terlalu banyak percobaan masuk');
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it('sign-out revokes the token at once, on every instance', async () => {
    const token = (await login('dinsos.dua', DEMO_PASSWORD).expect(200)).body.accessToken;
    await request(second.app.getHttpServer()).get('/api/v1/auth/me').set(bearer(token)).expect(200);
    await http().post('/api/v1/auth/logout').set(bearer(token)).expect(204);
    await http().get('/api/v1/auth/me').set(bearer(token)).expect(401);
    await request(second.app.getHttpServer()).get('/api/v1/auth/me').set(bearer(token)).expect(401);
  });

  it('ended sessions do not pile up: the next sign-in of the user removes them', async () => {
    const sid = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;
    const rows = (id: string) => app.get(DataSource).query('select 1 from auth_sessions where id = $1', [id]);
    const ended = (await login('dinsos.dua', DEMO_PASSWORD).expect(200)).body.accessToken;
    await http().post('/api/v1/auth/logout').set(bearer(ended)).expect(204);
    expect(await rows(sid(ended))).toHaveLength(1);
    const next = (await login('dinsos.dua', DEMO_PASSWORD).expect(200)).body.accessToken;
    expect(await rows(sid(ended))).toHaveLength(0);
    expect(await rows(sid(next))).toHaveLength(1);
  });

  it('web sign-out (POST /keluar) revokes the session token, not only the cookie', async () => {
    const res = await http().post('/masuk').type('form').send({ username: 'dinsos.dua', password: DEMO_PASSWORD }).expect(303);
    const cookie = res.headers['set-cookie'][0].split(';')[0];
    await http().get('/konsol/antrean').set('Cookie', cookie).expect(200);
    // A browser's form post carries its Origin; a cookie-authenticated write without one is refused.
    await http().post('/keluar').set('Host', 'bansos.test').set('Origin', 'http://bansos.test').set('Cookie', cookie).expect(303);
    const after = await http().get('/konsol/antrean').set('Cookie', cookie).expect(303);
    expect(after.headers.location).toContain('/masuk');
  });

  it('the web session slides: active use keeps it past 15 minutes; 15 idle minutes end it (AUTH_IDLE_TIMEOUT_SECONDS)', async () => {
    const res = await http().post('/masuk').type('form').send({ username: 'dinsos', password: DEMO_PASSWORD }).expect(303);
    const cookie = res.headers['set-cookie'][0].split(';')[0];
    for (let i = 0; i < 4; i++) {
      later(10 * 60); // 40 minutes in all, never 15 idle
      await http().get('/konsol/antrean').set('Cookie', cookie).expect(200);
    }
    later(15 * 60 + 1);
    const idle = await http().get('/konsol/antrean').set('Cookie', cookie).expect(303);
    expect(idle.headers.location).toBe('/masuk?lanjut=%2Fkonsol%2Fantrean&sesi=habis');
  });

  it('deactivating a user stops their token at once, and they cannot sign in', async () => {
    const created = await http()
      .post('/api/v1/users')
      .set(bearer(t.admin))
      .send({ username: 'akan.pergi', displayName: 'Pergi', password: DEMO_PASSWORD, role: 'dinsos', regionCode: '32.04' })
      .expect(201);
    const token = (await login('akan.pergi', DEMO_PASSWORD).expect(200)).body.accessToken;
    await http().get('/api/v1/auth/me').set(bearer(token)).expect(200);
    await http().patch(`/api/v1/users/${created.body.id}`).set(bearer(t.admin)).send({ active: false }).expect(200);
    await http().get('/api/v1/auth/me').set(bearer(token)).expect(401);
    await login('akan.pergi', DEMO_PASSWORD).expect(401);
  });

  it('a new role or region ends the sessions that carry the old one', async () => {
    const created = await http()
      .post('/api/v1/users')
      .set(bearer(t.admin))
      .send({
        username: 'pindah.tugas',
        displayName: 'Pindah',
        password: DEMO_PASSWORD,
        role: 'pendamping',
        regionCode: '32.04.10',
      })
      .expect(201);
    const token = (await login('pindah.tugas', DEMO_PASSWORD).expect(200)).body.accessToken;
    const bad = await http().patch(`/api/v1/users/${created.body.id}`).set(bearer(t.admin)).send({ role: 'dinsos' }).expect(422);
    expect(bad.body.code).toBe('REGION_FOR_ROLE'); // a regency role needs a regency code
    await http().get('/api/v1/auth/me').set(bearer(token)).expect(200); // a refused change ends nothing
    await http()
      .patch(`/api/v1/users/${created.body.id}`)
      .set(bearer(t.admin))
      .send({ role: 'dinsos', regionCode: '32.04' })
      .expect(200);
    await http().get('/api/v1/auth/me').set(bearer(token)).expect(401);
    const again = (await login('pindah.tugas', DEMO_PASSWORD).expect(200)).body;
    expect(again.user).toMatchObject({ role: 'dinsos', region: '32.04' });
  });

  it('changing one own password ends the other sessions (the current one stays) and needs the current password', async () => {
    await http()
      .post('/api/v1/users')
      .set(bearer(t.admin))
      .send({ username: 'ganti.sandi', displayName: 'Ganti', password: DEMO_PASSWORD, role: 'dinsos', regionCode: '32.04' })
      .expect(201);
    const here = (await login('ganti.sandi', DEMO_PASSWORD).expect(200)).body.accessToken;
    const stolen = (await login('ganti.sandi', DEMO_PASSWORD).expect(200)).body.accessToken;
    const wrong = await http()
      .post('/api/v1/auth/password')
      .set(bearer(here))
      .send({ currentPassword: 'bukan-ini-123', newPassword: 'sandi-baru-2026' })
      .expect(403);
    expect(wrong.body.code).toBe('PASSWORD_WRONG');
    await http()
      .post('/api/v1/auth/password')
      .set(bearer(here))
      .send({ currentPassword: DEMO_PASSWORD, newPassword: 'pendek' })
      .expect(422);
    await http()
      .post('/api/v1/auth/password')
      .set(bearer(here))
      .send({ currentPassword: DEMO_PASSWORD, newPassword: 'sandi-baru-2026' })
      .expect(204);
    await http().get('/api/v1/auth/me').set(bearer(stolen)).expect(401);
    await http().get('/api/v1/auth/me').set(bearer(here)).expect(200);
    await login('ganti.sandi', DEMO_PASSWORD).expect(401);
    await login('ganti.sandi', 'sandi-baru-2026').expect(200);
  });

  it('an administrator resets a password: the old one and every session end; only the admin may', async () => {
    const created = await http()
      .post('/api/v1/users')
      .set(bearer(t.admin))
      .send({ username: 'lupa.sandi', displayName: 'Lupa', password: DEMO_PASSWORD, role: 'auditor', regionCode: '' })
      .expect(201);
    const token = (await login('lupa.sandi', DEMO_PASSWORD).expect(200)).body.accessToken;
    const url = `/api/v1/users/${created.body.id}/password-reset`;
    for (const user of ['dinsos', 'kemensos', 'auditor'])
      expect((await http().post(url).set(bearer(t[user])).send({ newPassword: 'sementara-2026' }).expect(403)).body.code).toBe(
        'ROLE_NOT_ALLOWED',
      );
    await http().get('/api/v1/auth/me').set(bearer(token)).expect(200);
    await http().post(url).set(bearer(t.admin)).send({ newPassword: 'sementara-2026' }).expect(204);
    await http().get('/api/v1/auth/me').set(bearer(token)).expect(401);
    await login('lupa.sandi', DEMO_PASSWORD).expect(401);
    await login('lupa.sandi', 'sementara-2026').expect(200);
  });

  it('only the admin manages users; an admin cannot lock themselves out', async () => {
    const list = await http().get('/api/v1/users').set(bearer(t.admin)).expect(200);
    const admin = list.body.items.find((u: { username: string }) => u.username === 'admin');
    const dinsos = list.body.items.find((u: { username: string }) => u.username === 'dinsos');
    for (const user of ['operator.desa', 'dinsos', 'kemensos', 'auditor']) {
      await http().patch(`/api/v1/users/${dinsos.id}`).set(bearer(t[user])).send({ active: false }).expect(403);
      await http().get('/api/v1/users').set(bearer(t[user])).expect(403);
    }
    const self = await http().patch(`/api/v1/users/${admin.id}`).set(bearer(t.admin)).send({ active: false }).expect(422);
    expect(self.body.code).toBe('SELF_LOCKOUT');
    await http()
      .patch('/api/v1/users/00000000-0000-4000-8000-000000000000')
      .set(bearer(t.admin))
      .send({ active: false })
      .expect(404);
  });
});
