import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { Clock, CLOCK } from '../../src/shared/clock';
import { startTestApp } from '../support/app';
import { budiHousehold, DEMO_PASSWORD, eventually, hendraHousehold, signIn, sriHousehold } from '../support/api';
import { establishOverHttp, openCasesOn } from '../support/flows';

const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

describe('work queues over HTTP: what waits for my role in my region, with SLA; claim and assign; load per caseworker', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let clock: Clock;
  let sriCase: string;
  let hendraCase: string;
  let changeId: string;
  let appealId: string;
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });
  const queue = async (user: string, query = '') =>
    (await http().get(`/api/v1/work-queue?${query}`).set(as(user)).expect(200)).body;
  const ids = (page: { items: Array<{ caseId: string }> }) => page.items.map((i) => i.caseId);

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    clock = app.get(CLOCK);
    const admin = await signIn(app, ['admin']);
    await http()
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${admin.admin}`)
      .send({
        username: 'operator.kota',
        displayName: 'Operator kota',
        password: DEMO_PASSWORD,
        role: 'operator_desa',
        regionCode: '32.73.01.1001',
      })
      .expect(201);
    t = { ...(await signIn(app)), ...(await signIn(app, ['operator.kota'])) };
    const householdId = (await establishOverHttp(app, t, budiHousehold('KANTOR_DESA'), 1)).householdId;
    const submitted = async (body: object) => {
      const draft = await http().post('/api/v1/registrations').set(as('operator.desa')).send(body).expect(201);
      await http().post(`/api/v1/registrations/${draft.body.caseId}/submit`).set(as('operator.desa')).send({}).expect(200);
      return draft.body.caseId as string;
    };
    sriCase = await submitted(sriHousehold());
    hendraCase = await submitted(hendraHousehold());
    ({ changeId, appealId } = await openCasesOn(app, t, householdId));
    await eventually(async () => expect((await queue('dinsos')).total).toBe(2), 10_000);
  });
  afterAll(() => {
    clock.now = () => new Date();
    return ctx.close();
  });

  it("the village operator's queue: the cases waiting for a document check, with stage, age and SLA due date", async () => {
    const page = await queue('operator.desa');
    expect(ids(page).sort()).toEqual([sriCase, hendraCase].sort());
    expect(page.items[0]).toMatchObject({
      caseType: 'registration',
      stage: 'PEMERIKSAAN_DOKUMEN',
      stageLabel: { id: 'Pemeriksaan kelengkapan dokumen' },
      villageCode: '32.04.10.2001',
      dueOn: inDays(3),
      overdue: false,
      ageDays: 0,
      assignee: null,
    });
    expect(page.countsByStage).toEqual([{ stage: 'PEMERIKSAAN_DOKUMEN', count: 2, overdue: 0 }]);
  });

  it("dinsos sees the decisions waiting for it (a status change, an appeal), not the village's document checks; another region sees nothing", async () => {
    const page = await queue('dinsos');
    expect(page.items.map((i: { caseType: string }) => i.caseType).sort()).toEqual(['banding', 'statuschange']);
    expect(page.items.find((i: { caseType: string }) => i.caseType === 'banding').dueOn).toBe(inDays(14));
    expect((await queue('operator.kota')).total).toBe(0);
    await http().get('/api/v1/work-queue?villageCode=32.73').set(as('dinsos')).expect(403);
  });

  it('past the SLA a case is overdue and comes first; filters and pages', async () => {
    clock.now = () => new Date(Date.now() + 5 * DAY);
    // Sessions end after AUTH_IDLE_TIMEOUT_SECONDS of the app's clock: five days on, sign in again.
    const renewTokens = async (): Promise<void> =>
      void (t = { ...t, ...(await signIn(app, ['operator.desa', 'dinsos', 'operator.kota'])) });
    await renewTokens();
    const page = await queue('operator.desa', 'overdue=true');
    expect(page.total).toBe(2);
    expect(page.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
    expect(page.countsByStage).toEqual([{ stage: 'PEMERIKSAAN_DOKUMEN', count: 2, overdue: 2 }]);
    const dinsos = await queue('dinsos');
    expect(dinsos.items.map((i: { overdue: boolean }) => i.overdue)).toEqual([false, false]); // 14-day SLAs
    const first = await queue('operator.desa', 'pageSize=1&page=2&sort=age');
    expect(first).toMatchObject({ total: 2 });
    expect(first.items).toHaveLength(1);
    expect((await queue('operator.desa', 'caseType=statuschange')).total).toBe(0);
    clock.now = () => new Date();
    await renewTokens();
  });

  it('an operator claims a case; a supervisor gives another to a named caseworker; the wrong person is refused', async () => {
    const claimed = await http()
      .post(`/api/v1/work-queue/registration/${sriCase}/assignment`)
      .set(as('operator.desa'))
      .send({ assignee: 'me' })
      .expect(200);
    await eventually(async () => expect(ids(await queue('operator.desa', 'assignee=me'))).toEqual([sriCase]));
    expect(ids(await queue('operator.desa', `assignee=none&afterPosition=${claimed.body.position}`))).toEqual([hendraCase]);
    await http()
      .post(`/api/v1/work-queue/statuschange/${changeId}/assignment`)
      .set(as('dinsos'))
      .send({ assignee: 'dinsos.dua' })
      .expect(200);
    const wrongRole = await http()
      .post(`/api/v1/work-queue/statuschange/${changeId}/assignment`)
      .set(as('dinsos'))
      .send({ assignee: 'operator.desa' })
      .expect(422);
    expect(wrongRole.body.code).toBe('ASSIGNEE_NOT_ELIGIBLE');
    await http()
      .post(`/api/v1/work-queue/registration/${hendraCase}/assignment`)
      .set(as('operator.desa'))
      .send({ assignee: 'pendamping' })
      .expect(403);
    await http()
      .post(`/api/v1/work-queue/registration/${hendraCase}/assignment`)
      .set(as('operator.kota'))
      .send({ assignee: 'me' })
      .expect(403);
  });

  it("claiming an appeal from the queue is the appeal's own assignment", async () => {
    await http().post(`/api/v1/work-queue/banding/${appealId}/assignment`).set(as('dinsos')).send({ assignee: 'me' }).expect(200);
    expect((await http().get(`/api/v1/appeals/${appealId}`).set(as('dinsos')).expect(200)).body.status).toBe('DIPROSES');
  });

  it("a supervisor sees the regency's load per caseworker", async () => {
    await eventually(async () => {
      const { caseworkers } = (await http().get('/api/v1/work-queue/load').set(as('dinsos')).expect(200)).body;
      const openOf = (username: string) => caseworkers.find((c: { username: string }) => c.username === username)?.open;
      expect([openOf('dinsos.dua'), openOf('dinsos'), openOf('operator.desa')]).toEqual([1, 1, 1]);
    });
    await http().get('/api/v1/work-queue/load').set(as('operator.desa')).expect(403);
  });

  it('the queue rebuilt from the log equals the live one', async () => {
    const ds = app.get(DataSource);
    const rows = () => ds.query('select * from work_items order by case_type, case_id');
    const live = await rows();
    await app.get(ProjectionRunner).rebuild('work-queue');
    expect(await rows()).toEqual(live);
  });
});
