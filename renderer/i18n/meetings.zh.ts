/** Texts of the meetings area (renderer/features/meetings). Keys start with `mtg.`; words follow DOMAIN.md. */
export const meetingsZh = {
  'mtg.dashboard.title': '会议与待落实事项',
} as const;
