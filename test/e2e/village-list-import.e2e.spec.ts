import { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { signIn } from '../support/api';
import { startTestApp } from '../support/app';

const HEADER = 'no_kk,alamat,nik,nama_lengkap,tanggal_lahir,jenis_kelamin,hubungan,status_kawin';
const BUDI = [
  '3204100101200001,"Jl. Contoh No. 1, RT 01/RW 02",3204101203850001,Budi Santoso,1985-03-12,L,KEPALA_KELUARGA,KAWIN',
  '3204100101200001,"Jl. Contoh No. 1, RT 01/RW 02",3204104507880002,Siti Aminah,1988-07-05,P,ISTRI,KAWIN',
];
const SRI = [
  ['3204101506180002', 'Jl. Melati 4', '3204104211700004', 'Sri Wahyuni', '1970-11-02', 'P', 'KEPALA_KELUARGA', 'CERAI_MATI'],
  ['3204101506180002', 'Jl. Melati 4', '3204103004120005', 'Andi Saputra', '2012-04-30', 'L', 'ANAK', 'BELUM_KAWIN'],
];
/** The NIK says born 12 March 1985; the row says the 13th. */
const WRONG_BIRTH_DATE = '3204100202200001,Jl. Mawar 9,3204101203850009,Joko Susilo,1985-03-13,L,KEPALA_KELUARGA,KAWIN';

describe('village list import (CSV and XLSX): each household all or nothing, the rest goes in', () => {
  let app: INestApplication;
  let close: () => Promise<void>;
  let t: Record<string, string>;
  const http = () => request(app.getHttpServer());
  const drafts = async (): Promise<number> =>
    (
      await app
        .get(DataSource)
        .query(`select count(distinct stream_id)::int as n from es_events where stream_id like 'registration-%'`)
    )[0].n;

  beforeAll(async () => {
    ({ app, close } = await startTestApp());
    t = await signIn(app, ['operator.desa']);
  });
  afterAll(() => close());

  const importList = (body: string | Buffer, type: string, query = '') =>
    http()
      .post(`/api/v1/registrations/import?villageCode=32.04.10.2001${query}`)
      .set('Authorization', `Bearer ${t['operator.desa']}`)
      .set('Content-Type', type)
      .send(body);

  it('registers the good households as drafts and names the bad row by line and column, never by value', async () => {
    const csv = [HEADER, ...BUDI, WRONG_BIRTH_DATE, ...SRI.map((r) => r.join(','))].join('\n');
    const res = await importList(csv, 'text/csv').expect(200);
    expect(res.body).toMatchObject({
      imported: 2,
      rejectedHouseholds: 1,
      problems: [{ line: 4, column: 'tanggal_lahir', code: 'BIRTH_DATE' }],
    });
    expect(JSON.stringify(res.body)).not.toContain('Joko');
    expect(await drafts()).toBe(2);
    const draft = await http()
      .get(`/api/v1/registrations/${res.body.caseIds[0]}`)
      .set('Authorization', `Bearer ${t['operator.desa']}`)
      .expect(200);
    expect(draft.body).toMatchObject({ status: 'DRAFT', channel: 'KANTOR_DESA' });
    expect(draft.body.application.members.map((m: { fullName: string }) => m.fullName)).toEqual(['Budi Santoso', 'Siti Aminah']);
  });

  it('gives the error report as a CSV file to download', async () => {
    const csv = [HEADER, WRONG_BIRTH_DATE, `${BUDI[1].replace('ISTRI', 'TETANGGA')}`].join('\n');
    const res = await importList(csv, 'text/csv', '&report=csv')
      .expect(200)
      .expect('Content-Disposition', /laporan-impor-32\.04\.10\.2001/);
    const rows: string[][] = parse(res.text, { bom: true });
    expect(rows).toEqual([
      ['baris', 'kolom', 'kode'],
      ['2', 'tanggal_lahir', 'BIRTH_DATE'],
      ['3', 'hubungan', 'RELATION'],
      ['3', 'hubungan', 'HEAD_MISSING'],
    ]);
  });

  it('reads the first sheet of an XLSX the same way', async () => {
    const before = await drafts();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('daftar');
    sheet.addRow(HEADER.split(','));
    for (const row of SRI) sheet.addRow(row);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await importList(xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').expect(200);
    expect(res.body).toMatchObject({ imported: 1, rejectedHouseholds: 0, problems: [] });
    expect(await drafts()).toBe(before + 1);
  });

  it('refuses a village outside the operator’s, a body that is no table, and broken CSV, writing nothing', async () => {
    const before = await drafts();
    await http()
      .post('/api/v1/registrations/import?villageCode=32.04.10.2002')
      .set('Authorization', `Bearer ${t['operator.desa']}`)
      .set('Content-Type', 'text/csv')
      .send([HEADER, ...BUDI].join('\n'))
      .expect(403);
    await importList('{"a":1}', 'application/json').expect(415);
    const broken = await importList(`${HEADER}\n"unclosed,quote`, 'text/csv').expect(200);
    expect(broken.body.problems).toEqual([expect.objectContaining({ column: '*', code: 'CSV_SYNTAX' })]);
    expect(await drafts()).toBe(before);
  });
});
