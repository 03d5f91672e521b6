/**
 * The words of a task-list import error, on the screen and in the error column written back (the screen's language):
 * each names its column and, where the import knows it, what to write instead (the words accepted, the weights'
 * total, the completion limit).
 */
import { TASK_IMPORT_COLUMNS, type TaskImportColumn } from '@shared/domain/tasks/import';
import type { DomainError } from '@shared/domain/result';
import type { MessageKey, Translate } from '../../../i18n';
import { describeDomainError } from '../../../ui/DomainErrorText';

export function isTaskColumn(field: string | undefined): field is TaskImportColumn {
  return (TASK_IMPORT_COLUMNS as readonly (string | undefined)[]).includes(field);
}

export function columnLabel(t: Translate, column: TaskImportColumn): string {
  return t(`taskImport.column.${column}`);
}

/** Columns whose `invalid` error has its own wording (the accepted words or the format). */
const INVALID_WORDING: Partial<Record<TaskImportColumn, MessageKey>> = {
  kind: 'taskImport.error.kind',
  reportFrequency: 'taskImport.error.reportFrequency',
  schedule: 'taskImport.error.schedule',
  milestones: 'taskImport.error.milestones',
};

export function describeTaskImportError(t: Translate, error: DomainError): string {
  const params = error.params ?? {};
  const column = isTaskColumn(error.field) ? columnLabel(t, error.field) : (error.field ?? '');
  switch (error.code) {
    case 'required':
      return t('taskImport.error.required', { column });
    case 'too-long':
      return t('taskImport.error.too-long', { column });
    case 'number.invalid':
      return error.field === 'fundAmount' ? t('taskImport.error.amount') : t('taskImport.error.limit', { column });
    case 'invalid': {
      if (error.field === 'milestones' && typeof params.total === 'number') {
        return t('taskImport.error.weights', { total: params.total });
      }
      if (error.field === 'claimLimit') {
        return typeof params.completionLimit === 'number'
          ? t('taskImport.error.claimAfterCompletion', { completionLimit: params.completionLimit })
          : t('taskImport.error.limit', { column });
      }
      const wording = isTaskColumn(error.field) ? INVALID_WORDING[error.field] : undefined;
      return wording === undefined ? t('taskImport.error.invalid', { column }) : t(wording);
    }
    case 'import.duplicate-in-file':
      return t('taskImport.error.duplicate', { first: String(params.first ?? '') });
    case 'import.header-missing':
      return t('taskImport.error.header-missing', { column });
    case 'import.header-duplicate':
      return t('taskImport.error.header-duplicate', { column });
    case 'import.empty':
      return t('taskImport.error.empty');
    case 'import.too-many-rows':
      return t('taskImport.error.too-many-rows', { max: String(params.max ?? '') });
    default:
      return describeDomainError(t, error);
  }
}
