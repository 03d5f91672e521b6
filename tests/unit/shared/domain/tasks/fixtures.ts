/**
 * Fixtures for the task tests: a template, a context whose clock the test moves (China dates), the national
 * calendar, and helpers that unwrap results. Values are built from counters, never pasted.
 */
import type * as Y from 'yjs';
import type { CommandContext, CommandResult, Permission } from '@shared/domain/kernel';
import { nationalCalendar } from '@shared/domain/calendar';
import { publishTask, type TasksEnv } from '@shared/domain/tasks/commands';
import type { TaskTemplateInput } from '@shared/domain/tasks/types';
import { readTask } from '@shared/ydoc/tasks';
import type { TaskState } from '@shared/domain/tasks/state';

export const env: TasksEnv = { calendar: nationalCalendar() };

export interface Clock {
  /** Sets the China calendar day (10:00 China time). */
  set(day: string): void;
}

let ids = 0;

/** A context for one person with the given permissions; `clock.set(day)` moves its clock. */
export function makeCtx(
  permissions: readonly Permission[],
  who: { userId: string; userName: string } = { userId: 'u-street', userName: '街道督办员' },
  day = '2026-09-01',
): CommandContext & { readonly clock: Clock } {
  let now = new Date(`${day}T02:00:00Z`);
  return {
    actor: { ...who, deviceId: `dev-${who.userId}` },
    now: () => now,
    newId: () => `id-${String(++ids).padStart(6, '0')}`,
    permissions: new Set(permissions),
    clock: {
      set(d: string) {
        now = new Date(`${d}T02:00:00Z`);
      },
    },
  };
}

export const street = () => makeCtx(['tasks.supervise'], { userId: 'u-street', userName: '街道督办员' });
export const community = () => makeCtx(['tasks.edit'], { userId: 'u-comm', userName: '社区干部' });

let templates = 0;

export function template(overrides: Partial<TaskTemplateInput> = {}): TaskTemplateInput {
  templates++;
  return {
    id: `tpl-${templates}`,
    docNo: `顺街督〔2026〕${templates}号`,
    title: `任务${templates}`,
    category: '基层治理',
    basis: '顺委办〔2026〕3号',
    kind: 'work',
    lead: '社区党委',
    coOwners: ['社区居委会'],
    responsible: { name: '张书记', ref: null },
    claimLimit: 2,
    completionLimit: 10,
    reportFrequency: 'weekly',
    milestones: [
      { id: 'm1', title: '摸底', weight: 40, evidence: '台账' },
      { id: 'm2', title: '整改', weight: 60, evidence: '照片' },
    ],
    fund: { name: '社区发展基金', amount: 20_000 },
    schedule: { type: 'annual' },
    ...overrides,
  };
}

export function unwrap<T>(result: CommandResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export function errorOf<T>(result: CommandResult<T>) {
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

/** Publishes one annual task to `xihe-a` on `day` (a street context) and returns its id. */
export function publishOne(doc: Y.Doc, day: string, overrides: Partial<TaskTemplateInput> = {}): string {
  const ctx = street();
  ctx.clock.set(day);
  const [id] = unwrap(
    publishTask(doc, ctx, { template: template(overrides), community: 'xihe-a', periods: ['2026'] }, env),
  );
  if (id === undefined) throw new Error('nothing published');
  return id;
}

export function task(doc: Y.Doc, id: string): TaskState {
  const state = readTask(doc, id);
  if (state === null) throw new Error(`no task ${id}`);
  return state;
}
