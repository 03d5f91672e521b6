/**
 * The statistics of a period as an .xlsx (exceljs): the figures, by category, by level, and the cases counted. Headers
 * and words are whatever the caller passes (the UI gives them in the current language), so the sheet reads like the
 * screen.
 */
import * as ExcelJS from 'exceljs';
import type { MediationFigures } from '@shared/domain/mediation/stats';

export interface StatsSheetRow {
  readonly label: string;
  readonly figures: MediationFigures;
}

export interface StatsWorkbook {
  readonly title: string;
  readonly figureHeaders: readonly string[];
  readonly overall: MediationFigures;
  readonly byCategory: readonly StatsSheetRow[];
  readonly byLevel: readonly StatsSheetRow[];
  readonly sheetNames: {
    readonly summary: string;
    readonly category: string;
    readonly level: string;
    readonly cases: string;
  };
  readonly caseHeaders: readonly string[];
  readonly cases: readonly (readonly (string | number)[])[];
}

/** The figures of one row, in the order of `figureHeaders`: counts as numbers, rates as fractions (shown as %). */
export function figureCells(f: MediationFigures): (number | null)[] {
  return [
    f.accepted,
    f.settled,
    f.settlementRate,
    f.settledOnTheSpot,
    f.onTheSpotRate,
    f.concluded,
    f.onTime,
    f.onTimeRate,
    f.averageDays === null ? null : Math.round(f.averageDays * 10) / 10,
    f.averageSatisfaction === null ? null : Math.round(f.averageSatisfaction * 10) / 10,
  ];
}

const RATE_COLUMNS = [3, 5, 8]; // 1-based within the figures: settlement, on the spot, on time

function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
}

function addFigureSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  first: string,
  headers: readonly string[],
  rows: readonly StatsSheetRow[],
) {
  const sheet = workbook.addWorksheet(sheetName(name), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([first, ...headers]);
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow([row.label, ...figureCells(row.figures)]);
  sheet.getColumn(1).width = 18;
  for (let i = 0; i < headers.length; i++) sheet.getColumn(i + 2).width = 12;
  for (const column of RATE_COLUMNS) sheet.getColumn(column + 1).numFmt = '0.0%';
}

export async function writeStatsWorkbook(input: StatsWorkbook): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'community-workstation';
  addFigureSheet(workbook, input.sheetNames.summary, input.title, input.figureHeaders, [
    { label: input.title, figures: input.overall },
  ]);
  addFigureSheet(workbook, input.sheetNames.category, input.sheetNames.category, input.figureHeaders, input.byCategory);
  addFigureSheet(workbook, input.sheetNames.level, input.sheetNames.level, input.figureHeaders, input.byLevel);
  const cases = workbook.addWorksheet(sheetName(input.sheetNames.cases), { views: [{ state: 'frozen', ySplit: 1 }] });
  cases.addRow([...input.caseHeaders]);
  cases.getRow(1).font = { bold: true };
  for (const row of input.cases) cases.addRow([...row]);
  cases.columns.forEach((column) => {
    column.width = 16;
  });
  const buffer = await workbook.xlsx.writeBuffer();
  // Node's Buffer in tests, the browserified Buffer (a Uint8Array) or an ArrayBuffer in the browser.
  return new Uint8Array(buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer));
}
