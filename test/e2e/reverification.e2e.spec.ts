import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { ReverificationSchedule } from '../../src/reverification/reverification-schedule';
import { Clock, CLOCK } from '../../src/shared/clock';
import { establishedHousehold } from '../registration/fixtures';
import { startTestApp } from '../support/app';
import { files, readEverything, signIn } from '../support/api';

const MONTH = 31 * 86_400_000;

describe('periodic re-verification: a stale household gets a case, driven by an injectable clock', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let clock: Clock;
  let schedule: ReverificationSchedule;
  const householdId = randomUUID();
  const inMonths = (n: number) => () => new Date(Date.now() + n * MONTH);
  const caughtUp = async (position: { commit: bigint; prepare: bigint }) =>
    app.get(ProjectionRunner).waitFor(position, { timeoutMs: 10_000 });

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    clock = app.get(CLOCK);
    schedule = app.get(ReverificationSchedule);
    const { position } = await app
      .get<EventStore>(EVENT_STORE)
      .append(`household-${householdId}`, [establishedHousehold(householdId)], { expectedVersion: 'no_stream' });
    await caughtUp(position);
  });
  afterAll(() => ctx.close());

  it('opens nothing while the household is fresh; after 6 months it opens one case, and only one', async () => {
    clock.now = inMonths(5);
    expect(await schedule.runOnce()).toBe(0);
    clock.now = inMonths(7);
    expect(await schedule.runOnce()).toBe(1);
    expect(await schedule.runOnce()).toBe(0); // same household, same staleness: the derived case id exists
    const store = app.get<EventStore>(EVENT_STORE);
    const [opened] = await readEverything(store, { eventTypes: ['StatusChangeRequested'] }, 1);
    expect(opened.data).toMatchObject({
      householdId,
      details: { kind: 'VERIFIKASI_ULANG', trigger: 'BERKALA' },
      source: { type: 'JADWAL' },
    });
    await caughtUp(opened.position);
  });

  it('once verified again (approved by dinsos), the household is fresh until the next period', async () => {
    const t = await signIn(app, ['dinsos']);
    const store = app.get<EventStore>(EVENT_STORE);
    const [opened] = await readEverything(store, { eventTypes: ['StatusChangeRequested'] }, 1);
    const caseId = (opened.data as { caseId: string }).caseId;
    const report = await request(app.getHttpServer())
      .post('/api/v1/documents')
      .set('Authorization', `Bearer ${t.dinsos}`)
      .set('Content-Type', 'application/pdf')
      .send(files.pdf(61))
      .expect(201);
    const decided = await request(app.getHttpServer())
      .post(`/api/v1/status-changes/${caseId}/decision`)
      .set('Authorization', `Bearer ${t.dinsos}`)
      .send({
        approve: true,
        reason: 'Kunjungan: data masih sesuai',
        evidence: [{ kind: 'document', sha256: report.body.sha256 }],
      })
      .expect(200);
    const [, reverified] = await store.readStream(`household-${householdId}`);
    expect(reverified).toMatchObject({ type: 'HouseholdReverified', data: { changeCaseId: caseId } });
    await caughtUp(reverified.position);
    expect(decided.body.status).toBe('DISETUJUI');
    clock.now = inMonths(5);
    expect(await schedule.runOnce()).toBe(0);
    clock.now = inMonths(7);
    expect(await schedule.runOnce()).toBe(1);
  });
});
