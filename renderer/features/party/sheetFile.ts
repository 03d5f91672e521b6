/**
 * Choosing and reading the .xlsx of a 双报到 import (docs/party-model.md, "Excel"): the members' check-ins
 * (ExcelPage.tsx) and the units (UnitImport.tsx) read a file the same way, as the registry's import does.
 */
import { MAX_SHEET_BYTES, readSheet, type CellRef, type SheetError } from '../../data/excel';
import type { MessageKey } from '../../i18n';
import { PlatformError, type Platform } from '../../platform';

export const SHEET_ERRORS: Readonly<Record<SheetError, MessageKey>> = {
  'not-excel': 'excel.error.not-excel',
  xls: 'excel.error.xls',
  csv: 'excel.error.csv',
  damaged: 'excel.error.damaged',
  empty: 'excel.error.empty',
  'too-large': 'excel.error.too-large',
};

export const XLSX = [{ name: 'Excel', extensions: ['xlsx'] }];

/**
 * Asks for an .xlsx file and reads its first visible sheet: the file's name and cells, null when the person chose
 * none, or the message key of why it cannot be read.
 */
export async function openSheet(
  platform: Platform,
): Promise<{ fileName: string; rows: string[][]; longNumbers: readonly CellRef[] } | { error: MessageKey } | null> {
  let file;
  try {
    file = await platform.openFile({ filters: XLSX, maxBytes: MAX_SHEET_BYTES });
  } catch (error) {
    if (error instanceof PlatformError && error.code === 'file-too-large') return { error: 'excel.error.too-large' };
    throw error;
  }
  if (!file) return null;
  const content = await readSheet(file.bytes);
  if (!content.ok) return { error: SHEET_ERRORS[content.error] };
  return { fileName: file.name, rows: content.value.rows, longNumbers: content.value.longNumbers };
}
