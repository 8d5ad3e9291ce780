import { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { budiHousehold, signIn } from '../support/api';
import { startTestApp } from '../support/app';
import { DataSource } from 'typeorm';
import { EVENT_STORE, EventStore } from '../../src/event-store/port';
import { ProjectionRunner } from '../../src/projection-runner/projection-runner';

/** Supertest keeps binary bodies as Buffers when asked to. */
const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('exports: the work queue and the registry extract as CSV and XLSX, streamed, within the reader’s region', () => {
  let app: INestApplication;
  let close: () => Promise<void>;
  let t: Record<string, string>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ app, close } = await startTestApp({ DEMO_HOUSEHOLDS: '60' })); // established households to extract
    t = await signIn(app, ['operator.desa', 'dinsos', 'auditor']);
    for (let i = 0; i < 3; i++)
      await http()
        .post('/api/v1/registrations')
        .set('Authorization', `Bearer ${t['operator.desa']}`)
        .send(budiHousehold('KANTOR_DESA'))
        .expect(201);
  });
  afterAll(() => close());

  /** The read models have taken in everything written so far. */
  const settled = async () =>
    app.get(ProjectionRunner).waitFor(await app.get<EventStore>(EVENT_STORE).headPosition(), { timeoutMs: 30_000 });

  const queueTotal = async (): Promise<number> => {
    for (let i = 0; i < 50; i++) {
      const res = await http().get('/api/v1/work-queue').set('Authorization', `Bearer ${t['operator.desa']}`).expect(200);
      if (res.body.total >= 3) return res.body.total;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the queue did not fill');
  };

  it('CSV: a header and one line per queued case, as the queue lists them', async () => {
    const total = await queueTotal();
    const res = await http()
      .get('/api/v1/work-queue/export?format=csv')
      .set('Authorization', `Bearer ${t['operator.desa']}`)
      .expect(200)
      .expect('Content-Type', /text\/csv/)
      .expect('Content-Disposition', /attachment; filename="antrean-32\.04\.10\.2001-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows: string[][] = parse(res.text, { bom: true });
    expect(rows[0]).toEqual(expect.arrayContaining(['jenis_kasus', 'id_kasus', 'tahap', 'tenggat_sla', 'terlambat']));
    expect(rows.length - 1).toBe(total);
    expect(rows.slice(1).every((r) => r[3].startsWith('32.04.10.2001'))).toBe(true);
  });

  it('XLSX: the same rows in a worksheet', async () => {
    const total = await queueTotal();
    const res = await http()
      .get('/api/v1/work-queue/export?format=xlsx&caseType=registration')
      .set('Authorization', `Bearer ${t['operator.desa']}`)
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Type', /spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('jenis_kasus');
    expect(sheet.actualRowCount - 1).toBe(total);
    expect(sheet.getRow(2).getCell(1).value).toBe('registration');
  });

  it('the registry extract of a region: every household there, no personal data', async () => {
    await settled();
    const expected = (
      await app.get(DataSource).query(`select household_id from households where village_code like '32.04.%' order by 1`)
    ).map((r: { household_id: string }) => r.household_id);
    expect(expected.length).toBeGreaterThan(5);
    const res = await http()
      .get('/api/v1/households/export?regionCode=32.04')
      .set('Authorization', `Bearer ${t.dinsos}`)
      .expect(200)
      .expect('Content-Disposition', /registri-32\.04-/);
    const rows: string[][] = parse(res.text, { bom: true });
    expect(rows[0]).toEqual([
      'id_rumah_tangga',
      'kode_desa',
      'aktif',
      'desil',
      'ditetapkan',
      'terakhir_diverifikasi',
      'kasus_verifikasi_ulang',
    ]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(expected);
    await http().get('/api/v1/households/export?regionCode=33').set('Authorization', `Bearer ${t.dinsos}`).expect(403);
  });

  it('the audit trail of a region: every event of its households and of its cases without one, each with who and why; the export is in the access log', async () => {
    await settled();
    const ds = app.get(DataSource);
    const [household] = await ds.query(`select household_id from households where village_code like '32.04.%' limit 1`);
    const res = await http()
      .get('/api/v1/audit/export?regionCode=32.04&lang=en')
      .set('Authorization', `Bearer ${t.auditor}`)
      .set('X-Purpose', 'Pemeriksaan tahunan')
      .expect(200)
      .expect('Content-Disposition', /jejak-audit-32\.04-awal-kini\.csv/);
    const rows: string[][] = parse(res.text, { bom: true });
    const header = rows[0];
    const col = (name: string) => header.indexOf(name);
    expect(header.slice(0, 5)).toEqual(['subjek', 'id_subjek', 'kode_desa', 'recordedAt', 'effectiveOn']);
    // One household's rows are its whole trail page, in the same order.
    const trail = await http()
      .get(`/api/v1/audit/households/${household.household_id}/timeline`)
      .set('Authorization', `Bearer ${t.auditor}`)
      .expect(200);
    const mine = rows.filter((r) => r[col('id_subjek')] === household.household_id);
    expect(mine.map((r) => r[col('position')])).toEqual(trail.body.entries.map((e: { position: string }) => e.position));
    expect(mine.every((r) => r[col('subjek')] === 'household' && r[col('kode_desa')].startsWith('32.04.'))).toBe(true);
    // The three drafts registered above established no household: each is there as a registration case.
    const open = new Set(rows.filter((r) => r[col('subjek')] === 'registration').map((r) => r[col('id_subjek')]));
    expect(open.size).toBeGreaterThanOrEqual(3);
    expect(rows.some((r) => r[col('type')] === 'RegistrationDraftSaved' && r[col('userId')])).toBe(true);
    // No personal data: no NIK-like number anywhere in the file.
    expect(res.text).not.toMatch(/\b\d{16}\b/);
    const log = await http()
      .get('/api/v1/audit/access-log?subjectId=32.04')
      .set('Authorization', `Bearer ${t.auditor}`)
      .expect(200);
    expect(log.body.items[0]).toMatchObject({ subjectType: 'region', what: 'audit export ..', purpose: 'Pemeriksaan tahunan' });
  });

  it('the audit trail of a region by period, as XLSX; refused outside the reader’s region and for a reversed period', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await http()
      .get(`/api/v1/audit/export?format=xlsx&from=${today}&to=${today}`)
      .set('Authorization', `Bearer ${t.dinsos}`)
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('Content-Disposition', new RegExp(`jejak-audit-32\\.04-${today}-${today}\\.xlsx`));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.worksheets[0];
    expect(sheet.actualRowCount).toBeGreaterThan(10);
    const future = '2999-01-01';
    const none = await http().get(`/api/v1/audit/export?from=${future}`).set('Authorization', `Bearer ${t.dinsos}`).expect(200);
    expect(parse(none.text, { bom: true })).toHaveLength(1); // the header only
    await http().get('/api/v1/audit/export?regionCode=33').set('Authorization', `Bearer ${t.dinsos}`).expect(403);
    await http().get('/api/v1/audit/export').set('Authorization', `Bearer ${t['operator.desa']}`).expect(403);
    const reversed = await http()
      .get('/api/v1/audit/export?from=2026-02-01&to=2026-01-01')
      .set('Authorization', `Bearer ${t.dinsos}`)
      .expect(400);
    expect(reversed.body.code).toBe('PERIOD_REVERSED');
    await http().get('/api/v1/audit/export?from=2026-02-30').set('Authorization', `Bearer ${t.dinsos}`).expect(400);
  });

  it('refuses an unknown format, a village outside the region and a missing sign-in, in words', async () => {
    const bad = await http()
      .get('/api/v1/work-queue/export?format=pdf')
      .set('Authorization', `Bearer ${t['operator.desa']}`)
      .expect(400);
    expect(bad.body.message).toEqual(expect.any(String));
    await http()
      .get('/api/v1/work-queue/export?villageCode=33.01.01.2001')
      .set('Authorization', `Bearer ${t['operator.desa']}`)
      .expect(403);
    await http().get('/api/v1/work-queue/export').expect(401);
  });
});
