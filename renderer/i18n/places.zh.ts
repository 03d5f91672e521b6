/** Chinese text of the places screens (keys prefixed `places.`). See ./catalog.ts. */
export const placesZh = {
  'places.title': '楼栋与五长',
} as const;
