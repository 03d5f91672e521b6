/**
 * Spreadsheets for tests, made by exceljs (docs/conventions.md, habit 10: fixtures are generated, not pasted). Used by the
 * renderer unit tests and the end-to-end tests, so it depends on nothing but exceljs and shared/.
 */
import * as ExcelJSModule from 'exceljs';
import { makeIdNumber, seqForSex } from '../../../shared/domain/registry/idNumber';
import type { Sex } from '../../../shared/domain/registry/types';

/**
 * exceljs is CommonJS: Vitest hands its exports over as named exports, Node's own ESM loader (Playwright) only as
 * `default`. Both work through this.
 */
export const ExcelJS: typeof ExcelJSModule =
  (ExcelJSModule as typeof ExcelJSModule & { default?: typeof ExcelJSModule }).default ?? ExcelJSModule;

export type SheetCell = string | number | Date | null | ExcelJSModule.CellValue;

/** An .xlsx whose first sheet holds `rows` as given (numbers stay numbers, dates stay dates). */
export async function makeXlsx(
  rows: readonly (readonly SheetCell[])[],
  options: { sheetName?: string; extraSheets?: number; hiddenFirst?: boolean } = {},
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  if (options.hiddenFirst) workbook.addWorksheet('hidden', { state: 'hidden' }).addRow(['hidden']);
  const sheet = workbook.addWorksheet(options.sheetName ?? 'Sheet1');
  for (const row of rows) sheet.addRow([...row]);
  for (let i = 0; i < (options.extraSheets ?? 0); i++) workbook.addWorksheet(`extra${i}`).addRow(['x']);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer);
}

/** An .xlsx with a workbook but no cell filled. */
export async function makeEmptyXlsx(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Sheet1');
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

let counter = 100;
/** A fresh valid (fictitious) ID number: Beijing region (not used by the demo community, so no clash with its residents), sequence from a counter. */
export function testId(sex: Sex = 'male', birthDate = '1975-03-09', region = '110101'): string {
  counter = (counter + 1) % 500;
  return makeIdNumber(region, birthDate, seqForSex(counter, sex));
}

/** The same ID number with its check character changed: a typo the checksum catches. */
export function badChecksum(idNumber: string): string {
  const last = idNumber.slice(-1);
  const replacement = last === '0' ? '1' : '0';
  return idNumber.slice(0, -1) + replacement;
}

export const RESIDENT_HEADERS = [
  '姓名',
  '性别',
  '身份证号',
  '联系电话',
  '小区',
  '楼栋',
  '单元',
  '门牌号',
  '与户主关系',
];

/** A phone number that parses (mobile, 11 digits), distinct per `n`. */
export function testPhone(n: number): string {
  return `139${String(10_000_000 + n).slice(-8)}`;
}
