/** Loaded on first use: importing this file costs one small wrapper. */
import type { prepareDashboard as prepare } from './data';
import { lazyNamed } from '../../ui/lazy';

export const OverviewScreen = lazyNamed(() => import('./OverviewScreen'), 'OverviewScreen');

/**
 * The dashboard's figures of the day prepared in the background (data.ts `prepareDashboard`); the module is loaded
 * only when it runs.
 */
export async function prepareDashboard(...args: Parameters<typeof prepare>): ReturnType<typeof prepare> {
  const data = await import('./data');
  return data.prepareDashboard(...args);
}
