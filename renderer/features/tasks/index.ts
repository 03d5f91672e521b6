/**
 * Task supervision (任务督办, docs/tasks-model.md) as the rest of the renderer sees it. Its screens are loaded on first
 * use: importing this file costs the two small wrappers; every other module of the feature stays out of the start
 * bundle.
 */
import { lazyNamed } from '../../ui/lazy';

export const TasksScreen = lazyNamed(() => import('./TasksScreen'), 'TasksScreen');
/** 工作台's 我的任务: the tasks waiting for the person at the keyboard. */
export const MyTasks = lazyNamed(() => import('./MyTasks'), 'MyTasks');
/** 转为督办任务 from another area (a grid event): a one-off task of this year, its basis the record it came from. */
export const PublishFromRecord = lazyNamed(() => import('./PublishFromRecord'), 'PublishFromRecord');
