import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { startTestApp } from '../support/app';
import { budiHousehold, files, readEverything, signIn } from '../support/api';
import { establishOverHttp } from '../support/flows';

describe('cross-agency signals over HTTP: a file opens review cases, a person decides', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  let householdId: string;
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });
  const FILE = [
    'nik,sinyal,nilai,tanggal',
    '3204102009150003,KEMATIAN,2026-11-02,2026-11-03',
    '3204101203850001,KENDARAAN,D 1234 AB,2026-10-01',
    '3204101501800006,KEMATIAN,2026-11-02,2026-11-03',
  ].join('\n');
  const importFile = (csv: string) =>
    http().post('/api/v1/signals/imports').set(as('admin')).set('Content-Type', 'text/csv').send(csv);

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    t = await signIn(app);
    householdId = (await establishOverHttp(app, t, budiHousehold('KANTOR_DESA'), 3)).householdId;
  });
  afterAll(() => ctx.close());

  it('opens one review per matched signal, carrying the import as batch id; an unregistered NIK is counted, not opened', async () => {
    const res = await importFile(FILE).expect(201);
    expect(res.body).toMatchObject({ imported: true, rows: 3, reviewsOpened: 2, alreadyOpen: 0, unmatched: 1 });
    const store = app.get<EventStore>(EVENT_STORE);
    const reviews = await readEverything(store, { eventTypes: ['StatusChangeRequested'] }, 2);
    expect(reviews.map((e) => (e.data as { details: { kind: string } }).details.kind).sort()).toEqual([
      'MENINGGAL',
      'SUDAH_MAMPU',
    ]);
    for (const e of reviews) {
      expect(e.metadata.batchId).toBe(res.body.importId);
      expect((e.data as { source: { type: string } }).source.type).toBe('SINYAL');
    }
  });

  it('a signal changes nothing on its own: the household and its members are as they were', async () => {
    const household = (await http().get(`/api/v1/households/${householdId}`).set(as('dinsos')).expect(200)).body;
    expect(household.active).toBe(true);
    expect(household.members.some((m: { deceased?: boolean }) => m.deceased)).toBe(false);
  });

  it('importing the same file again opens nothing twice', async () => {
    const again = await importFile(FILE).expect(201);
    expect(again.body).toMatchObject({ reviewsOpened: 0, alreadyOpen: 2, unmatched: 1 });
  });

  it('the caseworker decides the death review: then, and only then, the member is recorded as deceased', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const death = (await readEverything(store, { eventTypes: ['StatusChangeRequested'] }, 2)).find(
      (e) => (e.data as { details: { kind: string } }).details.kind === 'MENINGGAL',
    )!;
    const caseId = (death.data as { caseId: string }).caseId;
    const certificate = await http()
      .post('/api/v1/documents')
      .set(as('dinsos'))
      .set('Content-Type', 'application/pdf')
      .send(files.pdf(31))
      .expect(201);
    await http()
      .post(`/api/v1/status-changes/${caseId}/decision`)
      .set(as('dinsos'))
      .send({ approve: true, reason: 'Dicek ke keluarga', evidence: [{ kind: 'document', sha256: certificate.body.sha256 }] })
      .expect(200);
    const household = (await http().get(`/api/v1/households/${householdId}`).set(as('dinsos')).expect(200)).body;
    expect(household.members[2].deceased).toBe(true);
  });

  it('reverting the import as a batch: the open review is withdrawn, the decided death retracted by compensating events', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const reviews = await readEverything(store, { eventTypes: ['StatusChangeRequested'] }, 2);
    const importId = reviews[0].metadata.batchId as string;
    const caseOf = (kind: string) =>
      (reviews.find((e) => (e.data as { details: { kind: string } }).details.kind === kind)!.data as { caseId: string }).caseId;
    const traced = await http().get(`/api/v1/batches/${importId}`).set(as('admin')).expect(200);
    expect(traced.body.targets).toHaveLength(2);
    await http().post(`/api/v1/batches/${importId}/reversal`).set(as('dinsos')).send({ reason: 'Berkas keliru' }).expect(403);
    const res = await http()
      .post(`/api/v1/batches/${importId}/reversal`)
      .set(as('admin'))
      .send({ reason: 'Berkas sinyal keliru (salah periode)' })
      .expect(200);
    expect(res.body.kinds).toEqual(['SIGNAL_IMPORT']);
    expect(res.body.notReverted).toEqual([]);
    expect(
      Object.fromEntries(res.body.reverted.map((r: { streamId: string; status: string }) => [r.streamId, r.status])),
    ).toEqual({
      [`statuschange-${caseOf('SUDAH_MAMPU')}`]: 'DITARIK',
      [`statuschange-${caseOf('MENINGGAL')}`]: 'DIBATALKAN',
    });
    const [, withdrawn] = await store.readStream(`statuschange-${caseOf('SUDAH_MAMPU')}`);
    expect(withdrawn).toMatchObject({
      type: 'StatusChangeWithdrawn',
      data: { revertedBatchId: importId },
      metadata: { batchId: res.body.revertId, reason: 'Berkas sinyal keliru (salah periode)' },
    });
    const retracted = (await store.readStream(`household-${householdId}`)).at(-1)!;
    expect(retracted).toMatchObject({
      type: 'MemberDeathRetracted',
      data: { memberIndex: 2, changeCaseId: caseOf('MENINGGAL'), revertedBatchId: importId },
      metadata: { batchId: res.body.revertId },
    });
    const household = (await http().get(`/api/v1/households/${householdId}`).set(as('dinsos')).expect(200)).body;
    expect(household.members[2].deceased).toBe(false);
    const again = await http()
      .post(`/api/v1/batches/${importId}/reversal`)
      .set(as('admin'))
      .send({ reason: 'Sekali lagi' })
      .expect(200);
    expect(again.body.reverted).toEqual([]);
    expect(again.body.notReverted.map((r: { code: string }) => r.code)).toEqual([
      'TRANSITION_NOT_ALLOWED',
      'TRANSITION_NOT_ALLOWED',
    ]);
    await http()
      .post(`/api/v1/batches/${importId.replace(/.$/, '0')}/reversal`)
      .set(as('admin'))
      .send({ reason: 'Tidak ada' })
      .expect(404);
  });

  it('a bad file imports nothing and names the line and column', async () => {
    const res = await importFile('nik,sinyal,nilai,tanggal\n3204102009150003,HILANG,x,2026-11-03').expect(422);
    expect(res.body).toMatchObject({ code: 'SIGNALS_INVALID', details: [{ line: 2, column: 'sinyal', code: 'SIGNAL_UNKNOWN' }] });
    const denied = await http()
      .post('/api/v1/signals/imports')
      .set(as('dinsos'))
      .set('Content-Type', 'text/csv')
      .send(FILE)
      .expect(403);
    expect(denied.body.code).toBe('ROLE_NOT_ALLOWED');
  });
});
