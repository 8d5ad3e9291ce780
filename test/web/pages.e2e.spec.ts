import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DEMO_PASSWORD } from '../support/api';
import { startTestApp } from '../support/app';

/**
 * The server-rendered pages without a browser: what they answer to bad input, missing or expired
 * sessions, other regions and hostile text. (The browser spec drives the whole flow.)
 */
describe('web pages', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  const PER_CLIENT = 6;

  beforeAll(async () => {
    ctx = await startTestApp({ STATUS_CHECK_PER_CLIENT_PER_MINUTE: String(PER_CLIENT) });
    app = ctx.app;
  });
  afterAll(() => ctx.close());

  /** Signs in through the page; returns the cookies the browser would keep. */
  async function session(username: string): Promise<string[]> {
    const res = await http().post('/masuk').type('form').send({ username, password: DEMO_PASSWORD }).expect(303);
    return ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
  }

  it('signing in sets an HttpOnly, SameSite=Strict session and goes to the role’s start page', async () => {
    const res = await http().post('/masuk').type('form').send({ username: 'dinsos', password: DEMO_PASSWORD }).expect(303);
    expect(res.headers.location).toBe('/konsol/antrean');
    const cookie = ([] as string[]).concat(res.headers['set-cookie']).find((c) => c.startsWith('sesi='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const auditor = await http().post('/masuk').type('form').send({ username: 'auditor', password: DEMO_PASSWORD }).expect(303);
    expect(auditor.headers.location).toBe('/audit');
  });

  it('a wrong password shows the form again with a message, and no session', async () => {
    const res = await http().post('/masuk').type('form').send({ username: 'dinsos', password: 'salah' }).expect(401);
    expect(res.text).toContain('Nama pengguna atau kata sandi salah');
    expect(res.headers['set-cookie']).toBeUndefined();
    const empty = await http().post('/masuk').type('form').send({}).expect(401);
    expect(empty.text).toContain('<form method="post" action="/masuk">');
  });

  it('after sign-in only this site’s paths are followed (no open redirect)', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example'])
      expect(
        (await http().post('/masuk').type('form').send({ username: 'dinsos', password: DEMO_PASSWORD, lanjut: next }).expect(303))
          .headers.location,
      ).toBe('/konsol/antrean');
    expect(
      (
        await http()
          .post('/masuk')
          .type('form')
          .send({ username: 'dinsos', password: DEMO_PASSWORD, lanjut: '/dasbor' })
          .expect(303)
      ).headers.location,
    ).toBe('/dasbor');
  });

  it('console pages without a session go to sign-in and back; an expired session says so', async () => {
    const res = await http().get('/konsol/antrean?page=2').expect(303);
    expect(res.headers.location).toBe('/masuk?lanjut=%2Fkonsol%2Fantrean%3Fpage%3D2');
    const expired = await http().get('/dasbor').set('Cookie', 'sesi=bukan.token.sah').expect(303);
    expect(expired.headers.location).toBe('/masuk?lanjut=%2Fdasbor&sesi=habis');
    expect((await http().get('/masuk?sesi=habis').expect(200)).text).toContain('Sesi Anda telah berakhir');
  });

  it('the menu shows what the role may open, and a page beyond the role is refused in words', async () => {
    const operator = await session('operator.desa');
    const queue = await http().get('/konsol/antrean').set('Cookie', operator).expect(200);
    expect(queue.text).toContain('href="/konsol/persetujuan"');
    expect(queue.text).not.toContain('href="/audit"');
    const refused = await http().get('/audit/akses').set('Cookie', operator).expect(403);
    expect(refused.text).toContain('Anda tidak berwenang membuka ini');
    expect(refused.text).not.toMatch(/"statusCode"|at \w+ \(/);
  });

  it('tracking by number checks the format and says when a number is unknown', async () => {
    expect((await http().get('/cek-bansos/pendaftaran?nomor=abc').expect(200)).text).toContain(
      'Format nomor pendaftaran tidak valid',
    );
    expect((await http().get('/cek-bansos/pendaftaran?nomor=REG-3204102001-261124-7K3Q9X').expect(200)).text).toContain(
      'Nomor pendaftaran tidak ditemukan',
    );
  });

  it('Cek Bansos answers a missing village, a short name and a missing captcha beside the fields, keeping what was typed', async () => {
    const res = await http().post('/cek-bansos').type('form').send({ villageCode: '99.99.99.9999', name: 'Bu' }).expect(200);
    expect(res.text).toContain('Pilih desa/kelurahan.');
    expect(res.text).toContain('Tulis nama lengkap sesuai KTP');
    const noCaptcha = await http()
      .post('/cek-bansos')
      .type('form')
      .send({ villageCode: '32.04.10.2001', name: 'Budi Santoso' })
      .expect(200);
    expect(noCaptcha.text).toContain('Selesaikan captcha terlebih dahulu');
    expect(noCaptcha.text).toContain('value="Budi Santoso"');
    expect(noCaptcha.text).toMatch(/<option value="32.04.10.2001" selected>/);
  });

  it('typed text is escaped, never run', async () => {
    const res = await http()
      .post('/cek-bansos')
      .type('form')
      .send({ villageCode: '32.04.10.2001', name: '<script>alert(1)</script>' })
      .expect(200);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('the page and the API share one per-client budget: beyond it, a 429 page with Retry-After', async () => {
    let last: request.Response | undefined;
    for (let i = 0; i < PER_CLIENT + 1; i++)
      last = await http()
        .post('/cek-bansos')
        .type('form')
        .send({ villageCode: '32.04.10.2001', name: `Nama ${i}` });
    expect(last!.status).toBe(429);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.text).toContain('Terlalu banyak pencarian');
    const api = await http().post('/api/v1/cek-bansos').send({ villageCode: '32.04.10.2001', name: 'Nama lain', captcha: 'x' });
    expect(api.status).toBe(429);
  });

  it('the language switch sets English for the next pages', async () => {
    const res = await http().get('/bahasa/en?lanjut=/cek-bansos').expect(303);
    expect(res.headers.location).toBe('/cek-bansos');
    const cookie = ([] as string[]).concat(res.headers['set-cookie'])[0].split(';')[0];
    const page = await http().get('/cek-bansos').set('Cookie', cookie).expect(200);
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('Full name as on the ID card');
  });

  it('the identifier check says what is wrong with a NIK and a KK number, and accepts good ones', async () => {
    const bad = await http().post('/api/v1/identifiers/check').send({ nik: '9999999999999999', kk: '3204' }).expect(200);
    expect(bad.body.nik.valid).toBe(false);
    expect(bad.body.nik.problems[0].message.id).toMatch(/kecamatan/);
    expect(bad.body.kk.valid).toBe(false);
    const good = await http()
      .post('/api/v1/identifiers/check')
      .send({ nik: '3204101501800006', kk: '3204100203190003' })
      .expect(200);
    expect(good.body.nik).toMatchObject({ valid: true, value: { birthDate: '1980-01-15', sex: 'L' } });
    expect(good.body.kk.valid).toBe(true);
    await http().post('/api/v1/identifiers/check').send({ nik: 'abc' }).expect(400);
  });

  it('assets come from a fixed list; anything else is a 404', async () => {
    await http().get('/aset/app.css').expect(200).expect('Content-Type', /css/);
    await http()
      .get('/aset/chart.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await http().get('/aset/..%2Fpackage.json').expect(404);
    await http().get('/aset/package.json').expect(404);
  });
});
