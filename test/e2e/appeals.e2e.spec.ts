import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { POOR, WELL_OFF } from '../registration/fixtures';
import { startTestApp } from '../support/app';
import { budiHousehold, files, signIn } from '../support/api';
import { assessOverHttp } from '../support/flows';

describe('appeal (banding) against Tidak Layak over HTTP: filed, assigned, upheld, re-assessed', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let caseId: string;
  let appealId: string;
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    t = await signIn(app);
    ({ caseId } = await assessOverHttp(app, t, budiHousehold('KANTOR_DESA', { declaredIndicators: WELL_OFF }), 7));
  });
  afterAll(() => ctx.close());

  it('only a Tidak Layak result can be appealed; the village operator files within the window', async () => {
    const view = (await http().get(`/api/v1/registrations/${caseId}`).set(as('operator.desa')).expect(200)).body;
    expect(view.status).toBe('TIDAK_LAYAK');
    const res = await http()
      .post('/api/v1/appeals')
      .set(as('operator.desa'))
      .send({ type: 'TIDAK_LAYAK', registrationCaseId: caseId, reason: 'Kepala keluarga kehilangan pekerjaan' })
      .expect(201);
    appealId = res.body.appealId;
    const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    expect(res.body).toMatchObject({ status: 'DIAJUKAN', dueOn: due });
    const missing = await http()
      .post('/api/v1/appeals')
      .set(as('operator.desa'))
      .send({ type: 'TIDAK_LAYAK', reason: 'x' })
      .expect(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
  });

  it('dinsos assigns it; only the assigned caseworker decides, with a reason', async () => {
    await http().post(`/api/v1/appeals/${appealId}/assignment`).set(as('dinsos')).send({}).expect(200);
    const other = await http()
      .post(`/api/v1/appeals/${appealId}/decision`)
      .set(as('dinsos.dua'))
      .send({ uphold: true, reason: 'x' })
      .expect(403);
    expect(other.body.code).toBe('NOT_ASSIGNED');
    const upheld = await http()
      .post(`/api/v1/appeals/${appealId}/decision`)
      .set(as('dinsos'))
      .send({ uphold: true, reason: 'Perlu kunjungan ulang' })
      .expect(200);
    expect(upheld.body.status).toBe('DIKABULKAN');
  });

  it('upholding re-opened the registration for a new field visit and assessment, in the same write', async () => {
    const view = (await http().get(`/api/v1/registrations/${caseId}`).set(as('pendamping')).expect(200)).body;
    expect(view.status).toBe('VERIFIKASI_LAPANGAN');
    const events = await app.get<EventStore>(EVENT_STORE).readStream(`registration-${caseId}`);
    const reopened = events.at(-1)!;
    const [decision] = (await app.get<EventStore>(EVENT_STORE).readStream(`banding-${appealId}`)).slice(-1);
    expect(reopened).toMatchObject({ type: 'RegistrationReopenedByAppeal', data: { appealId } });
    expect(reopened.metadata.correlationId).toBe(decision.metadata.correlationId);
    // One transaction: both rows carry the same inserting transaction id.
    const [{ transactions }] = await app
      .get(DataSource)
      .query('select count(distinct xmin::text)::int as transactions from es_events where event_id = any($1::uuid[])', [
        [reopened.eventId, decision.eventId],
      ]);
    expect(transactions).toBe(1);
    const photo = await http()
      .post('/api/v1/documents')
      .set(as('pendamping'))
      .set('Content-Type', 'image/jpeg')
      .send(files.jpeg(808))
      .expect(201);
    await http()
      .post(`/api/v1/registrations/${caseId}/field-verification`)
      .set(as('pendamping'))
      .send({
        visitedOn: new Date().toISOString().slice(0, 10),
        indicators: POOR,
        evidence: [{ kind: 'document', sha256: photo.body.sha256 }],
      })
      .expect(200);
    const reassessed = await http()
      .post(`/api/v1/registrations/${caseId}/eligibility-assessment`)
      .set(as('dinsos'))
      .send({})
      .expect(200);
    expect(reassessed.body.status).toBe('MENUNGGU_MUSDES');
  });

  it('a second appeal on a case that is no longer Tidak Layak is refused', async () => {
    const res = await http()
      .post('/api/v1/appeals')
      .set(as('operator.desa'))
      .send({ type: 'TIDAK_LAYAK', registrationCaseId: caseId, reason: 'x' })
      .expect(409);
    expect(res.body.code).toBe('NOT_APPEALABLE');
  });
});
