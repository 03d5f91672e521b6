/**
 * The figures of a period as an .xlsx (exceljs): the same tables as the screen and the 通报 — overall, per community
 * with its rank, per person — and the cards issued. Headers and words are what the caller passes (the screen's
 * language); numbers are numbers, rates fractions formatted as percentages, so the workbook computes further.
 */
import * as ExcelJS from 'exceljs';
import { FIGURE_COLUMNS, figureCell, type FiguresReport } from './report';

export interface FiguresWorkbook {
  readonly report: FiguresReport;
  /** The title line above each table (e.g. 任务督办统计 2026年9月，统计至 2026-09-30). */
  readonly title: string;
  /** The header of each of FIGURE_COLUMNS, in order. */
  readonly figureHeaders: readonly string[];
  readonly sheetNames: {
    readonly summary: string;
    readonly community: string;
    readonly person: string;
    /** The per-grid sheet, written when given and some grid holds a task. */
    readonly grid?: string;
    readonly cards: string;
  };
  /** First columns' headers. */
  readonly headers: {
    readonly scope: string;
    readonly rank: string;
    readonly community: string;
    readonly person: string;
    readonly grid?: string;
  };
  readonly overallLabel: string;
  readonly communityName: (id: string) => string;
  readonly personName: (key: string) => string;
  readonly gridName?: (key: string) => string;
  readonly cardHeaders: readonly string[];
  /** A card as the cells of its row, in the order of `cardHeaders`. */
  readonly cardRows: readonly (readonly (string | number)[])[];
}

function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
}

/** Row 1 the title, row 2 the headers, figures from row 3; rate columns shown as percentages. */
function figureSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  title: string,
  lead: readonly string[],
  figureHeaders: readonly string[],
  rows: readonly { lead: readonly (string | number)[]; cells: readonly (number | null)[] }[],
): void {
  const sheet = workbook.addWorksheet(sheetName(name), { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([title]).font = { bold: true, size: 13 };
  sheet.addRow([...lead, ...figureHeaders]).font = { bold: true };
  for (const row of rows) sheet.addRow([...row.lead, ...row.cells]);
  lead.forEach((_, i) => {
    sheet.getColumn(i + 1).width = 16;
  });
  FIGURE_COLUMNS.forEach((column, i) => {
    const excelColumn = sheet.getColumn(lead.length + i + 1);
    excelColumn.width = 11;
    if (column.rate) excelColumn.numFmt = '0.0%';
  });
}

export async function writeFiguresWorkbook(input: FiguresWorkbook): Promise<Uint8Array<ArrayBuffer>> {
  const { report } = input;
  const cells = (f: FiguresReport['overall']) => FIGURE_COLUMNS.map((c) => figureCell(c, f));
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'community-workstation';
  figureSheet(workbook, input.sheetNames.summary, input.title, [input.headers.scope], input.figureHeaders, [
    { lead: [input.overallLabel], cells: cells(report.overall) },
  ]);
  figureSheet(
    workbook,
    input.sheetNames.community,
    input.title,
    [input.headers.rank, input.headers.community],
    input.figureHeaders,
    report.byCommunity.map((row) => ({ lead: [row.rank, input.communityName(row.key)], cells: cells(row.figures) })),
  );
  figureSheet(
    workbook,
    input.sheetNames.person,
    input.title,
    [input.headers.person],
    input.figureHeaders,
    report.byPerson.map((row) => ({ lead: [input.personName(row.key)], cells: cells(row.figures) })),
  );
  const { gridName } = input;
  if (input.sheetNames.grid !== undefined && gridName !== undefined && report.byGrid.length > 0) {
    figureSheet(
      workbook,
      input.sheetNames.grid,
      input.title,
      [input.headers.grid ?? ''],
      input.figureHeaders,
      report.byGrid.map((row) => ({ lead: [gridName(row.key)], cells: cells(row.figures) })),
    );
  }
  const cards = workbook.addWorksheet(sheetName(input.sheetNames.cards), { views: [{ state: 'frozen', ySplit: 2 }] });
  cards.addRow([input.title]).font = { bold: true, size: 13 };
  cards.addRow([...input.cardHeaders]).font = { bold: true };
  for (const row of input.cardRows) cards.addRow([...row]);
  cards.columns.forEach((column) => {
    column.width = 16;
  });
  const buffer = await workbook.xlsx.writeBuffer();
  // Node's Buffer in tests, the browserified Buffer (a Uint8Array) or an ArrayBuffer in the browser.
  return new Uint8Array(buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer));
}
