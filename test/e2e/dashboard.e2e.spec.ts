import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { periodOf } from '../../src/programs/program-rules';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { startTestApp } from '../support/app';
import { budiHousehold, eventually, files, signIn, sriHousehold } from '../support/api';
import { establishOverHttp } from '../support/flows';

const PERIOD = periodOf(new Date().toISOString().slice(0, 10));

describe('dashboard figures over HTTP: per region and period, from the read models', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });
  const figures = async (user: string, query = '') =>
    (await http().get(`/api/v1/dashboard?${query}`).set(as(user)).expect(200)).body;

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    t = await signIn(app);
    await http().put(`/api/v1/programs/PKH/quotas/32.04/${PERIOD}`).set(as('kemensos')).send({ quota: 1 }).expect(200);
    const budi = (await establishOverHttp(app, t, budiHousehold('KANTOR_DESA'), 1)).householdId;
    await establishOverHttp(app, t, sriHousehold(), 2);
    const asked = await http()
      .post(`/api/v1/households/${budi}/status-changes`)
      .set(as('operator.desa'))
      .send({ kind: 'VERIFIKASI_ULANG', reason: 'r' })
      .expect(201);
    const proof = await http()
      .post('/api/v1/documents')
      .set(as('dinsos'))
      .set('Content-Type', 'application/pdf')
      .send(files.pdf(5))
      .expect(201);
    await http()
      .post(`/api/v1/status-changes/${asked.body.caseId}/decision`)
      .set(as('dinsos'))
      .send({ approve: true, reason: 'ok', evidence: [{ kind: 'document', sha256: proof.body.sha256 }] })
      .expect(200);
  });
  afterAll(() => ctx.close());

  it('enrolments against quota per program, cases per stage, SLA compliance and the class distribution', async () => {
    const body = await eventually(async () => {
      const f = await figures('dinsos');
      expect(f.programs.find((p: { program: string }) => p.program === 'PKH')).toMatchObject({
        quota: 1,
        enrolled: 1,
        waitlisted: 1,
      });
      expect(f.sla).toMatchObject({ closed: 1, closedOnTime: 1, compliance: 1 });
      return f;
    }, 10_000);
    expect(body).toMatchObject({ regionCode: '32.04', period: PERIOD });
    expect(body.cases).toContainEqual({ caseType: 'registration', stage: 'DITETAPKAN', open: false, count: 2 });
    const households = body.classification.byClass.reduce((n: number, c: { households: number }) => n + c.households, 0);
    expect(households).toBe(2);
    expect(body.classification.byDesil.reduce((n: number, d: { households: number }) => n + d.households, 0)).toBe(2);
  });

  it("a village operator sees their village's figures and its regency's lists; another region is refused", async () => {
    const village = await figures('operator.desa');
    expect(village.regionCode).toBe('32.04.10.2001');
    expect(village.programs.find((p: { program: string }) => p.program === 'PKH')).toMatchObject({ enrolled: 1 });
    await http().get('/api/v1/dashboard?regionCode=32.73').set(as('dinsos')).expect(403);
    expect((await figures('kemensos', 'regionCode=32.73')).programs).toEqual([]);
    await http().get('/api/v1/dashboard?period=2026-13').set(as('dinsos')).expect(400);
  });

  it('the program-lists figures rebuilt from the log equal the live ones', async () => {
    const ds = app.get(DataSource);
    const rows = () => ds.query('select * from program_lists order by program, regency_code, period');
    const live = await rows();
    expect(live.length).toBeGreaterThan(0);
    await app.get(ProjectionRunner).rebuild('program-lists');
    expect(await rows()).toEqual(live);
  });
});
