/** exceljs, loaded when a spreadsheet is first read or written: ~20 MB of memory an app serving requests otherwise never needs. */
export function loadExcel(): Promise<typeof import('exceljs')> {
  return import('exceljs');
}
