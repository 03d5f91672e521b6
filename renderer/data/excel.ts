/**
 * Reading and writing residents spreadsheets (.xlsx, exceljs).
 *
 * Reading turns the first worksheet into a grid of strings, the input of `planResidentImport`: grid row `i` is the
 * row Excel shows as `i + 1`, so row numbers in the preview match what the person sees. Writing makes a sheet with the
 * usual Chinese headers of `IMPORT_HEADERS`, so an exported list can be edited and imported again. Headers and the
 * words in the cells (男/女, 本人, 党员) stay Chinese in either UI language: they are the file format offices exchange.
 *
 * In the browser bundle `exceljs` resolves to its `browser` entry (dist/exceljs.min.js, no Node built-ins); in Vitest
 * it resolves to the Node entry. Both expose the same `Workbook`.
 */
import * as ExcelJS from 'exceljs';
import {
  IMPORT_COLUMNS,
  IMPORT_HEADERS,
  PROBLEM_HEADERS,
  planResidentImport,
  type ImportChange,
  type ImportColumn,
  type ImportOptions,
  type ImportPlan,
} from '@shared/domain/registry/import';
import { makeIdNumber, seqForSex } from '@shared/domain/registry/idNumber';
import { maskIdNumber } from '@shared/domain/registry/mask';
import type { Relation, ResidentTag } from '@shared/domain/registry/types';
import { err, ok, type DomainError, type Result } from '@shared/domain/result';
import type { RegistrySnapshot } from '@shared/ydoc/registry';

/** Largest workbook read: 20,000 residents make about 1.5 MB; 30 MB leaves room for pictures and extra sheets. */
export const MAX_SHEET_BYTES = 30 * 1024 * 1024;

/**
 * Why a file could not be read. `xls` (the old binary format) and `csv` are named apart because the fix is simple
 * ("save as .xlsx in Excel/WPS") and worth telling.
 */
export type SheetError = 'not-excel' | 'xls' | 'csv' | 'damaged' | 'empty' | 'too-large';

export interface CellRef {
  /** Row as Excel shows it (1-based). */
  readonly row: number;
  /** Column index in the grid (0-based, column A = 0). */
  readonly column: number;
}

export interface SheetContent {
  readonly sheetName: string;
  /** `rows[i]` is Excel row `i + 1`; blank rows are empty arrays. */
  readonly rows: string[][];
  /**
   * Number cells too long to be exact: Excel keeps 15 significant digits, so an 18-digit ID number typed into a
   * number cell has already lost its last digits (511302199001011234 → 511302199001011000) before we read it.
   */
  readonly longNumbers: readonly CellRef[];
}

export type SheetProgress = (done: number, total: number) => void;

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** OLE2 compound file: the .xls of Excel 97–2003 (and .et of old WPS). */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);
}

/** Text such as a CSV: no NUL bytes and valid UTF-8 (or GBK, which shows as invalid UTF-8 but has no control bytes). */
function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  let control = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return control === 0 && /[,;\t\n]/.test(new TextDecoder('utf-8').decode(head));
}

/** A number as the person typed it: never scientific notation (1.38e10), integers digit for digit. */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return BigInt(value).toString();
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

/** Excel dates arrive as instants at UTC midnight of the day shown (exceljs reads serial days as UTC). */
function dateText(value: Date): string {
  return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
}

/** Integers of 16+ digits cannot be held exactly by Excel (15 significant digits). */
function isLossy(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) >= 1e15;
}

type CellValue = ExcelJS.CellValue;

function cellText(value: CellValue, onNumber: (n: number) => void): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    onNumber(value);
    return numberText(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    // A formula's cached result; a sheet saved by a program that does not compute formulas has none.
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return '';
    if (typeof result === 'object' && 'error' in result) return '';
    return cellText(result as CellValue, onNumber);
  }
  if ('hyperlink' in value) {
    const text: unknown = value.text;
    if (typeof text === 'string') return text;
    if (typeof text === 'object' && text !== null && 'richText' in text) {
      return (text as ExcelJS.CellRichTextValue).richText.map((run) => run.text).join('');
    }
    return '';
  }
  if ('error' in value) return '';
  return '';
}

