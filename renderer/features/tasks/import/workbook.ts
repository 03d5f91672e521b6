/**
 * The task-list workbook (.xlsx, exceljs): the template to download (任务清单 sheet first, so the import reads it,
 * then 填写说明), and the same workbook written back with each row's errors in a column at the right and the cells in
 * error marked red, for the person to fix and import again (docs/tasks-model.md, "import"). What the template holds
 * is data in shared/domain/tasks/template.ts; reading the sheet is the registry's `readSheet` (renderer/data/excel.ts),
 * which reads the first visible sheet, the one the write-back writes into.
 */
import * as ExcelJS from 'exceljs';
import type { DomainError } from '@shared/domain/result';
import type { TaskImportPlan } from '@shared/domain/tasks/import';
import {
  ERROR_COLUMN_HEADER,
  EXAMPLE_ROW,
  INSTRUCTION_NOTES,
  TEMPLATE_CHOICES,
  TEMPLATE_COLUMNS,
  errorCells,
  instructionRows,
  templateHeader,
  templateRow,
} from '@shared/domain/tasks/template';
import type { TaskTemplate } from '@shared/domain/tasks/types';

export const TASK_SHEET_NAME = '任务清单';
export const INSTRUCTIONS_SHEET_NAME = '填写说明';

/** The fill that marks a cell in error (Excel's "light red"); the write-back clears only fills of this colour. */
export const ERROR_FILL_ARGB = 'FFFFC7CE';
const ERROR_FONT_ARGB = 'FF9C0006';

/** Rows of the task sheet that get the drop-down lists of fixed words. */
const CHOICE_ROWS = 500;

const WIDTHS: Readonly<Record<string, number>> = {
  docNo: 22,
  title: 30,
  basis: 20,
  lead: 16,
  coOwners: 18,
  milestones: 36,
  fund: 18,
};

function toBytes(data: ArrayBuffer | Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(data instanceof Uint8Array ? data : new Uint8Array(data));
}

async function bytesOf(workbook: ExcelJS.Workbook): Promise<Uint8Array<ArrayBuffer>> {
  // Node's Buffer in tests, the browserified Buffer (a Uint8Array) or an ArrayBuffer in the browser.
  return toBytes(await workbook.xlsx.writeBuffer());
}

/**
 * The template: the task sheet (headers as the import reads them, `*` on required columns, drop-down lists for the
 * fixed words, the given templates as rows so a list can be exported, edited and imported again) and the instructions
 * sheet (notes, one line per column, an example row).
 */
export async function writeTaskTemplate(templates: readonly TaskTemplate[] = []): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'community-workstation';
  const sheet = workbook.addWorksheet(TASK_SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = TEMPLATE_COLUMNS.map((column) => ({
    header: templateHeader(column),
    key: column,
    width: WIDTHS[column] ?? 12,
    style: column === 'docNo' ? { numFmt: '@' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const t of templates) sheet.addRow(templateRow(t));
  TEMPLATE_COLUMNS.forEach((column, index) => {
    const choices = TEMPLATE_CHOICES[column];
    if (choices === undefined) return;
    for (let r = 2; r <= CHOICE_ROWS + 1; r++) {
      sheet.getCell(r, index + 1).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${choices.join(',')}"`],
        showErrorMessage: true,
        errorTitle: templateHeader(column),
        error: `请从列表中选择：${choices.join('、')}`,
      };
    }
  });

  const help = workbook.addWorksheet(INSTRUCTIONS_SHEET_NAME);
  help.columns = [{ width: 24 }, { width: 10 }, { width: 24 }, { width: 70 }, { width: 36 }];
  for (const note of INSTRUCTION_NOTES) help.addRow([note]);
  help.getRow(1).font = { bold: true, size: 14 };
  help.addRow([]);
  const head = help.addRow(['列名', '是否必填', '含义', '填写要求与取值', '示例']);
  head.font = { bold: true };
  for (const line of instructionRows()) {
    const row = help.addRow([line.header, line.required ? '必填' : '选填', line.meaning, line.values, line.example]);
    row.alignment = { wrapText: true, vertical: 'top' };
  }
  help.addRow([]);
  help.addRow(['示例行（可复制到“任务清单”工作表）']).font = { bold: true };
  help.addRow(TEMPLATE_COLUMNS.map((c) => templateHeader(c))).font = { bold: true };
  help.addRow(TEMPLATE_COLUMNS.map((c) => EXAMPLE_ROW[c]));
  return bytesOf(workbook);
}

function isErrorFill(fill: ExcelJS.Fill | undefined): boolean {
  return fill?.type === 'pattern' && fill.fgColor?.argb === ERROR_FILL_ARGB;
}

/** A cell's style without our red mark (a new style object: exceljs may share one between cells). */
function unmark(cell: ExcelJS.Cell): void {
  if (!isErrorFill(cell.style.fill)) return;
  const { fill: _mark, ...rest } = cell.style;
  cell.style = rest;
}

function mark(cell: ExcelJS.Cell): void {
  cell.style = {
    ...cell.style,
    fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: ERROR_FILL_ARGB } },
  };
}

/**
 * The workbook as read, written back with the plan's errors: in the sheet the import read (the first visible one), a
 * column headed `ERROR_COLUMN_HEADER` at the right (reused when it is there from an earlier write-back) holds each
 * row's errors, and the cells in error are filled red. Marks and texts of an earlier write-back are cleared first;
 * nothing else of the workbook changes, so the person fixes the cells and imports the same file again. Header errors
 * (a required column missing) go in the error column of the header row.
 */
export async function writeBackErrors(
  bytes: Uint8Array,
  plan: TaskImportPlan,
  describe: (error: DomainError) => string,
): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  const sheet = workbook.worksheets.find((ws) => ws.state === 'visible') ?? workbook.worksheets[0];
  if (sheet === undefined) throw new Error('the workbook has no sheet');
  const headerRow = sheet.getRow(plan.headerRow);
  let errorColumn = 0;
  headerRow.eachCell((cell, column) => {
    // The header may carry header errors after it (`导入错误…：缺少必需的列…`).
    if (cell.text.trim().startsWith(ERROR_COLUMN_HEADER)) errorColumn = column;
  });
  if (errorColumn === 0) errorColumn = Math.max(headerRow.cellCount, sheet.columnCount) + 1;

  // Clear an earlier write-back: its texts and its red marks.
  for (let r = plan.headerRow + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    row.getCell(errorColumn).value = null;
    row.eachCell({ includeEmpty: false }, unmark);
    unmark(row.getCell(errorColumn));
  }

  const headerCell = headerRow.getCell(errorColumn);
  headerCell.value =
    plan.headerErrors.length === 0
      ? ERROR_COLUMN_HEADER
      : `${ERROR_COLUMN_HEADER}：${plan.headerErrors.map(describe).join('；')}`;
  headerCell.font = { bold: true, color: { argb: ERROR_FONT_ARGB } };
  if (plan.headerErrors.length > 0) mark(headerCell);
  sheet.getColumn(errorColumn).width = 48;

  for (const entry of errorCells(plan)) {
    const row = sheet.getRow(entry.row);
    for (const index of entry.cells) mark(row.getCell(index + 1));
    const cell = row.getCell(errorColumn);
    cell.value = entry.errors.map(describe).join('；');
    cell.font = { color: { argb: ERROR_FONT_ARGB } };
    cell.alignment = { wrapText: true, vertical: 'top' };
  }
  return bytesOf(workbook);
}
