/** Chinese text of the excel screens (keys prefixed `excel.`). See ./catalog.ts. */
export const excelZh = {
  'excel.title': '导入与导出',
} as const;