/** A plain copy (the writers hand back Node's or browserify's Buffer, which views a shared pool). */
function toBytes(data: ArrayBuffer | Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(data instanceof Uint8Array ? data : new Uint8Array(data));
}

/**
 * Reads the first worksheet of an .xlsx file into a grid of strings. Checks the ZIP signature before anything else,
 * so garbage, an old .xls or a .csv is refused with its own reason instead of an exception from deep inside exceljs.
 * `onProgress` reports rows converted (the workbook itself is parsed in one step).
 */
export async function readSheet(
  bytes: Uint8Array,
  onProgress?: SheetProgress,
): Promise<Result<SheetContent, SheetError>> {
  if (bytes.length > MAX_SHEET_BYTES) return err('too-large');
  if (bytes.length === 0) return err('empty');
  if (!startsWith(bytes, ZIP)) {
    if (startsWith(bytes, OLE2)) return err('xls');
    return err(looksLikeText(bytes) ? 'csv' : 'not-excel');
  }
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types the argument as Node's Buffer; JSZip underneath takes any Uint8Array.
    await workbook.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  } catch {
    // A ZIP that is not a workbook (a .docx, a truncated download) or a damaged workbook.
    return err('damaged');
  }
  const sheet = workbook.worksheets.find((ws) => ws.state === 'visible') ?? workbook.worksheets[0];
  if (sheet === undefined) return err('empty');

  const rows: string[][] = [];
  const longNumbers: CellRef[] = [];
  const total = sheet.rowCount;
  let filled = false;
  for (let r = 1; r <= total; r++) {
    const row = sheet.findRow(r);
    const cells: string[] = [];
    if (row !== undefined) {
      // `row.values` is 1-based and sparse: index 0 is always empty.
      const values = row.values as CellValue[];
      for (let c = 1; c < values.length; c++) {
        const text = cellText(values[c], (n) => {
          if (isLossy(n)) longNumbers.push({ row: r, column: c - 1 });
        });
        cells[c - 1] = text;
        if (text.trim() !== '') filled = true;
      }
      for (let c = 0; c < cells.length; c++) cells[c] ??= '';
    }
    rows.push(cells);
    if (onProgress !== undefined && r % 2000 === 0) onProgress(r, total);
  }
  onProgress?.(total, total);
  if (!filled) return err('empty');
  return ok({ sheetName: sheet.name, rows, longNumbers });
}

// --- planning ------------------------------------------------------------------------------------------------------

export interface PreviewRow {
  readonly rowNumber: number;
  readonly name: string;
  /** The ID number as written in the sheet, masked (PIPL: the preview is a screen like any other). */
  readonly idMasked: string;
  readonly valid: boolean;
  /** The ID number cell held a number too long for Excel to keep exactly (its last digits are gone). */
  readonly idAsNumber: boolean;
  readonly errors: readonly DomainError[];
  /** Update mode: the row matches a resident; what it changes (empty: nothing to change). */
  readonly changes?: readonly ImportChange[];
  /** The row lives in a building the import creates. */
  readonly newBuilding: boolean;
}

export interface ImportAnalysis {
  readonly plan: ImportPlan;
  /** Every planned row, rows with errors first (then in sheet order). */
  readonly preview: readonly PreviewRow[];
  /** Rows whose ID number had been stored as a number by Excel. */
  readonly idAsNumberCount: number;
  /** Their row numbers as Excel shows them. */
  readonly idAsNumberRows: readonly number[];
}

/**
 * Plans the import of a read sheet against the registry. ID numbers that Excel stored as numbers are treated as
 * missing (they are wrong in their last digits, and one in eleven would even pass the checksum), and the row says why.
 * `options`: the wizard's default compound and mode (docs/registry-model.md, "Import").
 */
