import * as fs from 'node:fs';
import { Client } from 'pg';
import { DEMO_EXTRACT } from '../../src/demo/demo-data';
import { checkExtract, ExtractRefused, ResidentRow, RowProblem } from '../../src/dukcapil/dukcapil-extract';
import { tableRecords } from '../../src/tabular/tabular-import';
import { LOOKUP_SQL } from '../../src/dukcapil/dukcapil.service';
import { createStoreFixture, StoreFixture } from '../support/database';

const ctx = {
  districtExists: (c: string) => c === '32.04.10',
  villageExists: (c: string) => c === '32.04.10.2001',
  today: '2026-11-24',
};
const HEADER = 'nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa';

/** Every row of a CSV extract checked: the good rows, and the problems of the bad ones or of the file. */
async function parseExtract(csv: string | Buffer): Promise<{ rows: ResidentRow[]; problems: RowProblem[] }> {
  const rows: ResidentRow[] = [];
  const problems: RowProblem[] = [];
  try {
    for await (const c of checkExtract(tableRecords(Buffer.from(csv), 'text/csv'), ctx)) {
      if (c.row) rows.push(c.row);
      else problems.push(...c.problems);
    }
  } catch (err) {
    if (!(err instanceof ExtractRefused)) throw err;
    problems.push(...err.problems);
  }
  return { rows, problems };
}

describe('Dukcapil extract: parsing', () => {
  it('reads the demo extract', async () => {
    const { rows, problems } = await parseExtract(fs.readFileSync(DEMO_EXTRACT));
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(6);
    expect(rows[1]).toEqual({
      nik: '3204104507880002',
      kkNumber: '3204100101200001',
      fullName: 'SITI AMINAH',
      birthDate: '1988-07-05',
      sex: 'P',
      villageCode: '32.04.10.2001',
    });
  });

  it.each([
    [
      'missing columns',
      'nik,no_kk\n3204101203850001,3204100101200001',
      ['nama_lengkap', 'tanggal_lahir', 'jenis_kelamin', 'kode_desa'].map((column) => ({
        line: 1,
        column,
        code: 'COLUMN_MISSING',
      })),
    ],
    ['a broken CSV', `${HEADER}\n"3204101203850001,x`, [{ line: expect.any(Number), column: '*', code: 'CSV_SYNTAX' }]],
    [
      'a repeated NIK',
      `${HEADER}\n3204101203850001,3204100101200001,A,1985-03-12,L,32.04.10.2001\n3204101203850001,3204100101200001,A,1985-03-12,L,32.04.10.2001`,
      [{ line: 3, column: 'nik', code: 'NIK_REPEATED' }],
    ],
    [
      'a birth date that differs from the NIK',
      `${HEADER}\n3204101203850001,3204100101200001,A,1985-03-13,L,32.04.10.2001`,
      [{ line: 2, column: 'tanggal_lahir', code: 'BIRTH_DATE' }],
    ],
    [
      'an unknown village',
      `${HEADER}\n3204101203850001,3204100101200001,A,1985-03-12,L,32.04.10.9999`,
      [{ line: 2, column: 'kode_desa', code: 'VILLAGE_UNKNOWN' }],
    ],
  ])('refuses %s, by line and column', async (_name, csv, problems) => {
    expect((await parseExtract(csv)).problems).toEqual(problems);
  });
});

describe('Dukcapil extract: the lookup the automatic checks run on every submit', () => {
  let fx: StoreFixture;
  beforeAll(async () => (fx = await createStoreFixture()));
  afterAll(() => fx.close());

  it('uses the primary key, not a scan', async () => {
    const c = new Client(fx.url);
    await c.connect();
    await c.query('set enable_seqscan = off');
    const plan = await c.query(`explain ${LOOKUP_SQL}`, [['3204101203850001']]);
    await c.end();
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan using dukcapil_residents_pkey/);
  });
});
