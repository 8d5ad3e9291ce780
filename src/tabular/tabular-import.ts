import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import type { Request, Response } from 'express';
import { ApiError } from '../shared/http/api-error';
import type ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { loadExcel } from './load-excel';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The rows of a table (CSV, or the first sheet of an XLSX; in memory or streamed from a file) as records keyed by their
 * lower-cased header, read as a stream. Cells are strings, trimmed; a date cell becomes YYYY-MM-DD.
 */
export async function* tableRecords(source: Buffer | Readable, contentType: string): AsyncGenerator<Record<string, string>> {
  const stream = Buffer.isBuffer(source) ? Readable.from(source) : source;
  if (contentType.startsWith(XLSX_TYPE)) yield* xlsxRecords(stream);
  else
    yield* stream.pipe(
      parse({ columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }),
    );
}

async function* xlsxRecords(stream: Readable): AsyncGenerator<Record<string, string>> {
  const excel = await loadExcel();
  const reader = new excel.stream.xlsx.WorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache' });
  for await (const sheet of reader) {
    let header: string[] | undefined;
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const cells = (row.values as unknown[]).slice(1).map(cellText);
      if (!header) header = cells.map((c) => c.toLowerCase());
      else if (cells.some((c) => c !== '')) yield Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    }
    return; // the first sheet only
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'text' in (value as object)) return detached(String((value as { text: unknown }).text).trim());
  return detached(String(value).trim());
}

/**
 * A copy of a cell's text that lets go of the XML it was cut from. The parser's texts are slices
 * of the chunk it read, and V8 keeps a slice's whole parent alive: an import that remembers every
 * NIK (to find repeats) held the sheet with them (~63 MB more per 250,000 rows).
 */
function detached(text: string): string {
  return Buffer.from(text).toString();
}

/** A bad row of an imported table: its line, the column and why. Never the value (it may be personal data). */
export interface RowProblem {
  readonly line: number;
  readonly column: string;
  readonly code: string;
}

/** An import's problems as a CSV file to download (line, column, code), sent on `res`. */
export function problemReportCsv(res: Response, filename: string, problems: readonly RowProblem[]): string {
  res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${filename}.csv"`);
  return stringify([['baris', 'kolom', 'kode'], ...problems.map((p) => [p.line, p.column, p.code])], { bom: true });
}

/** The uploaded table (the raw body of a CSV or XLSX request) and its type; 415 when there is none. */
export function uploadedTable(req: Request): { body: Buffer; contentType: string } {
  if (!Buffer.isBuffer(req.body) || req.body.length === 0)
    throw new ApiError(415, 'TABLE_REQUIRED', {
      id: 'Kirim berkas CSV (text/csv) atau XLSX',
      en: 'Send a CSV (text/csv) or XLSX file',
    });
  return { body: req.body, contentType: req.headers['content-type'] ?? '' };
}
