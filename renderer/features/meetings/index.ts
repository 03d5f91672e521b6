/**
 * Meeting records as the rest of the renderer sees it (docs/meetings-model.md). Its screens are loaded on first use:
 * importing this file costs nothing but the two small wrappers, and every other module of the feature stays out of
 * the start bundle.
 */
import { lazyNamed } from '../../ui/lazy';

export const MeetingsDashboard = lazyNamed(() => import('./MeetingsDashboard'), 'MeetingsDashboard');
export const MeetingsScreen = lazyNamed(() => import('./MeetingsScreen'), 'MeetingsScreen');
/** 列入会议议题 from another area (a grid event): picks a meeting being prepared and adds an agenda item. */
export const AddToAgenda = lazyNamed(() => import('./AddToAgenda'), 'AddToAgenda');
