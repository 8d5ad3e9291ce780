import { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { parsePosition } from '../../src/event-store/position';
import { Enrolments } from '../../src/programs/enrolments.service';
import { ProgramCaps, ProgramCatalogue } from '../../src/programs/program-catalogue';
import { periodOf } from '../../src/programs/program-rules';
import { SAGA_RUNNER } from '../../src/programs/programs.module';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';
import { establishedHousehold, WELL_OFF } from '../registration/fixtures';
import { startTestApp } from '../support/app';
import { budiHousehold, catchUpPast, eventually, files, readEverything, signIn, sriHousehold } from '../support/api';
import { establishOverHttp } from '../support/flows';
import { DataSource } from 'typeorm';

const PERIOD = periodOf(new Date().toISOString().slice(0, 10));

describe('programs: quotas, enrolment by saga, exits through status changes (HTTP, embedded PostgreSQL)', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let budi: string;
  let sri: string;
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });
  const pkhList = async () => (await http().get(`/api/v1/programs/PKH/lists/32.04/${PERIOD}`).set(as('dinsos')).expect(200)).body;

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    t = await signIn(app);
  });
  afterAll(() => ctx.close());

  it('Kemensos sets the PKH quota of Kabupaten Bandung for this quarter; dinsos may not', async () => {
    await http()
      .put(`/api/v1/programs/PKH/quotas/32.04/${PERIOD}`)
      .set(as('kemensos'))
      .send({ quota: 1, reason: 'Kuota triwulan' })
      .expect(200);
    const denied = await http()
      .put(`/api/v1/programs/PKH/quotas/32.04/${PERIOD}`)
      .set(as('dinsos'))
      .send({ quota: 5 })
      .expect(403);
    expect(denied.body.code).toBe('ROLE_NOT_ALLOWED');
    expect((await pkhList()).quota).toBe(1);
  });

  it('an established household is enrolled by the saga; the next eligible one is waitlisted with a rank', async () => {
    budi = (await establishOverHttp(app, t, budiHousehold('KANTOR_DESA'), 1)).householdId;
    await eventually(
      async () => expect((await pkhList()).enrolled.map((e: { householdId: string }) => e.householdId)).toEqual([budi]),
      10_000,
    );
    sri = (await establishOverHttp(app, t, sriHousehold(), 2)).householdId;
    await eventually(
      async () => expect((await pkhList()).waitlist).toEqual([expect.objectContaining({ householdId: sri, rank: 1 })]),
      10_000,
    );
    const store = app.get<EventStore>(EVENT_STORE);
    const [enrolled] = (await store.readStream(`enrolment-PKH_32.04_${PERIOD}`)).filter((e) => e.type === 'HouseholdEnrolled');
    const [established] = await store.readStream(`household-${budi}`);
    expect(enrolled.data).toMatchObject({ householdId: budi, ruleVersion: '2026.1', quota: 1, cause: established.eventId });
    expect(enrolled.metadata.causationId).toBe(established.eventId);
  });

  it('the population registry reports the child’s death: a review opens (nothing changes yet); dinsos decides it with evidence; Budi’s family exits PKH and Sri’s takes the place', async () => {
    const signal = `nik,sinyal,nilai,tanggal\n3204102009150003,KEMATIAN,${new Date().toISOString().slice(0, 10)},${new Date().toISOString().slice(0, 10)}`;
    const imported = await http()
      .post('/api/v1/signals/imports')
      .set(as('admin'))
      .set('Content-Type', 'text/csv')
      .send(signal)
      .expect(201);
    expect(imported.body).toMatchObject({ reviewsOpened: 1 });
    const [review] = await readEverything(app.get<EventStore>(EVENT_STORE), { eventTypes: ['StatusChangeRequested'] }, 1);
    const change = { body: { caseId: (review.data as { caseId: string }).caseId } };
    expect((await pkhList()).enrolled.map((e: { householdId: string }) => e.householdId)).toEqual([budi]); // a signal decides nothing
    const certificate = await http()
      .post('/api/v1/documents')
      .set(as('dinsos'))
      .set('Content-Type', 'application/pdf')
      .send(files.pdf(4242))
      .expect(201);
    const noEvidence = await http()
      .post(`/api/v1/status-changes/${change.body.caseId}/decision`)
      .set(as('dinsos'))
      .send({ approve: true, reason: 'Akta kematian' })
      .expect(422);
    expect(noEvidence.body.code).toBe('EVIDENCE_REQUIRED');
    await http()
      .post(`/api/v1/status-changes/${change.body.caseId}/decision`)
      .set(as('dinsos'))
      .send({ approve: true, reason: 'Akta kematian', evidence: [{ kind: 'document', sha256: certificate.body.sha256 }] })
      .expect(200);
    const household = (await http().get(`/api/v1/households/${budi}`).set(as('dinsos')).expect(200)).body;
    expect(household.members[2].deceased).toBe(true);
    await eventually(async () => {
      const list = await pkhList();
      expect(list.enrolled.map((e: { householdId: string }) => e.householdId)).toEqual([sri]);
      expect(list.waitlist).toEqual([]);
    }, 10_000);
    const events = await app.get<EventStore>(EVENT_STORE).readStream(`enrolment-PKH_32.04_${PERIOD}`);
    expect(events.find((e) => e.type === 'HouseholdExited')!.data).toMatchObject({ householdId: budi, reasons: ['COMPOSITION'] });
  });

  it('the family appeals the exit: upheld, it is evaluated again (still without a PKH component, so it stays out)', async () => {
    const appeal = await http()
      .post('/api/v1/appeals')
      .set(as('operator.desa'))
      .send({ type: 'EXIT', householdId: budi, program: 'PKH', period: PERIOD, reason: 'Mohon ditinjau' })
      .expect(201);
    await http().post(`/api/v1/appeals/${appeal.body.appealId}/assignment`).set(as('dinsos')).send({}).expect(200);
    const upheld = await http()
      .post(`/api/v1/appeals/${appeal.body.appealId}/decision`)
      .set(as('dinsos'))
      .send({ uphold: true, reason: 'Ditinjau ulang' })
      .expect(200);
    await app.get<ProjectionRunner>(SAGA_RUNNER).waitFor(parsePosition(upheld.body.position)!, { timeoutMs: 10_000 });
    const list = await pkhList();
    expect(list.enrolled.map((e: { householdId: string }) => e.householdId)).toEqual([sri]);
    const notExited = await http()
      .post('/api/v1/appeals')
      .set(as('operator.desa'))
      .send({ type: 'EXIT', householdId: sri, program: 'PKH', period: PERIOD, reason: 'x' })
      .expect(409);
    expect(notExited.body.code).toBe('NOT_APPEALABLE');
  });

  it('replaying the saga from the first event issues no new command', async () => {
    const saga = app.get<ProjectionRunner>(SAGA_RUNNER);
    const store = app.get<EventStore>(EVENT_STORE);
    // Stream lengths, read directly: every committed event, whatever the moment's visibility.
    const lists = ['PKH', 'BPNT', 'PBI-JKN', 'PIP', 'BLT', 'ATENSI-LANSIA', 'ATENSI-DISABILITAS'].map(
      (p) => `enrolment-${p}_32.04_${PERIOD}`,
    );
    const count = async () =>
      (await Promise.all(lists.map((id) => store.readStream(id)))).reduce((n, events) => n + events.length, 0);
    await eventually(async () => expect((await saga.status())[0].lagEvents).toBe(0), 10_000);
    const before = await count();
    await saga.stop();
    await app
      .get(DataSource)
      .query(`update projection_checkpoints set commit_position = 0, prepare_position = 0 where name = 'enrolment-saga'`);
    await saga.catchUp(saga.projections[0]);
    expect(await count()).toBe(before);
  });

  it('concurrent evaluations never exceed a quota', async () => {
    const enrolments = app.get(Enrolments);
    const store = app.get<EventStore>(EVENT_STORE);
    await http().put(`/api/v1/programs/BPNT/quotas/32.04/${PERIOD}`).set(as('kemensos')).send({ quota: 3 }).expect(200);
    const ids: string[] = Array.from({ length: 12 }, () => randomUUID());
    await store.appendMany(
      ids.map((householdId, i) => ({
        streamId: `household-${householdId}`,
        expectedVersion: 'no_stream' as const,
        events: [
          establishedHousehold(householdId, { desil: 1 + (i % 3), classification: 'MISKIN', registrationNumber: `R${i}` }),
        ],
      })),
    );
    // Two instances (as two app processes would be) evaluate at the same time: only the list
    // stream's expected version stands between them and the quota.
    const other = new Enrolments(store, app.get(ProgramCatalogue), app.get(ProgramCaps));
    await Promise.all(
      ids.map(async (id, i) =>
        (i % 2 ? other : enrolments).evaluateHousehold(id, (await store.readStream(`household-${id}`))[0]),
      ),
    );
    const { state } = await enrolments.list('BPNT', '32.04', PERIOD);
    const ours = [...state.enrolled.keys()].filter((k) => ids.includes(k));
    expect(state.enrolled.size).toBe(3);
    expect(ours.length + state.waitlist.filter((w) => ids.includes(w.householdId)).length).toBe(12);
  });

  it('a quota change can be previewed first: who would enter from the waitlist, nothing written', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const before = (await store.readStream(`enrolment-BPNT_32.04_${PERIOD}`)).length;
    const waiting = (await http().get(`/api/v1/programs/BPNT/lists/32.04/${PERIOD}`).set(as('dinsos')).expect(200)).body.waitlist;
    const preview = await http()
      .put(`/api/v1/programs/BPNT/quotas/32.04/${PERIOD}`)
      .set(as('kemensos'))
      .send({ quota: 5, dryRun: true })
      .expect(200);
    expect(preview.body).toMatchObject({ dryRun: true, wouldStayWaiting: waiting.length - 2 });
    expect(preview.body.wouldEnrol).toEqual(waiting.slice(0, 2).map((w: { householdId: string }) => w.householdId));
    expect((await store.readStream(`enrolment-BPNT_32.04_${PERIOD}`)).length).toBe(before);
    const applied = await http()
      .put(`/api/v1/programs/BPNT/quotas/32.04/${PERIOD}`)
      .set(as('kemensos'))
      .send({ quota: 5 })
      .expect(200);
    expect(applied.body.enrolled.map((e: { householdId: string }) => e.householdId)).toEqual(
      expect.arrayContaining(preview.body.wouldEnrol),
    );
  });

  it('a quota change is a batch: reverted, the quota before it returns and those it promoted go back on the waitlist', async () => {
    const list = async () => (await http().get(`/api/v1/programs/BPNT/lists/32.04/${PERIOD}`).set(as('dinsos')).expect(200)).body;
    const before = await list();
    const raised = await http()
      .put(`/api/v1/programs/BPNT/quotas/32.04/${PERIOD}`)
      .set(as('kemensos'))
      .send({ quota: before.quota + 1, reason: 'Tambahan kuota' })
      .expect(200);
    const promoted = raised.body.enrolled.filter(
      (e: { householdId: string }) => !before.enrolled.some((b: { householdId: string }) => b.householdId === e.householdId),
    );
    expect(promoted).toHaveLength(1);
    const res = await http()
      .post(`/api/v1/batches/${raised.body.batchId}/reversal`)
      .set(as('kemensos'))
      .send({ reason: 'Kuota tambahan belum disahkan' })
      .expect(200);
    expect(res.body).toMatchObject({ kinds: ['QUOTA_CHANGE'], notReverted: [] });
    const after = await list();
    expect(after.quota).toBe(before.quota);
    expect(after.enrolled).toEqual(before.enrolled);
    expect(after.waitlist.map((w: { householdId: string }) => w.householdId)).toEqual(
      before.waitlist.map((w: { householdId: string }) => w.householdId),
    );
    const exit = (await app.get<EventStore>(EVENT_STORE).readStream(`enrolment-BPNT_32.04_${PERIOD}`)).find(
      (e) => e.type === 'HouseholdExited' && e.metadata.batchId === res.body.revertId,
    );
    expect(exit?.data).toMatchObject({ householdId: promoted[0].householdId, reasons: ['BATCH_REVERTED'] });
  });

  it('re-ranking with new indicators (decided by dinsos) moves the desil, and the saga takes the household out of BPNT', async () => {
    const { state } = await app.get(Enrolments).list('BPNT', '32.04', PERIOD);
    const [enrolledId] = [...state.enrolled.keys()];
    const asked = await http()
      .post(`/api/v1/households/${enrolledId}/status-changes`)
      .set(as('pendamping'))
      .send({ kind: 'PERINGKAT_ULANG', indicators: WELL_OFF, reason: 'Usaha keluarga berkembang' })
      .expect(201);
    const bad = await http()
      .post(`/api/v1/households/${enrolledId}/status-changes`)
      .set(as('pendamping'))
      .send({ kind: 'PERINGKAT_ULANG', indicators: { earthFloor: 1 }, reason: 'x' })
      .expect(422);
    expect(bad.body.code).toBe('INDICATORS_INVALID');
    const proof = await http()
      .post('/api/v1/documents')
      .set(as('dinsos'))
      .set('Content-Type', 'image/jpeg')
      .send(files.jpeg(999))
      .expect(201);
    const decided = await http()
      .post(`/api/v1/status-changes/${asked.body.caseId}/decision`)
      .set(as('dinsos'))
      .send({ approve: true, reason: 'Dikunjungi', evidence: [{ kind: 'document', sha256: proof.body.sha256 }] })
      .expect(200);
    expect(decided.body.status).toBe('DISETUJUI');
    await catchUpPast(app.get<ProjectionRunner>(SAGA_RUNNER), decided.body.position); // stopped by the replay test
    const household = (await http().get(`/api/v1/households/${enrolledId}`).set(as('dinsos')).expect(200)).body;
    expect(household.desil).toBeGreaterThan(5);
    const after = await app.get(Enrolments).list('BPNT', '32.04', PERIOD);
    expect(after.state.enrolled.has(enrolledId)).toBe(false);
  });

  it('the household appeals its new ranking: upheld, a re-verification (a new field visit) opens in its village, nothing else changes', async () => {
    const [rerankedId] = (await readEverything(app.get<EventStore>(EVENT_STORE), { eventTypes: ['HouseholdReranked'] }, 1)).map(
      (e) => e.streamId.slice('household-'.length),
    );
    const before = (await http().get(`/api/v1/households/${rerankedId}`).set(as('dinsos')).expect(200)).body;
    const filed = await http()
      .post('/api/v1/appeals')
      .set(as('operator.desa'))
      .send({ type: 'RANKING', householdId: rerankedId, reason: 'Usaha keluarga bangkrut bulan lalu' })
      .expect(201);
    const appeal = (await http().get(`/api/v1/appeals/${filed.body.appealId}`).set(as('dinsos')).expect(200)).body;
    expect(appeal.subject).toEqual({ type: 'RANKING', householdId: rerankedId, desil: before.desil });
    await http().post(`/api/v1/appeals/${filed.body.appealId}/assignment`).set(as('dinsos')).send({}).expect(200);
    await http()
      .post(`/api/v1/appeals/${filed.body.appealId}/decision`)
      .set(as('dinsos'))
      .send({ uphold: true, reason: 'Perlu kunjungan ulang' })
      .expect(200);
    await eventually(async () => {
      const reviews = await readEverything(app.get<EventStore>(EVENT_STORE), { eventTypes: ['StatusChangeRequested'] });
      expect(reviews.map((e) => e.data)).toContainEqual(
        expect.objectContaining({
          householdId: rerankedId,
          details: { kind: 'VERIFIKASI_ULANG', trigger: 'BANDING' },
          source: { type: 'BANDING', appealId: filed.body.appealId },
        }),
      );
    });
    const after = (await http().get(`/api/v1/households/${rerankedId}`).set(as('dinsos')).expect(200)).body;
    expect(after.desil).toBe(before.desil); // the new visit re-ranks, not the appeal
  });

  it('a new rule version can be previewed per regency: who would leave or enter, nothing written', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const before = (await store.readStream(`enrolment-PKH_32.04_${PERIOD}`)).length;
    const enrolledNow = (await pkhList()).enrolled.map((e: { householdId: string }) => e.householdId);
    expect(enrolledNow.length).toBeGreaterThan(0);
    const candidate = { version: '2027.1', effectiveFrom: '2027-01-01', maxDesil: 10, classes: ['TIDAK_MISKIN'], anyOf: [] };
    const preview = await eventually(async () => {
      const res = await http()
        .post(`/api/v1/programs/PKH/rule-preview/32.04/${PERIOD}`)
        .set(as('kemensos'))
        .send(candidate)
        .expect(200);
      expect(res.body.wouldLeave.sort()).toEqual(enrolledNow.sort()); // nobody here is TIDAK_MISKIN
      return res.body;
    }, 10_000);
    expect(preview).toMatchObject({ program: 'PKH', version: '2027.1', regencyCode: '32.04' });
    // Only the household re-ranked as well-off above fits the candidate: it would take the freed place.
    expect(preview.wouldEnter).toHaveLength(1);
    const entrant = (await http().get(`/api/v1/households/${preview.wouldEnter[0]}`).set(as('dinsos')).expect(200)).body;
    expect(entrant.classification).toBe('TIDAK_MISKIN');
    expect((await store.readStream(`enrolment-PKH_32.04_${PERIOD}`)).length).toBe(before);
    const bad = await http()
      .post(`/api/v1/programs/PKH/rule-preview/32.04/${PERIOD}`)
      .set(as('kemensos'))
      .send({ ...candidate, classes: ['KAYA'] })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('a household moving to another regency leaves its old lists (PINDAH) and waits on the new one; its data follows it', async () => {
    const { state } = await app.get(Enrolments).list('BPNT', '32.04', PERIOD);
    const [moving] = [...state.enrolled.keys()];
    const asked = await http()
      .post(`/api/v1/households/${moving}/status-changes`)
      .set(as('operator.desa'))
      .send({ kind: 'PINDAH', toVillageCode: '32.73.01.1001', address: 'Jl. Baru No. 2, Kota Bandung', reason: 'Pindah kerja' })
      .expect(201);
    const letter = await http()
      .post('/api/v1/documents')
      .set(as('dinsos'))
      .set('Content-Type', 'application/pdf')
      .send(files.pdf(5151))
      .expect(201);
    // A move out of the regency is approved by the province, which holds both regions.
    const decided = await http()
      .post(`/api/v1/status-changes/${asked.body.caseId}/decision`)
      .set(as('verifikator.provinsi'))
      .send({ approve: true, reason: 'Surat pindah', evidence: [{ kind: 'document', sha256: letter.body.sha256 }] })
      .expect(200);
    await catchUpPast(app.get<ProjectionRunner>(SAGA_RUNNER), decided.body.position);
    const oldList = await app.get<EventStore>(EVENT_STORE).readStream(`enrolment-BPNT_32.04_${PERIOD}`);
    expect(oldList.filter((e) => e.type === 'HouseholdExited').map((e) => e.data)).toContainEqual(
      expect.objectContaining({ householdId: moving, reasons: ['PINDAH'] }),
    );
    const newList = await app.get(Enrolments).list('BPNT', '32.73', PERIOD);
    expect(newList.state.waitlist.map((e) => e.householdId)).toContain(moving); // no quota set there yet
    expect((await http().get(`/api/v1/households/${moving}`).set(as('dinsos')).expect(403)).body.code).toBe('OUTSIDE_REGION');
    expect((await http().get(`/api/v1/households/${moving}`).set(as('kemensos')).expect(200)).body.villageCode).toBe(
      '32.73.01.1001',
    );
  });
});
