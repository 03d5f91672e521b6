/**
 * Five-heads mediation as the rest of the renderer sees it (docs/mediation-model.md). Its screens are loaded on first
 * use: importing this file costs the two small wrappers and the read hooks (useCases.ts, labels.ts, whose imports the
 * start bundle already holds through renderer/data/cases.ts); every other module of the feature stays out of it.
 */
import { lazyNamed } from '../../ui/lazy';

/** The cases of this year and the last, read incrementally, and how a case is named: for 工作台's 今天要办. */
export { caseNumberText, useAllCases, useRegistryInfo, type RegistryInfo } from './useCases';
export { partiesLine } from './labels';

export const MediationDashboard = lazyNamed(() => import('./MediationDashboard'), 'MediationDashboard');
export const MediationScreen = lazyNamed(() => import('./MediationScreen'), 'MediationScreen');
