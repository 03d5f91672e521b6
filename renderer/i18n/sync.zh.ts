/** Chinese text of the sync screens, header badge and refusals (keys prefixed `syncui.`). See ./catalog.ts. */
export const syncZh = {
  'syncui.title': '同步',
} as const;
