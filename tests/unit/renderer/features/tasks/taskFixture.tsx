/**
 * Fixtures of the task screens' tests: a store with tasks published into a test community's document of this year,
 * commands run as the store's acting person (or as someone else, with a moved clock), and the screens rendered as the
 * app does (store, i18n, Mantine, a router held in memory).
 */
import type { ReactElement } from 'react';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type { CommandContext, CommandResult, Permission } from '@shared/domain/kernel';
import { nationalCalendar } from '@shared/domain/calendar';
import { chinaDate } from '@shared/domain/dates';
import { publishTask, type TasksEnv } from '@shared/domain/tasks/commands';
import type { TaskTemplateInput } from '@shared/domain/tasks/types';
import { docName, toCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { PlatformProvider, type Platform } from '../../../../../renderer/platform';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';

// Mantine's autosizing Textarea listens to `document.fonts`, which jsdom lacks: a behaviour-free stand-in.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    configurable: true,
    value: { addEventListener: () => undefined, removeEventListener: () => undefined },
  });
}

export const community: CommunityId = toCommunityId('test-tasks');
export const today = chinaDate(new Date());
export const YEAR = Number(today.slice(0, 4));
export const tasksName = docName({ community, collection: 'tasks', year: YEAR });
export const env: TasksEnv = { calendar: nationalCalendar() };

export function must<T>(result: CommandResult<T>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

let counter = 0;

export function template(overrides: Partial<TaskTemplateInput> = {}): TaskTemplateInput {
  counter++;
  return {
    id: `tpl-t${counter}`,
    docNo: `测督〔${YEAR}〕${counter}号`,
    title: `测试任务${counter}`,
    category: '基层治理',
    basis: '',
    kind: 'work',
    lead: '社区党委',
    coOwners: [],
    responsible: { name: '张书记', ref: null },
    claimLimit: 3,
    completionLimit: 20,
    reportFrequency: 'weekly',
    milestones: [
      { id: 'm1', title: '摸底', weight: 40, evidence: '台账' },
      { id: 'm2', title: '整改', weight: 60, evidence: '照片' },
    ],
    fund: null,
    schedule: { type: 'annual' },
    ...overrides,
  };
}

/** A context of someone else (a street worker or a community worker) with the given permissions. */
export function ctxOf(
  permissions: readonly Permission[],
  who: { userId: string; userName: string },
  at: Date = new Date(),
): CommandContext {
  let n = 0;
  return {
    actor: { ...who, deviceId: `dev-${who.userId}` },
    now: () => at,
    newId: () => `${who.userId}-${String(++n).padStart(4, '0')}-${counter}`,
    permissions: new Set(permissions),
  };
}

export const STREET = { userId: 'u-street', userName: '街道督办员' };
export const WORKER = { userId: 'u-worker', userName: '社区王五' };

/**
 * Publishes an annual task (this year's, published today, unless told: last year's is published on its 1 March, so
 * long past any limit); returns its id.
 */
export async function publish(
  store: WorkstationStore,
  overrides: Partial<TaskTemplateInput> = {},
  year = YEAR,
): Promise<string> {
  const doc = await store.document(docName({ community, collection: 'tasks', year }));
  const publishedOn = year === YEAR ? undefined : `${year}-03-01`;
  const ctx = ctxOf(['tasks.supervise'], STREET, year === YEAR ? new Date() : new Date(`${year}-03-01T02:00:00Z`));
  const ids = must(
    publishTask(doc, ctx, { template: template(overrides), community, periods: [String(year)], publishedOn }, env),
  );
  const id = ids[0];
  if (id === undefined) throw new Error('nothing published');
  return id;
}

/** Renders task screens as the app does; `platform` stands in for the dialogs (a picked file). */
export function renderTasks(store: WorkstationStore, ui: ReactElement, path = '/', platform: Partial<Platform> = {}) {
  const location = memoryLocation({ path, record: true });
  const result = renderUi(
    <PlatformProvider platform={testPlatform([], platform)}>
      <StoreProvider store={store}>
        <Router hook={location.hook}>{ui}</Router>
      </StoreProvider>
    </PlatformProvider>,
  );
  return { ...result, location };
}
