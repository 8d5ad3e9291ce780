import { INestApplication } from '@nestjs/common';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { signIn } from '../support/api';
import { startTestApp } from '../support/app';

describe('Dukcapil extract import: CSV or XLSX, all or nothing or partial, with a report to download', () => {
  let ctx: Awaited<ReturnType<typeof startTestApp>>;
  let app: INestApplication;
  let t: Record<string, string>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ctx = await startTestApp();
    app = ctx.app;
    t = await signIn(app, ['admin']);
  });
  afterAll(() => ctx.close());

  it('a Dukcapil extract as XLSX goes in the same way; the problems can be downloaded as a CSV report', async () => {
    const admin = { Authorization: `Bearer ${t.admin}` };
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('ekstrak');
    sheet.addRow(['nik', 'no_kk', 'nama_lengkap', 'tanggal_lahir', 'jenis_kelamin', 'kode_desa']);
    sheet.addRow(['3204101601800098', '3204100203190003', 'ORANG XLSX', '1980-01-16', 'L', '32.04.10.2001']);
    sheet.addRow(['3204101601800097', '3204100203190003', 'ORANG XLSX DUA', '1980-01-16', 'X', '32.04.10.2001']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const refused = await http()
      .post('/api/v1/dukcapil/imports?report=csv')
      .set(admin)
      .set('Content-Type', type)
      .send(xlsx)
      .expect(422)
      .expect('Content-Disposition', /laporan-impor-dukcapil-\d{4}-\d{2}-\d{2}\.csv/);
    expect(
      refused.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/),
    ).toEqual(['baris,kolom,kode', '3,jenis_kelamin,SEX']);
    const count = async () =>
      (
        await ctx.app
          .get(DataSource)
          .query(`select count(*)::int as n from dukcapil_residents where nik in ('3204101601800098', '3204101601800097')`)
      )[0].n;
    expect(await count()).toBe(0);
    const partial = await http()
      .post('/api/v1/dukcapil/imports?partial=true')
      .set(admin)
      .set('Content-Type', type)
      .send(xlsx)
      .expect(201);
    expect(partial.body).toMatchObject({ imported: true, rows: 1, rejectedRows: 1 });
    expect(await count()).toBe(1);
  });
});
