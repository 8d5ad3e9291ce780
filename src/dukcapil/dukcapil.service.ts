import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PopulationRecord } from '../registration/automatic-checks';
import { RegionDirectory } from '../reference/region-directory';
import { parseExtract, RowProblem } from './dukcapil-extract';

export type ImportResult =
  | { imported: true; importId: string; rows: number; fileSha256: string; rejectedRows: number; rejected: RowProblem[] }
  | { imported: false; problems: RowProblem[] };

const CHUNK = 5000;

/** By primary key: the array must be char(16) like the column, or PostgreSQL scans the table. */
export const LOOKUP_SQL = `select nik, kk_number, full_name, to_char(birth_date, 'YYYY-MM-DD') as birth_date, sex, village_code
  from dukcapil_residents where nik = any($1::char(16)[])`;

/** The population-registry extract the automatic checks compare registrations with. */
@Injectable()
export class DukcapilService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly regions: RegionDirectory,
  ) {}

  /**
   * Imports a CSV extract in one transaction: every row, or none if any row is bad; with
   * `partial`, the good rows go in and each bad one is reported (by line and column) and left out.
   */
  async importCsv(
    csv: Buffer,
    importedBy: string | null,
    today: string,
    onProgress?: (done: number, total: number) => void,
    options: { partial?: boolean } = {},
  ): Promise<ImportResult> {
    const { rows, problems, rejectedRows } = parseExtract(csv, {
      ...this.regions.identifierContext(today),
      villageExists: (c) => this.regions.isVillage(c),
    });
    const unreadable = problems.some((p) => p.code === 'CSV_SYNTAX' || p.code === 'COLUMN_MISSING');
    if (problems.length > 0 && (!options.partial || unreadable)) return { imported: false, problems };
    const importId = randomUUID();
    const fileSha256 = createHash('sha256').update(csv).digest('hex');
    await this.dataSource.transaction(async (m) => {
      await m.query('insert into dukcapil_imports (id, file_sha256, row_count, imported_by) values ($1, $2, $3, $4)', [
        importId,
        fileSha256,
        rows.length,
        importedBy,
      ]);
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        await m.query(
          `insert into dukcapil_residents (nik, kk_number, full_name, birth_date, sex, village_code, import_id)
           select n, k, f, b::date, s, v, $7 from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as t(n, k, f, b, s, v)
           on conflict (nik) do update set kk_number = excluded.kk_number, full_name = excluded.full_name, birth_date = excluded.birth_date,
             sex = excluded.sex, village_code = excluded.village_code, import_id = excluded.import_id`,
          [
            chunk.map((r) => r.nik),
            chunk.map((r) => r.kkNumber),
            chunk.map((r) => r.fullName),
            chunk.map((r) => r.birthDate),
            chunk.map((r) => r.sex),
            chunk.map((r) => r.villageCode),
            importId,
          ],
        );
        onProgress?.(Math.min(i + CHUNK, rows.length), rows.length);
      }
    });
    return { imported: true, importId, rows: rows.length, fileSha256, rejectedRows, rejected: problems };
  }

  async lookup(niks: readonly string[]): Promise<Record<string, PopulationRecord>> {
    if (niks.length === 0) return {};
    const rows = await this.dataSource.query(LOOKUP_SQL, [niks]);
    return Object.fromEntries(
      rows.map((r: Record<string, string>) => [
        r.nik,
        { kkNumber: r.kk_number, fullName: r.full_name, birthDate: r.birth_date, sex: r.sex, villageCode: r.village_code },
      ]),
    );
  }
}
