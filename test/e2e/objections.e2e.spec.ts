import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { startTestApp } from '../support/app';
import { budiHousehold, files, readEverything, signIn } from '../support/api';
import { establishOverHttp } from '../support/flows';

describe('objections (sanggah) over HTTP: a neighbour objects, the regency reviews, the recipient is re-verified', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let householdId: string;
  let objectionId: string;
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });
  const objection = (objector: object) => ({
    householdId,
    objector,
    reason: 'Keluarga ini memiliki mobil dan toko besar',
    photo: { mediaType: 'image/jpeg', base64: files.jpeg(77).toString('base64') },
    gps: { lat: -6.95, lon: 107.55 },
  });
  const HENDRA = { nik: '3204101501800006', fullName: 'Hendra Gunawan', phone: '+628111111111' };

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    t = await signIn(app);
    householdId = (await establishOverHttp(app, t, budiHousehold('KANTOR_DESA'), 5)).householdId;
    const elsewhere =
      'nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa\n3273011501800007,3273010101200001,WARGA KOTA,1980-01-15,L,32.73.01.1001';
    await http().post('/api/v1/dukcapil/imports').set(as('admin')).set('Content-Type', 'text/csv').send(elsewhere).expect(201);
  });
  afterAll(() => ctx.close());

  it('a resident of the same village files it, without signing in; the regency has 14 days', async () => {
    const res = await http().post('/api/v1/objections').send(objection(HENDRA)).expect(201);
    objectionId = res.body.appealId;
    expect(res.body).toMatchObject({
      status: 'DIAJUKAN',
      dueOn: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10),
    });
  });

  it('refuses someone not in the population registry, and a resident of another village', async () => {
    const unknown = await http()
      .post('/api/v1/objections')
      .send(objection({ nik: '3204101501800099', fullName: 'Tidak Ada' }))
      .expect(422);
    expect(unknown.body.code).toBe('OBJECTOR_UNKNOWN');
    const outside = await http()
      .post('/api/v1/objections')
      .send(objection({ nik: '3273011501800007', fullName: 'Warga Kota' }))
      .expect(403);
    expect(outside.body.code).toBe('OUTSIDE_REGION');
    const badGps = await http()
      .post('/api/v1/objections')
      .send({ ...objection(HENDRA), gps: { lat: 51.5, lon: -0.1 } })
      .expect(400);
    expect(badGps.body.code).toBe('VALIDATION_FAILED');
  });

  it('the objector is stored encrypted and shown to no one but the deciding caseworker', async () => {
    const [filed] = await app.get<EventStore>(EVENT_STORE).readStream(`sanggah-${objectionId}`);
    const raw = await ctx.app.get(DataSource).query('select data::text from es_events where event_id = $1', [filed.eventId]);
    expect(raw[0].data).not.toContain(HENDRA.nik);
    expect(raw[0].data).not.toContain('Hendra');
    expect(JSON.stringify(filed.metadata)).not.toContain(HENDRA.nik);
    expect((await http().get(`/api/v1/objections/${objectionId}`).set(as('dinsos')).expect(200)).body.objector).toBeNull();
    await http().post(`/api/v1/objections/${objectionId}/assignment`).set(as('dinsos')).send({}).expect(200);
    expect((await http().get(`/api/v1/objections/${objectionId}`).set(as('dinsos')).expect(200)).body.objector).toEqual(HENDRA);
    expect((await http().get(`/api/v1/objections/${objectionId}`).set(as('dinsos.dua')).expect(200)).body.objector).toBeNull();
    expect((await http().get(`/api/v1/objections/${objectionId}`).set(as('auditor')).expect(200)).body.objector).toBeNull();
  });

  it("the caseworker's one read of the objector's identity is in the access log, and only that read", async () => {
    const log = (await http().get(`/api/v1/audit/access-log?subjectId=${objectionId}`).set(as('auditor')).expect(200)).body;
    expect(log.items).toEqual([expect.objectContaining({ role: 'dinsos', subjectType: 'sanggah', what: 'objector' })]);
  });

  it('upheld, it opens a re-verification of the recipient, never an exit', async () => {
    await http()
      .post(`/api/v1/objections/${objectionId}/decision`)
      .set(as('dinsos'))
      .send({ uphold: true, reason: 'Foto menunjukkan mobil di rumah' })
      .expect(200);
    const household = (await http().get(`/api/v1/households/${householdId}`).set(as('dinsos')).expect(200)).body;
    expect(household.active).toBe(true);
    const [review] = await readEverything(app.get<EventStore>(EVENT_STORE), { eventTypes: ['StatusChangeRequested'] }, 1);
    expect(review.data).toMatchObject({
      householdId,
      details: { kind: 'VERIFIKASI_ULANG', trigger: 'SANGGAH' },
      source: { type: 'SANGGAH', objectionId },
    });
  });
});
