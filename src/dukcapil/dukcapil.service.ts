import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { DataSource, EntityManager } from 'typeorm';
import { PopulationRecord } from '../registration/automatic-checks';
import { RegionDirectory } from '../reference/region-directory';
import { tableRecords } from '../tabular/tabular-import';
import { checkExtract, ExtractRefused, MAX_PROBLEMS, ResidentRow, RowProblem } from './dukcapil-extract';

export type ImportResult =
  | { imported: true; importId: string; rows: number; fileSha256: string; rejectedRows: number; rejected: RowProblem[] }
  | { imported: false; problems: RowProblem[] };

const CHUNK = 5000;

/** An extract in memory (an upload) or in a file (the CLI), with its type: CSV, or XLSX_TYPE. */
export type ExtractSource = { body: Buffer; contentType: string } | { file: string; contentType: string };

async function sha256Of(source: ExtractSource): Promise<string> {
  const hash = createHash('sha256');
  if ('body' in source) hash.update(source.body);
  else for await (const chunk of fs.createReadStream(source.file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function insertResidents(m: EntityManager, rows: readonly ResidentRow[], importId: string): Promise<void> {
  await m.query(
    `insert into dukcapil_residents (nik, kk_number, full_name, birth_date, sex, village_code, import_id)
     select n, k, f, b::date, s, v, $7 from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) as t(n, k, f, b, s, v)
     on conflict (nik) do update set kk_number = excluded.kk_number, full_name = excluded.full_name, birth_date = excluded.birth_date,
       sex = excluded.sex, village_code = excluded.village_code, import_id = excluded.import_id`,
    [
      rows.map((r) => r.nik),
      rows.map((r) => r.kkNumber),
      rows.map((r) => r.fullName),
      rows.map((r) => r.birthDate),
      rows.map((r) => r.sex),
      rows.map((r) => r.villageCode),
      importId,
    ],
  );
}

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

  /** Steps run inside every import's transaction before it commits (erasure removes erased residents). */
  private readonly importSteps: Array<(m: EntityManager) => Promise<void>> = [];

  onImport(step: (m: EntityManager) => Promise<void>): void {
    this.importSteps.push(step);
  }

  /**
   * Imports an extract (CSV or XLSX) in one transaction, reading it as a stream and writing in
   * chunks: every row, or none if any row is bad; with `partial`, the good rows go in and each bad
   * one is reported (by line and column) and left out. A file that cannot be read imports nothing.
   */
  async importExtract(
    source: ExtractSource,
    importedBy: string | null,
    today: string,
    options: { partial?: boolean; onProgress?: (rows: number) => void } = {},
  ): Promise<ImportResult> {
    const importId = randomUUID();
    const fileSha256 = await sha256Of(source);
    const problems: RowProblem[] = [];
    let rejectedRows = 0;
    let rows = 0;
    try {
      await this.dataSource.transaction(async (m) => {
        await m.query('insert into dukcapil_imports (id, file_sha256, row_count, imported_by) values ($1, $2, 0, $3)', [
          importId,
          fileSha256,
          importedBy,
        ]);
        let chunk: ResidentRow[] = [];
        const flush = async () => {
          if (chunk.length && (options.partial || rejectedRows === 0)) await insertResidents(m, chunk, importId);
          rows += chunk.length;
          chunk = [];
          options.onProgress?.(rows + rejectedRows);
        };
        const records = tableRecords('body' in source ? source.body : fs.createReadStream(source.file), source.contentType);
        for await (const checked of checkExtract(records, this.context(today))) {
          if (checked.row) chunk.push(checked.row);
          else {
            rejectedRows += 1;
            problems.push(...checked.problems.slice(0, MAX_PROBLEMS - problems.length));
          }
          if (chunk.length >= CHUNK) await flush();
        }
        await flush();
        if (rejectedRows > 0 && !options.partial) throw new ExtractRefused(problems); // rolls everything back
        for (const step of this.importSteps) await step(m);
        await m.query('update dukcapil_imports set row_count = $2 where id = $1', [importId, rows]);
      });
    } catch (err) {
      if (err instanceof ExtractRefused) return { imported: false, problems: err.problems };
      throw err;
    }
    return { imported: true, importId, rows, fileSha256, rejectedRows, rejected: problems };
  }

  private context(today: string) {
    return { ...this.regions.identifierContext(today), villageExists: (c: string) => this.regions.isVillage(c) };
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
