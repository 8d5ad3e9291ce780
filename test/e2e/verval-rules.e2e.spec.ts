import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { startTestApp } from '../support/app';
import { budiHousehold, eventually, files, signIn } from '../support/api';
import { POOR, WELL_OFF } from '../registration/fixtures';

/** A one-person household whose head is in the extract this test imports (32.04.10, born 1980-01-dd). */
function single(day: number): { nik: string; kk: string; csv: string; body: object } {
  const dd = String(day).padStart(2, '0');
  const nik = `320410${dd}0180${String(100 + day).padStart(4, '0')}`;
  const kk = `3204100101200${String(100 + day).slice(-3)}`;
  const name = `WARGA NOMOR ${day}`;
  const body = budiHousehold('KANTOR_DESA', {
    kkNumber: kk,
    members: [{ nik, fullName: name, birthDate: `1980-01-${dd}`, sex: 'L', relation: 'KEPALA_KELUARGA', maritalStatus: 'KAWIN' }],
  });
  return { nik, kk, csv: `${nik},${kk},${name},1980-01-${dd},L,32.04.10.2001`, body };
}

describe('verval rules over HTTP: duplicates under concurrency, four-eyes, batches, corrections', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  const http = () => request(app.getHttpServer());
  const as = (user: string) => ({ Authorization: `Bearer ${t[user]}` });
  const create = async (body: object) =>
    (await http().post('/api/v1/registrations').set(as('operator.desa')).send(body).expect(201)).body.caseId as string;
  const submit = (id: string) => http().post(`/api/v1/registrations/${id}/submit`).set(as('operator.desa')).send({});
  const households = Array.from({ length: 12 }, (_, i) => single(i + 1));

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    t = await signIn(app);
    const csv = ['nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa', ...households.map((h) => h.csv)].join('\n');
    await http().post('/api/v1/dukcapil/imports').set(as('admin')).set('Content-Type', 'text/csv').send(csv).expect(201);
  });
  afterAll(() => ctx.close());

  it('two registrations of one household submitted at the same moment: exactly one passes, the other is ganda', async () => {
    for (const h of households.slice(0, 5)) {
      const ids = [await create(h.body), await create(h.body), await create(h.body)];
      const results = await Promise.all(ids.map((id) => submit(id).expect(200)));
      const statuses = results.map((r) => r.body.status).sort();
      expect(statuses).toEqual(['PEMERIKSAAN_DOKUMEN', 'PERLU_PERBAIKAN', 'PERLU_PERBAIKAN']);
    }
  });

  it('a withdrawn registration gives its NIKs back', async () => {
    const h = households[5];
    const first = await create(h.body);
    expect((await submit(first).expect(200)).body.status).toBe('PEMERIKSAAN_DOKUMEN');
    const second = await create(h.body);
    expect((await submit(second).expect(200)).body.status).toBe('PERLU_PERBAIKAN');
    // Withdrawal is allowed only before the document check; send the first back through an incomplete check.
    await http()
      .post(`/api/v1/registrations/${first}/document-check`)
      .set(as('operator.desa'))
      .send({ complete: false, reason: 'KK buram' })
      .expect(200);
    await http()
      .post(`/api/v1/registrations/${first}/withdrawal`)
      .set(as('operator.desa'))
      .send({ reason: 'Didaftarkan ulang' })
      .expect(200);
    expect((await submit(second).expect(200)).body.status).toBe('PEMERIKSAAN_DOKUMEN');
  });

  it('a correction after Perlu Perbaikan goes through on resubmission, keeping the registration number', async () => {
    const h = households[6] as { body: { application: { members: Array<{ fullName: string }> } } } & ReturnType<typeof single>;
    const wrongName = JSON.parse(JSON.stringify(h.body));
    wrongName.application.members[0].fullName = 'NAMA KELIRU';
    const id = await create(wrongName);
    const failed = await submit(id).expect(200);
    expect(failed.body.status).toBe('PERLU_PERBAIKAN');
    await http().put(`/api/v1/registrations/${id}/draft`).set(as('operator.desa')).send(h.body).expect(200);
    const passed = await submit(id).expect(200);
    expect(passed.body).toMatchObject({ status: 'PEMERIKSAAN_DOKUMEN', registrationNumber: failed.body.registrationNumber });
  });

  async function toAnalysis(h: ReturnType<typeof single>, indicators = POOR): Promise<string> {
    const id = await create(h.body);
    const uploads: Array<[string, string, Buffer]> = [
      ['KTP&memberIndex=0', 'image/jpeg', files.jpeg(100 + Number(h.nik.slice(6, 8)))],
      ['KK', 'application/pdf', files.pdf(100)],
      ['BUKTI_PENGHASILAN', 'image/png', files.png(100)],
      ['FOTO_RUMAH', 'image/jpeg', files.jpeg(101)],
      ['FOTO_RUMAH', 'image/jpeg', files.jpeg(102)],
    ];
    for (const [kind, type, body] of uploads)
      await http()
        .post(`/api/v1/registrations/${id}/documents?kind=${kind}`)
        .set(as('operator.desa'))
        .set('Content-Type', type)
        .send(body)
        .expect(200);
    await submit(id).expect(200);
    await http().post(`/api/v1/registrations/${id}/document-check`).set(as('operator.desa')).send({ complete: true }).expect(200);
    await http()
      .post(`/api/v1/registrations/${id}/validation`)
      .set(as('operator.desa'))
      .send({ valid: true, fieldVisitRequired: true })
      .expect(200);
    const photo = await http()
      .post('/api/v1/documents')
      .set(as('pendamping'))
      .set('Content-Type', 'image/jpeg')
      .send(files.jpeg(500))
      .expect(201);
    await http()
      .post(`/api/v1/registrations/${id}/field-verification`)
      .set(as('pendamping'))
      .send({ visitedOn: '2026-01-05', indicators, evidence: [{ kind: 'document', sha256: photo.body.sha256 }] })
      .expect(200);
    return id;
  }

  it('four-eyes: an override of the computed result is decided by a second person, and recorded at establishment', async () => {
    const id = await toAnalysis(households[7], WELL_OFF);
    expect(
      (await http().post(`/api/v1/registrations/${id}/eligibility-assessment`).set(as('dinsos')).send({}).expect(200)).body
        .status,
    ).toBe('TIDAK_LAYAK');
    const letter = await http()
      .post('/api/v1/documents')
      .set(as('dinsos'))
      .set('Content-Type', 'application/pdf')
      .send(files.pdf(77))
      .expect(201);
    const evidence = [{ kind: 'document', sha256: letter.body.sha256 }];
    await http()
      .post(`/api/v1/registrations/${id}/eligibility-override`)
      .set(as('dinsos'))
      .send({ outcome: 'layak', reason: 'Usaha bangkrut, aset disita bank', evidence })
      .expect(200);
    const self = await http()
      .post(`/api/v1/registrations/${id}/eligibility-override/decision`)
      .set(as('dinsos'))
      .send({ approve: true, reason: 'setuju' })
      .expect(422);
    expect(self.body.code).toBe('FOUR_EYES');
    const second = await http()
      .post(`/api/v1/registrations/${id}/eligibility-override/decision`)
      .set(as('dinsos.dua'))
      .send({ approve: true, reason: 'Bukti sita bank sah' })
      .expect(200);
    expect(second.body.status).toBe('MENUNGGU_MUSDES');
    await http()
      .post(`/api/v1/registrations/${id}/musdes-decision`)
      .set(as('operator.desa'))
      .send({ approve: true, evidence })
      .expect(200);
    await http().post(`/api/v1/registrations/${id}/regency-decision`).set(as('dinsos')).send({ approve: true }).expect(200);
    await http()
      .post(`/api/v1/registrations/${id}/province-decision`)
      .set(as('verifikator.provinsi'))
      .send({ approve: true })
      .expect(200);
    await http().post(`/api/v1/registrations/${id}/establishment`).set(as('kemensos')).send({ approve: true }).expect(200);
    const events = await app.get<EventStore>(EVENT_STORE).readStream(`registration-${id}`);
    const established = events.find((e) => e.type === 'RegistrationEstablished')!.data as {
      override: { proposedBy: string; approvedBy: string };
    };
    expect(established.override.proposedBy).not.toBe(established.override.approvedBy);
  });

  it('a batch is all or nothing: one case not waiting refuses the whole batch and names it', async () => {
    const ready = await toAnalysis(households[8]);
    const notReady = await toAnalysis(households[9]);
    await http().post(`/api/v1/registrations/${ready}/eligibility-assessment`).set(as('dinsos')).send({}).expect(200);
    const minutes = await http()
      .post('/api/v1/documents')
      .set(as('operator.desa'))
      .set('Content-Type', 'application/pdf')
      .send(files.pdf(88))
      .expect(201);
    const body = {
      action: 'decideMusdes',
      approve: true,
      caseIds: [ready, notReady],
      evidence: [{ kind: 'document', sha256: minutes.body.sha256 }],
    };
    const refused = await http().post('/api/v1/verval/batches').set(as('operator.desa')).send(body).expect(409);
    expect(refused.body).toMatchObject({
      code: 'BATCH_REFUSED',
      details: [{ caseId: notReady, code: 'TRANSITION_NOT_ALLOWED' }],
    });
    const readyView = await http().get(`/api/v1/registrations/${ready}`).set(as('operator.desa')).expect(200);
    expect(readyView.body.status).toBe('MENUNGGU_MUSDES');
    await http().post(`/api/v1/registrations/${notReady}/eligibility-assessment`).set(as('dinsos')).send({}).expect(200);
    const done = await http().post('/api/v1/verval/batches').set(as('operator.desa')).send(body).expect(200);
    expect(done.body.cases.map((c: { status: string }) => c.status)).toEqual(['MENUNGGU_KABUPATEN', 'MENUNGGU_KABUPATEN']);
    const store = app.get<EventStore>(EVENT_STORE);
    for (const id of [ready, notReady]) {
      const last = (await store.readStream(`registration-${id}`)).at(-1)!;
      expect(last).toMatchObject({
        type: 'ApprovalDecided',
        data: { level: 'musdes', approved: true, batchId: done.body.batchId },
        metadata: { batchId: done.body.batchId },
      });
    }
  });

  it('a batch can select every waiting case of a region (from the case directory), previewed first', async () => {
    const preview = await eventually(async () => {
      const res = await http()
        .post('/api/v1/verval/batches')
        .set(as('dinsos'))
        .send({ action: 'decideRegency', approve: true, regionCode: '32.04.10', dryRun: true })
        .expect(200);
      expect(res.body.count).toBe(2);
      return res.body;
    });
    expect(preview.cases.map((c: { status: string }) => c.status)).toEqual(['MENUNGGU_PROVINSI', 'MENUNGGU_PROVINSI']);
    const outside = await http()
      .post('/api/v1/verval/batches')
      .set(as('dinsos'))
      .send({ action: 'decideRegency', approve: true, regionCode: '32.73', dryRun: true })
      .expect(403);
    expect(outside.body.code).toBe('OUTSIDE_REGION');
  });

  it('a wrongful batch approval is reverted by compensation; a case that moved on since is listed, not touched', async () => {
    const done = await http()
      .post('/api/v1/verval/batches')
      .set(as('dinsos'))
      .send({ action: 'decideRegency', approve: true, regionCode: '32.04.10' })
      .expect(200);
    const [movedOn, stillThere] = done.body.cases.map((c: { caseId: string }) => c.caseId);
    await http()
      .post(`/api/v1/registrations/${movedOn}/province-decision`)
      .set(as('verifikator.provinsi'))
      .send({ approve: true })
      .expect(200);
    const res = await http()
      .post(`/api/v1/batches/${done.body.batchId}/reversal`)
      .set(as('kemensos'))
      .send({ reason: 'Daftar kabupaten salah periode' })
      .expect(200);
    expect(res.body).toMatchObject({
      kinds: ['VERVAL_APPROVAL'],
      reverted: [{ streamId: `registration-${stillThere}`, status: 'MENUNGGU_KABUPATEN' }],
      notReverted: [{ streamId: `registration-${movedOn}`, code: 'BATCH_SUPERSEDED' }],
    });
    const last = (await app.get<EventStore>(EVENT_STORE).readStream(`registration-${stillThere}`)).at(-1)!;
    expect(last).toMatchObject({
      type: 'BatchDecisionReverted',
      data: { level: 'kabupaten', revertedBatchId: done.body.batchId },
      metadata: { batchId: res.body.revertId, reason: 'Daftar kabupaten salah periode' },
    });
    const view = await http().get(`/api/v1/registrations/${stillThere}`).set(as('dinsos')).expect(200);
    expect(view.body.status).toBe('MENUNGGU_KABUPATEN');
  });
});
