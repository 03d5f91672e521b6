/**
 * Five-heads mediation as the rest of the renderer sees it (docs/mediation-model.md). Its screens are loaded on first
 * use: importing this file costs nothing but the two small wrappers, and every other module of the feature stays out
 * of the start bundle.
 */
import { lazyNamed } from '../../ui/lazy';

export const MediationDashboard = lazyNamed(() => import('./MediationDashboard'), 'MediationDashboard');
export const MediationScreen = lazyNamed(() => import('./MediationScreen'), 'MediationScreen');
