/** The working-day calendar (docs/tasks-model.md, "working-day calendar"). */
export * from './types';
export * from './calendar';
export * from './workdays';
export * from './recompute';
