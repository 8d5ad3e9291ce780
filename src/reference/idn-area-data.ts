import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One Kemendagri region: province `32`, regency `32.04`, district `32.04.10`, village `32.04.10.2001`. */
export interface RegionRecord {
  readonly code: string;
  readonly level: RegionLevel;
  readonly parentCode: string | null;
  readonly name: string;
}

export type RegionLevel = 'provinsi' | 'kabupaten' | 'kecamatan' | 'desa';

const FILES: ReadonlyArray<{ file: string; level: RegionLevel; parentColumn?: string }> = [
  { file: 'provinces.csv', level: 'provinsi' },
  { file: 'regencies.csv', level: 'kabupaten', parentColumn: 'province_code' },
  { file: 'districts.csv', level: 'kecamatan', parentColumn: 'regency_code' },
  { file: 'villages.csv', level: 'desa', parentColumn: 'district_code' },
];

/** The package's version, recorded with the loaded data. */
export function idnAreaDataVersion(): string {
  return JSON.parse(fs.readFileSync(require.resolve('idn-area-data/package.json'), 'utf8')).version;
}

/** Every region shipped by the `idn-area-data` package, read from its CSV files. */
export function readIdnAreaData(): RegionRecord[] {
  const dir = path.join(path.dirname(require.resolve('idn-area-data/package.json')), 'data');
  return FILES.flatMap(({ file, level, parentColumn }) => {
    const rows: Record<string, string>[] = parse(fs.readFileSync(path.join(dir, file)), {
      columns: true,
      skip_empty_lines: true,
      relax_quotes: true,
    });
    return rows.map((r) => ({ code: r.code, level, parentCode: parentColumn ? r[parentColumn] : null, name: r.name }));
  });
}

/** The level of a code by its shape. */
export function levelOfCode(code: string): RegionLevel | undefined {
  if (/^\d{2}$/.test(code)) return 'provinsi';
  if (/^\d{2}\.\d{2}$/.test(code)) return 'kabupaten';
  if (/^\d{2}\.\d{2}\.\d{2}$/.test(code)) return 'kecamatan';
  if (/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/.test(code)) return 'desa';
  return undefined;
}

/** Is `code` equal to or inside `prefix` (a region code; '' is the whole country)? */
export function isWithinRegion(code: string, prefix: string): boolean {
  return prefix === '' || code === prefix || code.startsWith(`${prefix}.`);
}
