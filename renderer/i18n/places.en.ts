import type { placesZh } from './places.zh';

export const placesEn: Record<keyof typeof placesZh, string> = {
  'places.title': 'Buildings & five heads',
};
