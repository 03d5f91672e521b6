import type { syncZh } from './sync.zh';

export const syncEn: Record<keyof typeof syncZh, string> = {
  'syncui.title': 'Sync',
};
