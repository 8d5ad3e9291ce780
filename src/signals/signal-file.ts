import { parse } from 'csv-parse/sync';
import { checkNik, IdentifierContext } from '../reference/identifiers';
import { StatusChangeDetails } from '../status-changes/status-change';

/**
 * Cross-agency signals: what another registry says about a person. A signal only opens a review
 * case (a status-change request); a caseworker decides it.
 */
export const SIGNAL_TYPES = {
  KEMATIAN: { agency: 'DUKCAPIL', id: 'Kematian tercatat di Dukcapil', en: 'Death recorded by the population registry' },
  PINDAH: { agency: 'DUKCAPIL', id: 'Pindah domisili tercatat di Dukcapil', en: 'Move recorded by the population registry' },
  KENDARAAN: { agency: 'SAMSAT', id: 'Memiliki kendaraan roda empat', en: 'Owns a car' },
  PAJAK: { agency: 'DJP', id: 'Membayar pajak penghasilan besar', en: 'Pays substantial income tax' },
  BPJS_MANDIRI: { agency: 'BPJS', id: 'Peserta BPJS mandiri kelas 1', en: 'Self-paying first-class health insurance' },
} as const;
export type SignalType = keyof typeof SIGNAL_TYPES;

export interface SignalRow {
  readonly line: number;
  readonly nik: string;
  readonly signal: SignalType;
  /** KEMATIAN: date of death; PINDAH: the new village code; others: free text (amount, plate). */
  readonly value: string;
  readonly observedOn: string;
}

export const SIGNAL_COLUMNS = ['nik', 'sinyal', 'nilai', 'tanggal'] as const;

/** Parses and checks a signal file; any bad row rejects the file (line and column, never the value). */
export function parseSignals(
  csv: Buffer | string,
  ctx: IdentifierContext & { villageExists: (c: string) => boolean },
): { rows: SignalRow[]; problems: Array<{ line: number; column: string; code: string }> } {
  let records: Record<string, string>[];
  try {
    records = parse(csv, {
      columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch {
    return { rows: [], problems: [{ line: 0, column: '*', code: 'CSV_SYNTAX' }] };
  }
  const missing = records.length > 0 ? SIGNAL_COLUMNS.filter((c) => !(c in records[0])) : [];
  if (missing.length > 0) return { rows: [], problems: missing.map((column) => ({ line: 1, column, code: 'COLUMN_MISSING' })) };
  const rows: SignalRow[] = [];
  const problems: Array<{ line: number; column: string; code: string }> = [];
  records.forEach((r, i) => {
    const line = i + 2;
    const before = problems.length;
    if (!checkNik(r.nik, ctx).valid) problems.push({ line, column: 'nik', code: 'NIK_INVALID' });
    if (!(r.sinyal in SIGNAL_TYPES)) problems.push({ line, column: 'sinyal', code: 'SIGNAL_UNKNOWN' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(r.tanggal)) problems.push({ line, column: 'tanggal', code: 'DATE' });
    if (r.sinyal === 'PINDAH' && !ctx.villageExists(r.nilai)) problems.push({ line, column: 'nilai', code: 'VILLAGE_UNKNOWN' });
    if (r.sinyal === 'KEMATIAN' && !/^\d{4}-\d{2}-\d{2}$/.test(r.nilai)) problems.push({ line, column: 'nilai', code: 'DATE' });
    if (problems.length === before)
      rows.push({ line, nik: r.nik, signal: r.sinyal as SignalType, value: r.nilai, observedOn: r.tanggal });
  });
  return { rows, problems: problems.slice(0, 100) };
}

/** The review a signal asks for, about the member at `memberIndex`. */
export function reviewFor(row: SignalRow, memberIndex: number): StatusChangeDetails {
  switch (row.signal) {
    case 'KEMATIAN':
      return { kind: 'MENINGGAL', memberIndex, diedOn: row.value };
    case 'PINDAH':
      return { kind: 'PINDAH', toVillageCode: row.value, address: '(menurut Dukcapil; lengkapi saat verifikasi)' };
    default:
      return { kind: 'SUDAH_MAMPU' };
  }
}
