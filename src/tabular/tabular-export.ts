import { IsIn, IsOptional } from 'class-validator';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import { EventEmitter, once } from 'node:events';
import { Writable } from 'node:stream';
import { loadExcel } from './load-excel';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `?format=csv` (default) or `xlsx`, for every export route. */
export class ExportFormatQuery {
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}

export type Cell = string | number | boolean | null;

export interface TabularExport {
  readonly format: ExportFormat;
  /** The file's name without extension, e.g. `antrean-32.04-2026-11-30`. */
  readonly filename: string;
  readonly header: readonly string[];
  /** Rows in pages, so a million rows pass through in bounded memory. */
  readonly pages: AsyncIterable<readonly Cell[][]>;
}

/**
 * Streams a table to the response as CSV (UTF-8 with BOM, so spreadsheet programs read the
 * names right) or XLSX, page by page, waiting whenever the client reads slower than we write.
 */
export async function sendTable(res: Response, table: TabularExport): Promise<void> {
  const type =
    table.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8';
  res.status(200).type(type).setHeader('Content-Disposition', `attachment; filename="${table.filename}.${table.format}"`);
  try {
    await writeTable(res, table);
  } catch (err) {
    // Once rows have gone out an error can no longer be a status: cut the download short instead,
    // so the client sees a broken transfer rather than a file that looks complete.
    if (!res.headersSent) throw err;
    res.destroy(err as Error);
  }
}

/** Writes a table to a stream (a response, a file) as CSV or XLSX, page by page, waiting whenever the stream is behind. */
export async function writeTable(out: Writable, table: TabularExport): Promise<void> {
  if (table.format === 'xlsx') await writeXlsx(out, table);
  else await writeCsv(out, table);
}

async function writeCsv(out: Writable, table: TabularExport): Promise<void> {
  const csv = stringify({ bom: true });
  csv.pipe(out);
  const write = async (row: readonly Cell[]) => {
    if (!csv.write(row.map((c) => (c === null ? '' : c)))) await once(csv, 'drain');
  };
  await write(table.header);
  for await (const page of table.pages) for (const row of page) await write(row);
  csv.end();
  await once(out, 'finish');
}

async function writeXlsx(out: Writable, table: TabularExport): Promise<void> {
  const excel = await loadExcel();
  const workbook = new excel.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(table.filename.slice(0, 31));
  sheet.addRow([...table.header]).commit();
  for await (const page of table.pages) {
    for (const row of page) sheet.addRow([...row]).commit();
    await zipCaughtUp(sheet);
    if (out.writableNeedDrain) await once(out, 'drain');
  }
  sheet.commit();
  await workbook.commit();
}

interface ZipEntryInput extends EventEmitter {
  readonly _writableState?: { readonly length: number; readonly highWaterMark: number };
}

/**
 * exceljs 4.4 feeds a sheet's XML into its zip through a stream whose backpressure it ignores, so
 * rows written faster than they are compressed pile up uncompressed (~420 MB for a million rows).
 * Waiting for that stream to drain keeps the export bounded (~110 MB). It is an old-style stream
 * (readable-stream 3) without `writableNeedDrain`, hence its internal state.
 */
async function zipCaughtUp(sheet: object): Promise<void> {
  const input = (sheet as { stream?: { pipes?: ZipEntryInput[] } }).stream?.pipes?.[0];
  const state = input?._writableState;
  if (input && state && state.length > state.highWaterMark) await once(input, 'drain');
}

/** Keyset pages: `fetch(after)` returns the next page after the last row's key, until one comes back empty. */
export async function* keysetPages<Row, Key>(
  fetch: (after: Key | undefined) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
): AsyncGenerator<Row[]> {
  for (let after: Key | undefined; ;) {
    const rows = await fetch(after);
    if (!rows.length) return;
    yield rows;
    after = keyOf(rows[rows.length - 1]);
  }
}

/** Each page's rows turned into cells. */
export async function* mapPages<Row>(pages: AsyncIterable<Row[]>, cells: (row: Row) => Cell[]): AsyncGenerator<Cell[][]> {
  for await (const page of pages) yield page.map(cells);
}
