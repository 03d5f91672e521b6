/**
 * The dashboard of a period as an .xlsx (exceljs), the same way the task figures are exported
 * (renderer/features/tasks/figures/exportFigures.ts): one sheet per table of the screen and the 通报 (KPIs with the
 * previous period, the communities ranked, the monthly trend, categories, hot spots, overdue events, people,
 * mediation). Headers and words are the caller's (the screen's language); numbers stay numbers, rates fractions shown
 * as percentages, so the workbook computes further.
 */
import * as ExcelJS from 'exceljs';

/** One cell: a number (a rate when its column says so), a text, or nothing. */
export type Cell = string | number | null;

export interface SheetSpec {
  readonly name: string;
  readonly headers: readonly string[];
  /** Columns (0-based) holding rates, shown as percentages; columns holding working days, shown to a tenth. */
  readonly rateColumns?: readonly number[];
  readonly dayColumns?: readonly number[];
  /** A format for the numbers of each row (a sheet whose rows hold different kinds, as the KPIs). */
  readonly rowFormats?: readonly ('rate' | 'days' | null)[];
  readonly rows: readonly (readonly Cell[])[];
}

export interface DashboardWorkbook {
  /** The title line above each table (e.g. 数据看板 2026年11月，统计至 2026-11-18). */
  readonly title: string;
  readonly sheets: readonly SheetSpec[];
}

function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
}

/** Row 1 the title, row 2 the headers, the rows from row 3. */
export async function writeDashboardWorkbook(input: DashboardWorkbook): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'community-workstation';
  for (const spec of input.sheets) {
    const sheet = workbook.addWorksheet(sheetName(spec.name), { views: [{ state: 'frozen', ySplit: 2 }] });
    sheet.addRow([input.title]).font = { bold: true, size: 13 };
    sheet.addRow([...spec.headers]).font = { bold: true };
    spec.rows.forEach((cells, i) => {
      const row = sheet.addRow([...cells]);
      const format = spec.rowFormats?.[i] ?? null;
      if (format === null) return;
      cells.forEach((cell, j) => {
        if (typeof cell === 'number') row.getCell(j + 1).numFmt = format === 'rate' ? '0.0%' : '0.0';
      });
    });
    spec.headers.forEach((_, i) => {
      const column = sheet.getColumn(i + 1);
      column.width = i === 0 ? 20 : 13;
      if (spec.rateColumns?.includes(i)) column.numFmt = '0.0%';
      if (spec.dayColumns?.includes(i)) column.numFmt = '0.0';
    });
  }
  const buffer = await workbook.xlsx.writeBuffer();
  // Node's Buffer in tests, the browserified Buffer (a Uint8Array) or an ArrayBuffer in the browser.
  return new Uint8Array(buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer));
}
