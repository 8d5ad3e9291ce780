import { parse } from 'csv-parse/sync';
import { checkKk, checkNik, IdentifierContext } from '../reference/identifiers';

/** One row of a population-registry (Dukcapil) extract. */
export interface ResidentRow {
  readonly nik: string;
  readonly kkNumber: string;
  readonly fullName: string;
  readonly birthDate: string;
  readonly sex: 'L' | 'P';
  readonly villageCode: string;
}

/** A bad row: its line number, the column and why. Never the value (it is personal data). */
export interface RowProblem {
  readonly line: number;
  readonly column: string;
  readonly code: string;
}

export const EXTRACT_COLUMNS = ['nik', 'no_kk', 'nama_lengkap', 'tanggal_lahir', 'jenis_kelamin', 'kode_desa'] as const;
const MAX_PROBLEMS = 100;

/**
 * Parses and checks an extract CSV (`nik,no_kk,nama_lengkap,tanggal_lahir,jenis_kelamin,kode_desa`).
 * Returns the good rows and, for the bad ones, the first 100 problems and how many rows they are.
 */
export function parseExtract(
  csv: Buffer | string,
  ctx: IdentifierContext & { villageExists: (code: string) => boolean },
): { rows: ResidentRow[]; problems: RowProblem[]; rejectedRows: number } {
  let records: Record<string, string>[];
  try {
    records = parse(csv, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (err) {
    return {
      rows: [],
      problems: [{ line: (err as { lines?: number }).lines ?? 0, column: '*', code: 'CSV_SYNTAX' }],
      rejectedRows: 0,
    };
  }
  if (records.length > 0) {
    const missing = EXTRACT_COLUMNS.filter((c) => !(c in records[0]));
    if (missing.length > 0)
      return { rows: [], problems: missing.map((column) => ({ line: 1, column, code: 'COLUMN_MISSING' })), rejectedRows: 0 };
  }
  const rows: ResidentRow[] = [];
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    const line = i + 2;
    const before = problems.length;
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
    if (problems.length === before) {
      rows.push({
        nik: r.nik,
        kkNumber: r.no_kk,
        fullName: r.nama_lengkap,
        birthDate: r.tanggal_lahir,
        sex: r.jenis_kelamin as 'L' | 'P',
        villageCode: r.kode_desa,
      });
    }
  });
  return { rows, problems: problems.slice(0, MAX_PROBLEMS), rejectedRows: records.length - rows.length };
}