export function analyseImport(
  content: SheetContent,
  snapshot: RegistrySnapshot,
  today: string,
  options: ImportOptions = {},
): ImportAnalysis {
  let plan = planResidentImport(content.rows, snapshot, today, options);
  const idColumn = plan.columns.idNumber;
  const lossy = new Set<number>();
  if (idColumn !== undefined) {
    for (const cell of content.longNumbers) {
      if (cell.column === idColumn && cell.row > plan.headerRow) lossy.add(cell.row);
    }
  }
  if (lossy.size > 0) {
    const rows = content.rows.map((row, i) => {
      if (!lossy.has(i + 1) || idColumn === undefined) return row;
      const copy = [...row];
      copy[idColumn] = '';
      return copy;
    });
    plan = planResidentImport(rows, snapshot, today, options);
  }
  const idAsNumberRows = [...lossy];
  return { plan, preview: previewRows(content, plan, idAsNumberRows), idAsNumberCount: lossy.size, idAsNumberRows };
}

/** The preview of a plan's rows: problem rows first, then in sheet order; names and masked ID numbers from the sheet. */
export function previewRows(content: SheetContent, plan: ImportPlan, idAsNumberRows: readonly number[]): PreviewRow[] {
  const lossy = new Set(idAsNumberRows);
  const cell = (rowNumber: number, column: ImportColumn): string => {
    const index = plan.columns[column];
    return index === undefined ? '' : (content.rows[rowNumber - 1]?.[index] ?? '').trim();
  };
  const preview: PreviewRow[] = plan.rows.map((row) => {
    const idAsNumber = lossy.has(row.rowNumber);
    const id = cell(row.rowNumber, 'idNumber');
    return {
      rowNumber: row.rowNumber,
      name: cell(row.rowNumber, 'name'),
      idMasked: id === '' ? '' : maskIdNumber(id),
      valid: row.input !== undefined,
      idAsNumber,
      // The blanked ID cell reads as "required"; the row shows the real reason instead.
      errors: idAsNumber ? row.errors.filter((e) => !(e.code === 'required' && e.field === 'idNumber')) : row.errors,
      ...(row.update === undefined ? {} : { changes: row.update.changes }),
      newBuilding: row.newBuilding !== undefined,
    };
  });
  const problem = (r: PreviewRow) => r.errors.length > 0 || r.idAsNumber;
  preview.sort((a, b) => Number(problem(b)) - Number(problem(a)) || a.rowNumber - b.rowNumber);
  return preview;
}

/** One problem row to write back: its row number in the read sheet and its problems as text. */
export interface ProblemRow {
  readonly rowNumber: number;
  readonly problem: string;
  /**
   * Grid columns written empty: an ID number Excel had stored as a number has lost its last digits, and written back
   * as text it would no longer be recognised as such (one in eleven would even pass the checksum); the person types
   * it again, as the 问题 cell says.
   */
  readonly clear?: readonly number[];
}

/**
 * The problem rows of a read sheet as a new workbook to fix and import again: the sheet's header row as it was (same
 * columns, same order, so the import maps it the same way), then each problem row's cells as read, with one more
 * column headed `problemHeader` holding its problems (the import reads past that column, `PROBLEM_HEADERS`). Every
 * cell is written as text, so an ID number or a door number stays exactly as it was.
 */
export async function writeProblemRows(
  content: SheetContent,
  headerRow: number,
  rows: readonly ProblemRow[],
  problemHeader: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'community-workstation';
  const name = content.sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1';
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = content.rows[headerRow - 1] ?? [];
  // A 问题 column of an earlier write-back is replaced, not repeated.
  const problemKeys = new Set(PROBLEM_HEADERS.map((h) => h.toLowerCase()));
  const keep = header.map((_, i) => i).filter((i) => !problemKeys.has((header[i] ?? '').trim().toLowerCase()));
  const width = keep.length;
  sheet.columns = [
    ...keep.map((i) => ({
      width: Math.max(8, Math.min(30, (header[i] ?? '').length * 2 + 4)),
      style: { numFmt: '@' },
    })),
    { width: 40 },
  ];
  sheet.addRow([...keep.map((i) => header[i] ?? ''), problemHeader]);
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    const cells = content.rows[row.rowNumber - 1] ?? [];
    const clear = new Set(row.clear ?? []);
    sheet.addRow([...keep.map((i) => (clear.has(i) ? '' : (cells[i] ?? ''))), row.problem]);
  }
  sheet.getColumn(width + 1).font = { color: { argb: 'FFC00000' } };
  return toBytes(await workbook.xlsx.writeBuffer());
}

