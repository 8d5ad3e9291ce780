import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The rows of an uploaded table (CSV, or the first sheet of an XLSX) as records keyed by their
 * lower-cased header, read as a stream. Cells are strings, trimmed; a date cell becomes YYYY-MM-DD.
 */
export async function* tableRecords(body: Buffer, contentType: string): AsyncGenerator<Record<string, string>> {
  if (contentType.startsWith(XLSX_TYPE)) yield* xlsxRecords(body);
  else
    yield* Readable.from(body).pipe(
      parse({ columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }),
    );
}

async function* xlsxRecords(body: Buffer): AsyncGenerator<Record<string, string>> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(body), { worksheets: 'emit', sharedStrings: 'cache' });
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
  if (typeof value === 'object' && 'text' in (value as object)) return String((value as { text: unknown }).text).trim();
  return String(value).trim();
}
