import type { mediationZh } from './mediation.zh';

export const mediationEn: Record<keyof typeof mediationZh, string> = {
  'case.dashboard.title': 'Mediation cases',
};
