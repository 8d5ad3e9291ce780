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
    t = await signIn(app, ['operator.desa', 'dinsos']);
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