// --- writing -------------------------------------------------------------------------------------------------------

/** One resident as sheet cells, keyed by import column. */
export type ResidentSheetRow = Partial<Record<ImportColumn, string | number | null>>;

/** An export has every column the import reads, in the same order, so an exported list can be imported again. */
export const EXPORT_COLUMNS = IMPORT_COLUMNS;

/** Column widths in Excel's character units; a Chinese character is about two. */
const WIDTHS: Readonly<Record<ImportColumn, number>> = {
  name: 12,
  sex: 6,
  birthDate: 12,
  idNumber: 22,
  phone: 16,
  compound: 14,
  building: 8,
  entrance: 8,
  doorNumber: 8,
  relation: 12,
  tags: 18,
  floorArea: 10,
  note: 30,
};

/** Columns kept as text in Excel, so an edited ID number or phone is never turned into a number. */
const TEXT_COLUMNS: ReadonlySet<ImportColumn> = new Set(['idNumber', 'phone', 'doorNumber', 'birthDate']);

/** The header Excel shows for a column: the first (most usual) of its accepted headers. */
export function sheetHeader(column: ImportColumn): string {
  return IMPORT_HEADERS[column][0] ?? column;
}

/** Words the import reads back (see RELATION_WORDS and TAG_WORDS in shared/domain/registry/import.ts). */
export const RELATION_SHEET_WORDS: Readonly<Record<Relation, string>> = {
  self: '本人',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandchild: '孙子女',
  grandparent: '祖父母',
  sibling: '兄弟姐妹',
  'child-in-law': '儿媳',
  other: '其他',
};

export const TAG_SHEET_WORDS: Readonly<Record<ResidentTag, string>> = {
  'elderly-alone': '独居老人',
  disabled: '残疾人',
  minor: '未成年人',
  'party-member': '党员',
  volunteer: '志愿者',
  'special-care': '特殊关爱',
};

export const SEX_SHEET_WORDS = { male: '男', female: '女' } as const;

export interface SheetOptions {
  /** Worksheet name (Excel allows 31 characters, no []:*?/\). */
  readonly sheetName?: string;
}

/**
 * Writes residents to an .xlsx: Chinese headers, bold header row frozen at the top, column widths, ID and phone
 * columns formatted as text.
 */
export async function writeResidentsSheet(
  rows: readonly ResidentSheetRow[],
  columns: readonly ImportColumn[] = EXPORT_COLUMNS,
  options: SheetOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'community-workstation';
  const name = (options.sheetName ?? '居民花名册').replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({
    header: sheetHeader(column),
    key: column,
    width: WIDTHS[column],
    style: TEXT_COLUMNS.has(column) ? { numFmt: '@' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    sheet.addRow(columns.map((column) => row[column] ?? null));
  }
  const buffer = await workbook.xlsx.writeBuffer();
  // Node's Buffer in tests, the browserified Buffer (a Uint8Array) in the browser.
  return toBytes(buffer);
}

/** The import template: every accepted column with one made-up example row (a valid, fictitious ID number). */
export async function writeImportTemplate(): Promise<Uint8Array<ArrayBuffer>> {
  const example: ResidentSheetRow = {
    name: '张示例',
    sex: '男',
    birthDate: '1980-05-17',
    idNumber: makeIdNumber('511302', '1980-05-17', seqForSex(12, 'male')),
    phone: '13800000000',
    compound: '',
    building: '1栋',
    entrance: '1单元',
    doorNumber: '101',
    relation: '本人',
    tags: '党员',
    floorArea: 86.5,
    note: '示例行，导入前请删除',
  };
  return writeResidentsSheet([example], EXPORT_COLUMNS, { sheetName: '居民导入模板' });
}
