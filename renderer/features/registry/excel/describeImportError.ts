import { IMPORT_COLUMNS, type ImportColumn } from '@shared/domain/registry/import';
import type { DomainError, ErrorCode } from '@shared/domain/result';
import type { MessageKey, Translate } from '../../../i18n';
import { describeDomainError } from '../../../ui/DomainErrorText';

export const COLUMN_LABELS: Readonly<Record<ImportColumn, MessageKey>> = {
  name: 'excel.column.name',
  sex: 'excel.column.sex',
  birthDate: 'excel.column.birthDate',
  idNumber: 'excel.column.idNumber',
  phone: 'excel.column.phone',
  compound: 'excel.column.compound',
  building: 'excel.column.building',
  entrance: 'excel.column.entrance',
  doorNumber: 'excel.column.doorNumber',
  relation: 'excel.column.relation',
  tags: 'excel.column.tags',
  floorArea: 'excel.column.floorArea',
  note: 'excel.column.note',
};

/** Errors whose message names the value found in the sheet ("楼栋不存在：9栋"), and the param that holds it. */
const VALUE_PARAM: Partial<Record<ErrorCode, string>> = {
  'import.building-unknown': 'building',
  'import.building-ambiguous': 'building',
  'import.compound-unknown': 'compound',
  'import.tag-unknown': 'tag',
  'import.relation-unknown': 'relation',
};

function isImportColumn(field: string | undefined): field is ImportColumn {
  return (IMPORT_COLUMNS as readonly (string | undefined)[]).includes(field);
}

/**
 * The text of an import plan error. Fills `{field}` with the column as the sheet names it, or with the value found in
 * the sheet for "unknown" errors; other errors read as everywhere else (describeDomainError).
 */
export function describeImportError(t: Translate, error: DomainError): string {
  const valueParam = VALUE_PARAM[error.code];
  const value = valueParam === undefined ? undefined : error.params?.[valueParam];
  let text: string;
  if (value !== undefined) text = t(`error.${error.code}`, { ...error.params, field: value });
  else if (isImportColumn(error.field)) {
    text = t(`error.${error.code}`, { ...error.params, field: t(COLUMN_LABELS[error.field]) });
  } else text = describeDomainError(t, error);
  if (error.code === 'import.duplicate-in-file' && typeof error.params?.row === 'number') {
    text += t('excel.import.row.sameAs', { row: error.params.row });
  }
  return text;
}
