/** Texts of the mediation area (renderer/features/mediation). Keys start with `case.`; words follow DOMAIN.md. */
export const mediationZh = {
  'case.dashboard.title': '调解案件',
} as const;
