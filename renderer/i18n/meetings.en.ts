import type { meetingsZh } from './meetings.zh';

export const meetingsEn: Record<keyof typeof meetingsZh, string> = {
  'mtg.dashboard.title': 'Meetings and open action items',
};
