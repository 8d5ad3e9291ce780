import { INestApplication } from '@nestjs/common';
import { solveChallenge } from 'altcha-lib/v1';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { periodOf } from '../../src/programs/program-rules';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { startTestApp } from '../support/app';
import { budiHousehold, eventually, hendraHousehold, signIn, sriHousehold } from '../support/api';
import { establishOverHttp } from '../support/flows';

const VILLAGE = '32.04.10.2001';
const PERIOD = periodOf(new Date().toISOString().slice(0, 10));
const PER_NAME = 4;

describe('Cek Bansos over HTTP: region, name as on the KTP, captcha; one result per person, masked', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let hendraNumber: string;
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });

  /** What the browser widget does: fetch a challenge, find the number, send the signed solution. */
  async function solvedCaptcha(): Promise<string> {
    const c = (await http().get('/api/v1/cek-bansos/captcha').expect(200)).body;
    const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
    return Buffer.from(JSON.stringify({ ...c, number: solution!.number })).toString('base64');
  }
  const check = async (name: string, villageCode = VILLAGE) =>
    http()
      .post('/api/v1/cek-bansos')
      .send({ villageCode, name, captcha: await solvedCaptcha() });

  beforeAll(async () => {
    ctx = await startTestApp({ CAPTCHA_MAX_NUMBER: '2000', STATUS_CHECK_PER_NAME_PER_HOUR: String(PER_NAME) });
    app = ctx.app;
    t = await signIn(app);
    await http().put(`/api/v1/programs/PKH/quotas/32.04/${PERIOD}`).set(as('kemensos')).send({ quota: 1 }).expect(200);
    await establishOverHttp(app, t, budiHousehold('KANTOR_DESA'), 1); // takes the one PKH place
    await establishOverHttp(app, t, sriHousehold(), 2); // waits for it
    const hendra = hendraHousehold();
    const draft = await http().post('/api/v1/registrations').set(as('operator.desa')).send(hendra).expect(201);
    hendraNumber = (
      await http().post(`/api/v1/registrations/${draft.body.caseId}/submit`).set(as('operator.desa')).send({}).expect(200)
    ).body.registrationNumber;
    await http()
      .post(`/api/v1/registrations/${draft.body.caseId}/document-check`)
      .set(as('operator.desa'))
      .send({ complete: false, reason: 'KK belum diunggah' })
      .expect(200);
  });
  afterAll(() => ctx.close());

  it('a recipient: Terdaftar sebagai Penerima, with program and period; the name masked, nothing else personal', async () => {
    const res = await eventually(async () => {
      const r = await check('Budi Santoso');
      expect(r.status).toBe(200);
      expect(r.body.results[0].category).toBe('PENERIMA');
      return r;
    }, 10_000);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0]).toMatchObject({
      name: 'Bu** Sa*****',
      label: { id: 'Terdaftar sebagai Penerima' },
      programs: [{ program: 'PKH', period: PERIOD, name: { id: expect.any(String) } }],
    });
    expect(res.body.village.map((r: { code: string }) => r.code)).toEqual(['32', '32.04', '32.04.10', VILLAGE]);
    const text = JSON.stringify(res.body);
    for (const secret of ['3204101203850001', '3204100101200001', 'Jl.', 'desil', 'Budi', 'Santoso'])
      expect(text).not.toContain(secret);
  });

  it('matching ignores case, repeated spaces and punctuation, but not spelling', async () => {
    expect((await check('  BUDI   santoso. ')).body.results[0].category).toBe('PENERIMA');
    expect((await check('Budi Santosa')).body.results[0].category).toBe('TIDAK_TERDAFTAR');
    expect((await check('Budi Santoso', '32.04.10.2002')).body.results[0].category).toBe('TIDAK_TERDAFTAR');
  });

  it('every other category: waitlisted (Belum Menerima), data incomplete, not registered', async () => {
    const sri = await eventually(async () => {
      const r = (await check('Sri Wahyuni')).body.results[0];
      expect(r.category).toBe('BELUM_MENERIMA');
      return r;
    }, 10_000);
    expect(sri.label.id).toBe('Terdaftar tapi Belum Menerima');
    expect(sri.programs).toEqual([]);
    expect(sri.waitlisted).toContainEqual(expect.objectContaining({ program: 'PKH', period: PERIOD }));
    const hendra = (await check('Hendra Gunawan')).body.results[0];
    expect(hendra).toMatchObject({ category: 'DATA_TIDAK_LENGKAP', label: { id: 'Data Tidak Lengkap' } });
    const nobody = (await check('Tidak Ada Orangnya')).body.results;
    expect(nobody).toEqual([
      expect.objectContaining({ category: 'TIDAK_TERDAFTAR', nextStep: { id: expect.any(String), en: expect.any(String) } }),
    ]);
  });

  it('a registration number shows its stage and what to do next', async () => {
    const res = await http().get(`/api/v1/cek-bansos/pendaftaran/${hendraNumber}`).expect(200);
    expect(res.body).toMatchObject({ stage: 'DATA_TIDAK_LENGKAP', nextStep: { id: expect.stringContaining('Dokumen') } });
    expect(JSON.stringify(res.body)).not.toContain('Hendra');
  });

  it('the captcha is required, verified and single-use; bad input is a 4xx in Indonesian', async () => {
    const missing = await http().post('/api/v1/cek-bansos').send({ villageCode: VILLAGE, name: 'Budi Santoso' }).expect(400);
    expect(missing.body).toMatchObject({ code: 'CAPTCHA_REQUIRED', message: 'Selesaikan captcha terlebih dahulu' });
    const captcha = await solvedCaptcha();
    await http().post('/api/v1/cek-bansos').send({ villageCode: VILLAGE, name: 'Andi Saputra', captcha }).expect(200);
    const reused = await http()
      .post('/api/v1/cek-bansos')
      .send({ villageCode: VILLAGE, name: 'Andi Saputra', captcha })
      .expect(400);
    expect(reused.body).toMatchObject({ code: 'CAPTCHA_USED', message: expect.stringContaining('Captcha') });
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(captcha, 'base64').toString()), number: 1 })).toString(
      'base64',
    );
    expect(
      (await http().post('/api/v1/cek-bansos').send({ villageCode: VILLAGE, name: 'Andi Saputra', captcha: forged })).body.code,
    ).toMatch(/CAPTCHA_(INVALID|USED)/);
    const unknownVillage = await check('Andi Saputra', '32.04.10.2999');
    expect(unknownVillage.status).toBe(422);
  });

  it(`one village + name is searched at most ${PER_NAME} times an hour from anywhere: then 429 with Retry-After`, async () => {
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i <= PER_NAME; i++) {
      last = await check('Rizky Pratama');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array(PER_NAME).fill(200), 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.body).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('Terlalu banyak') });
  });

  it('the read model rebuilt from the log equals the live one', async () => {
    const ds = app.get(DataSource);
    const rows = () => ds.query('select * from status_check order by person_key');
    const live = await rows();
    expect(live.length).toBeGreaterThanOrEqual(6);
    await app.get(ProjectionRunner).rebuild('status-check');
    expect(await rows()).toEqual(live);
  });
});
