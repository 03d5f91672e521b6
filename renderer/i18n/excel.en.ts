import type { excelZh } from './excel.zh';

export const excelEn: Record<keyof typeof excelZh, string> = {
  'excel.title': 'Import & export',
};
