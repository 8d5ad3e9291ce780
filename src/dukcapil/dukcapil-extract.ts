import { checkKk, checkNik, IdentifierContext } from '../reference/identifiers';
import { RowProblem } from '../tabular/tabular-import';

export type { RowProblem };

/** One row of a population-registry (Dukcapil) extract. */
export interface ResidentRow {
  readonly nik: string;
  readonly kkNumber: string;
  readonly fullName: string;
  readonly birthDate: string;
  readonly sex: 'L' | 'P';
  readonly villageCode: string;
}

export const EXTRACT_COLUMNS = ['nik', 'no_kk', 'nama_lengkap', 'tanggal_lahir', 'jenis_kelamin', 'kode_desa'] as const;
/** A report lists at most this many problems (and counts every bad row). */
export const MAX_PROBLEMS = 100;

/** Nothing is imported: the file cannot be read as an extract (broken CSV, missing columns), or, all or nothing, a row is bad. */
export class ExtractRefused extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('extract refused');
  }
}

export type CheckedRow = { readonly line: number } & (
  { readonly row: ResidentRow; readonly problems?: undefined } | { readonly row?: undefined; readonly problems: RowProblem[] }
);

/**
 * Checks an extract's records (`nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa`)
 * as they stream in: each good row, or a bad row's problems by line and column. Only the NIKs
 * seen are kept (to find repeats), so a file of millions of rows passes in bounded memory.
 */
export async function* checkExtract(
  records: AsyncIterable<Record<string, string>>,
  ctx: IdentifierContext & { villageExists: (code: string) => boolean },
): AsyncGenerator<CheckedRow> {
  const seen = new Set<string>();
  let line = 1;
  try {
    for await (const r of records) {
      line += 1;
      if (line === 2) {
        const missing = EXTRACT_COLUMNS.filter((c) => !(c in r));
        if (missing.length > 0) throw new ExtractRefused(missing.map((column) => ({ line: 1, column, code: 'COLUMN_MISSING' })));
      }
      yield checkRow(r, line, seen, ctx);
    }
  } catch (err) {
    if (err instanceof ExtractRefused) throw err;
    throw new ExtractRefused([{ line: (err as { lines?: number }).lines ?? line, column: '*', code: 'CSV_SYNTAX' }]);
  }
}

function checkRow(
  r: Record<string, string>,
  line: number,
  seen: Set<string>,
  ctx: IdentifierContext & { villageExists: (code: string) => boolean },
): CheckedRow {
  const problems: RowProblem[] = [];
  const add = (column: string, code: string): void => void problems.push({ line, column, code });
  const nik = checkNik(r.nik, ctx);
  if (!nik.valid) add('nik', nik.problems[0].code);
  else if (seen.has(r.nik)) add('nik', 'NIK_REPEATED');
  seen.add(r.nik);
  const kk = checkKk(r.no_kk, ctx);
  if (!kk.valid) add('no_kk', kk.problems[0].code);
  if (!r.nama_lengkap) add('nama_lengkap', 'REQUIRED');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(r.tanggal_lahir) || (nik.valid && nik.value.birthDate !== r.tanggal_lahir))
    add('tanggal_lahir', 'BIRTH_DATE');
  if (r.jenis_kelamin !== 'L' && r.jenis_kelamin !== 'P') add('jenis_kelamin', 'SEX');
  if (!ctx.villageExists(r.kode_desa)) add('kode_desa', 'VILLAGE_UNKNOWN');
  if (problems.length) return { line, problems };
  const row: ResidentRow = {
    nik: r.nik,
    kkNumber: r.no_kk,
    fullName: r.nama_lengkap,
    birthDate: r.tanggal_lahir,
    sex: r.jenis_kelamin as 'L' | 'P',
    villageCode: r.kode_desa,
  };
  return { line, row };
}
