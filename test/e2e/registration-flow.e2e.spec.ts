import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { NotificationDispatcher } from '../../src/notification/notification-dispatcher';
import { MODEL } from '../registration/fixtures';
import { startTestApp } from '../support/app';
import { budiHousehold, eventually, files, signIn } from '../support/api';
import { DataSource } from 'typeorm';

describe('a household from an online draft to its establishment in the registry (HTTP, embedded PostgreSQL)', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let caseId: string;
  let resumeToken: string;
  let registrationNumber: string;
  let householdId: string;
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    t = await signIn(app);
  });
  afterAll(() => ctx.close());

  it('1. the applicant starts a draft online and gets a resume code', async () => {
    const res = await http()
      .post('/api/v1/registrations/mandiri')
      .send(budiHousehold('ONLINE', { address: 'draf' }))
      .expect(201);
    expect(res.body).toMatchObject({ version: 1, status: 'DRAFT' });
    expect(res.body.position).toMatch(/^\d+\/\d+$/);
    expect(res.headers.etag).toBe('"1"');
    ({ caseId, resumeToken } = res.body);
    expect(resumeToken.length).toBeGreaterThanOrEqual(20);
  });

  it('2. resumes the draft later with the code, then uploads the documents', async () => {
    const before = await http().get(`/api/v1/registrations/${caseId}`).set('X-Resume-Token', resumeToken).expect(200);
    expect(before.body.application.address).toBe('draf');
    await http()
      .put(`/api/v1/registrations/${caseId}/draft`)
      .set('X-Resume-Token', resumeToken)
      .set('If-Match', '"1"')
      .send(budiHousehold())
      .expect(200);
    const uploads: Array<[string, string, Buffer, number?]> = [
      ['KTP', 'image/jpeg', files.jpeg(1), 0],
      ['KK', 'application/pdf', files.pdf(1)],
      ['AKTA_KELAHIRAN', 'application/pdf', files.pdf(2), 2],
      ['BUKTI_PENGHASILAN', 'image/png', files.png(1)],
      ['FOTO_RUMAH', 'image/jpeg', files.jpeg(2)],
      ['FOTO_RUMAH', 'image/jpeg', files.jpeg(3)],
    ];
    for (const [kind, type, body, member] of uploads) {
      const query = member === undefined ? `kind=${kind}` : `kind=${kind}&memberIndex=${member}`;
      await http()
        .post(`/api/v1/registrations/${caseId}/documents?${query}`)
        .set('X-Resume-Token', resumeToken)
        .set('Content-Type', type)
        .send(body)
        .expect(200);
    }
    const after = await http().get(`/api/v1/registrations/${caseId}`).set('X-Resume-Token', resumeToken).expect(200);
    expect(after.body.documents).toHaveLength(6);
    expect(after.body.missingDocuments).toEqual([]);
    expect(after.body.documents[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('3. submits: automatic checks against the Dukcapil extract pass, a registration number is issued', async () => {
    const res = await http()
      .post(`/api/v1/registrations/${caseId}/submit`)
      .set('X-Resume-Token', resumeToken)
      .send({})
      .expect(200);
    expect(res.body.status).toBe('PEMERIKSAAN_DOKUMEN');
    registrationNumber = res.body.registrationNumber;
    expect(registrationNumber).toMatch(/^REG-3204102001-\d{6}-[0-9A-Z]{6}$/);
    const tracked = await eventually(
      async () => (await http().get(`/api/v1/cek-bansos/pendaftaran/${registrationNumber}`).expect(200)).body,
    );
    expect(tracked).toMatchObject({ stage: 'DALAM_PROSES', stageLabel: { id: 'Pemeriksaan kelengkapan dokumen' } });
    expect(JSON.stringify(tracked)).not.toContain('Budi');
  });

  it('4. the village operator checks the documents and validates; a field visit is demanded', async () => {
    await http()
      .post(`/api/v1/registrations/${caseId}/document-check`)
      .set(as('operator.desa'))
      .send({ complete: true })
      .expect(200);
    const res = await http()
      .post(`/api/v1/registrations/${caseId}/validation`)
      .set(as('operator.desa'))
      .send({ valid: true, fieldVisitRequired: true })
      .expect(200);
    expect(res.body.status).toBe('VERIFIKASI_LAPANGAN');
  });

  it('5. the social worker records the visit with a photo as evidence', async () => {
    const photo = await http()
      .post('/api/v1/documents')
      .set(as('pendamping'))
      .set('Content-Type', 'image/jpeg')
      .send(files.jpeg(9))
      .expect(201);
    const indicators = (await http().get(`/api/v1/registrations/${caseId}`).set(as('pendamping')).expect(200)).body.application
      .declaredIndicators;
    const res = await http()
      .post(`/api/v1/registrations/${caseId}/field-verification`)
      .set(as('pendamping'))
      .send({
        visitedOn: new Date().toISOString().slice(0, 10),
        indicators,
        notes: 'Rumah semi permanen',
        evidence: [{ kind: 'document', sha256: photo.body.sha256 }],
      })
      .expect(200);
    expect(res.body.status).toBe('ANALISIS_KELAYAKAN');
  });

  it('6. dinsos runs the eligibility analysis: Layak, with the PMT version, score and desil recorded', async () => {
    const res = await http()
      .post(`/api/v1/registrations/${caseId}/eligibility-assessment`)
      .set(as('dinsos'))
      .send({})
      .expect(200);
    expect(res.body.status).toBe('MENUNGGU_MUSDES');
    const view = (await http().get(`/api/v1/registrations/${caseId}`).set(as('dinsos')).expect(200)).body;
    expect(view.assessment).toMatchObject({
      modelVersion: MODEL.version,
      outcome: 'layak',
      classification: 'SANGAT_MISKIN',
      desil: 1,
    });
    expect(typeof view.assessment.score).toBe('number');
  });

  it('7. the approval chain: musdes (with minutes), regency by batch, province, then penetapan by Kemensos', async () => {
    const minutes = await http()
      .post('/api/v1/documents')
      .set(as('operator.desa'))
      .set('Content-Type', 'application/pdf')
      .send(files.pdf(7))
      .expect(201);
    await http()
      .post(`/api/v1/registrations/${caseId}/musdes-decision`)
      .set(as('operator.desa'))
      .send({ approve: true, evidence: [{ kind: 'document', sha256: minutes.body.sha256 }] })
      .expect(200);
    const preview = await http()
      .post('/api/v1/verval/batches')
      .set(as('dinsos'))
      .send({ action: 'decideRegency', approve: true, caseIds: [caseId], dryRun: true })
      .expect(200);
    expect(preview.body).toMatchObject({ dryRun: true, count: 1, cases: [{ caseId, status: 'MENUNGGU_PROVINSI' }] });
    const stillWaiting = (await http().get(`/api/v1/registrations/${caseId}`).set(as('dinsos')).expect(200)).body;
    expect(stillWaiting.status).toBe('MENUNGGU_KABUPATEN');
    const batch = await http()
      .post('/api/v1/verval/batches')
      .set(as('dinsos'))
      .send({ action: 'decideRegency', approve: true, caseIds: [caseId] })
      .expect(200);
    expect(batch.body).toMatchObject({ dryRun: false, count: 1 });
    await http()
      .post(`/api/v1/registrations/${caseId}/province-decision`)
      .set(as('verifikator.provinsi'))
      .send({ approve: true })
      .expect(200);
    const res = await http()
      .post(`/api/v1/registrations/${caseId}/establishment`)
      .set(as('kemensos'))
      .send({ approve: true })
      .expect(200);
    expect(res.body.status).toBe('DITETAPKAN');
    householdId = res.body.householdId;
    expect(householdId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('8. establishment created the household stream: members, KK, village, desil, classification, status active', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const [household] = await store.readStream(`household-${householdId}`);
    expect(household).toMatchObject({
      type: 'HouseholdEstablished',
      data: {
        villageCode: '32.04.10.2001',
        kkNumber: '3204100101200001',
        desil: 1,
        classification: 'SANGAT_MISKIN',
        status: 'AKTIF',
        registrationCaseId: caseId,
        pmtVersion: MODEL.version,
      },
    });
    expect((household.data as { members: unknown[] }).members).toHaveLength(3);
  });

  it('9. every event carries the full metadata: actor, correlation and causation, rule versions, evidence', async () => {
    const events = await app.get<EventStore>(EVENT_STORE).readStream(`registration-${caseId}`);
    for (const e of events) {
      expect(e.metadata).toMatchObject({
        commandId: expect.any(String),
        correlationId: expect.any(String),
        causationId: expect.any(String),
        recordedAt: expect.any(String),
      });
      expect(e.metadata.actor).toMatchObject({
        userId: expect.any(String),
        role: expect.any(String),
        region: expect.any(String),
      });
      expect(e.metadata.ruleVersions?.verval).toBe('2026.1');
    }
    const assessed = events.find((e) => e.type === 'EligibilityAssessed')!;
    expect(assessed.metadata.ruleVersions).toMatchObject({ pmt: MODEL.version });
    expect(assessed.metadata.actor).toMatchObject({ role: 'dinsos', region: '32.04' });
    const visit = events.find((e) => e.type === 'FieldVerificationRecorded')!;
    expect(visit.metadata.evidence?.[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const regency = events.find((e) => e.type === 'ApprovalDecided' && (e.data as { level: string }).level === 'kabupaten')!;
    expect(regency.metadata.batchId).toEqual((regency.data as { batchId: string }).batchId);
    const submitted = events.find((e) => e.type === 'RegistrationSubmitted')!;
    expect(submitted.metadata.actor).toMatchObject({ role: 'pemohon', region: '32.04.10.2001' });
  });

  it('10. the same household cannot register again: its NIKs are held by the household (ganda)', async () => {
    const again = await http()
      .post('/api/v1/registrations')
      .set(as('operator.desa'))
      .send(budiHousehold('KANTOR_DESA'))
      .expect(201);
    const res = await http()
      .post(`/api/v1/registrations/${again.body.caseId}/submit`)
      .set(as('operator.desa'))
      .send({})
      .expect(200);
    expect(res.body.status).toBe('PERLU_PERBAIKAN');
    const view = (await http().get(`/api/v1/registrations/${again.body.caseId}`).set(as('operator.desa')).expect(200)).body;
    expect(view.status).toBe('PERLU_PERBAIKAN');
    const events = await app.get<EventStore>(EVENT_STORE).readStream(`registration-${again.body.caseId}`);
    const failed = events.find((e) => e.type === 'AutomaticChecksFailed')!.data as { reasons: Array<{ code: string }> };
    expect(new Set(failed.reasons.map((r) => r.code))).toEqual(new Set(['GANDA_HOUSEHOLD']));
  });

  it('11. the applicant was notified of each outcome through the outbox', async () => {
    const ds = app.get(DataSource);
    await eventually(async () => {
      const rows = await ds.query('select template from notification_outbox where case_id = $1 order by created_at', [caseId]);
      expect(rows.map((r: { template: string }) => r.template)).toEqual(['LAYAK', 'DITETAPKAN']);
    });
    await app.get(NotificationDispatcher).dispatchOnce();
    const delivered = await ds.query(
      `select d.status from notification_deliveries d join notification_outbox o on o.id = d.notification_id where o.case_id = $1`,
      [caseId],
    );
    expect(delivered.map((r: { status: string }) => r.status)).toEqual(['SENT', 'SENT']);
  });

  it('12. the case list shows it to staff of its region, read-your-writes by position', async () => {
    const res = await http()
      .post(`/api/v1/registrations`)
      .set(as('pendamping'))
      .send(budiHousehold('PENDAMPING', { members: [] }))
      .expect(201);
    const list = await http()
      .get(`/api/v1/registrations?afterPosition=${res.body.position}&status=DRAFT`)
      .set(as('dinsos'))
      .expect(200);
    expect(list.body.items.map((i: { caseId: string }) => i.caseId)).toContain(res.body.caseId);
    const established = await http().get(`/api/v1/registrations?status=DITETAPKAN`).set(as('kemensos')).expect(200);
    expect(established.body.items).toEqual([expect.objectContaining({ caseId, householdId, registrationNumber })]);
  });
});
