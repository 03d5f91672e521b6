/**
 * 任务督办's list on a street's device (docs/tasks-model.md, "screens"): the communities the person supervises in one
 * list, each row counted on its own community's calendar and opened in its community; a page of rows drawn at a time
 * however long the list is, with the count.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Profiler } from 'react';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { isWorkday, nationalCalendar, workdaysBetween } from '@shared/domain/calendar';
import { setCalendarDay } from '@shared/domain/calendar/commands';
import { addDays } from '@shared/domain/dates';
import { publishTask } from '@shared/domain/tasks/commands';
import { createCompound } from '@shared/domain/registry/commands';
import type { TaskTemplateInput } from '@shared/domain/tasks/types';
import { toCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { calendarOf, calendarResolutions } from '../../../../../renderer/data/calendar';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { tasksDoc } from '../../../../../renderer/features/tasks/data';
import { PAGE_SIZE, TaskList } from '../../../../../renderer/features/tasks/TaskList';
import { TasksScreen } from '../../../../../renderer/features/tasks/TasksScreen';
import { LOAD, useTestStore, value } from '../../storeFixture';
import { ctxOf, env, must, renderTasks, STREET, template, today, YEAR } from './taskFixture';

const getStore = useTestStore();

const A = toCommunityId('xihe-a');
const B = toCommunityId('xihe-b');

const rows = () => screen.queryAllByTestId('task-row');
const select = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const rowOf = (title: string) => {
  const row = rows().find((r) => r.textContent.includes(title));
  if (row === undefined) throw new Error(`no row ${title}`);
  return row;
};

async function twoCommunities(): Promise<WorkstationStore> {
  const store = getStore();
  await store.createCommunity({ id: A, name: '西河A社区' });
  await store.createCommunity({ id: B, name: '西河B社区' });
  await store.setCurrentCommunity(A);
  return store;
}

/** Publishes a template to a community (today, this year), as the street does; returns the instance ids. */
async function publishTo(
  store: WorkstationStore,
  community: CommunityId,
  overrides: Partial<TaskTemplateInput>,
  periods = [String(YEAR)],
) {
  const doc = await store.document(tasksDoc(community, YEAR));
  return must(
    publishTask(doc, ctxOf(['tasks.supervise'], STREET), { template: template(overrides), community, periods }, env),
  );
}

/** The next `n` working days after today on the national calendar, as a community would close them. */
function nextWorkdays(n: number): string[] {
  const out: string[] = [];
  for (let day = addDays(today, 1); out.length < n; day = addDays(day, 1)) {
    if (isWorkday(nationalCalendar(), day)) out.push(day);
  }
  return out;
}

describe("the street's task list across its communities", () => {
  it('lists a row of each community on its own calendar, filters by community, and opens a row in its community', async () => {
    const store = await twoCommunities();
    const [inA] = await publishTo(store, A, { title: '垃圾分类宣传', completionLimit: 30 });
    const [inB] = await publishTo(store, B, { title: '老旧小区改造', completionLimit: 30 });
    expect(inA && inB).toBeTruthy();
    // B closes on three of the coming working days (its own layer), after the tasks were published.
    const closed = nextWorkdays(3);
    for (const date of closed) {
      value(
        await store.run(B, setCalendarDay, {
          scope: 'community',
          orgId: B,
          date,
          set: { as: 'day', day: { kind: 'holiday', name: '停电检修' } },
        }),
      );
    }

    const { location } = renderTasks(store, <TasksScreen />);
    await waitFor(() => expect(rows()).toHaveLength(2), LOAD);
    expect(screen.getAllByRole('columnheader').map((th) => th.textContent)).toContain('社区');
    expect(within(rowOf('垃圾分类宣传')).getByTestId('task-community').textContent).toBe('西河A社区');
    expect(within(rowOf('老旧小区改造')).getByTestId('task-community').textContent).toBe('西河B社区');

    // The same due date, counted on each community's calendar: B has three working days fewer.
    const due = rowOf('垃圾分类宣传').textContent.match(/\d{4}-\d{2}-\d{2}/)?.[0];
    expect(rowOf('老旧小区改造').textContent).toContain(due);
    const left = (c: CommunityId) => calendarOf(store, c).then((cal) => workdaysBetween(cal, today, due ?? '').days);
    const [leftA, leftB] = [await left(A), await left(B)];
    expect(leftA - leftB).toBe(3);
    await waitFor(() =>
      expect(within(rowOf('老旧小区改造')).getByTestId('task-due').textContent).toBe(`剩${leftB}个工作日`),
    );
    expect(within(rowOf('垃圾分类宣传')).getByTestId('task-due').textContent).toBe(`剩${leftA}个工作日`);

    // Filtered by community, and the other filters still apply on top.
    select('社区', B);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]?.textContent).toContain('老旧小区改造');
    select('状态', 'claimed');
    await waitFor(() => expect(rows()).toHaveLength(0));
    select('状态', '');
    await waitFor(() => expect(rows()).toHaveLength(1));

    // Enter opens B's task in B, though A is the community the screens show.
    fireEvent.keyDown(rows()[0] as HTMLElement, { key: 'Enter' });
    expect(location.history.at(-1)).toBe(`/c/${B}/t/${YEAR}/${encodeURIComponent(inB ?? '')}`);
    await waitFor(() => expect(screen.getByTestId('task-page')).toBeTruthy(), LOAD);
    expect(screen.getByRole('heading', { name: '老旧小区改造' })).toBeTruthy();
    expect(await screen.findByText(/西河B社区/, {}, LOAD)).toBeTruthy();
  });

  it('while shown, a registry edit does not resolve the calendars again, a layer edit redraws its rows', async () => {
    const store = await twoCommunities();
    await publishTo(store, A, { title: '甲任务', completionLimit: 30 });
    await publishTo(store, B, { title: '乙任务', completionLimit: 30 });
    // Both calendars resolved before the list is drawn (the list counts on the national calendar until then).
    await calendarOf(store, A);
    await calendarOf(store, B);
    const resolved = calendarResolutions.count;
    renderTasks(store, <TaskList community={A} communities={[A, B]} />);
    await waitFor(() => expect(rows()).toHaveLength(2), LOAD);
    const before = within(rowOf('乙任务')).getByTestId('task-due').textContent;
    const { doc } = await store.registry(B);
    await act(async () => {
      value(createCompound(doc, store.commandContext(B), { name: '北湖老院', kind: 'old' }));
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(calendarResolutions.count).toBe(resolved);
    const [closed = ''] = nextWorkdays(1);
    await act(async () => {
      value(
        await store.run(B, setCalendarDay, {
          scope: 'community',
          orgId: B,
          date: closed,
          set: { as: 'day', day: { kind: 'holiday', name: '停电检修' } },
        }),
      );
    });
    await waitFor(() => expect(within(rowOf('乙任务')).getByTestId('task-due').textContent).not.toBe(before));
    // A's calendar is not B's: its row keeps its count.
    expect(within(rowOf('甲任务')).getByTestId('task-due').textContent).toBe(before);
  });

  it('spans only the communities the person supervises; a device with one sees no community column', async () => {
    const store = await twoCommunities();
    await publishTo(store, A, { title: '甲任务' });
    await publishTo(store, B, { title: '乙任务' });
    // This device holds B with a community worker's role: B's tasks are B's to supervise, not this person's.
    store.setKeptRole(B, 'editor');
    renderTasks(store, <TasksScreen />);
    await waitFor(() => expect(rows()).toHaveLength(1), LOAD);
    expect(rows()[0]?.textContent).toContain('甲任务');
    expect(screen.queryByLabelText('社区')).toBeNull();
    expect(screen.queryAllByTestId('task-community')).toHaveLength(0);
  });
});

describe('a long list', () => {
  it('draws one page of rows with the count, pages on, and filters as one types (5,000 instances, timed)', async () => {
    const store = await twoCommunities();
    // 209 monthly standing tasks × 12 months × 2 communities = 5,016 instances, built apart and loaded as one update.
    const months = Array.from({ length: 12 }, (_, i) => `${YEAR}-${String(i + 1).padStart(2, '0')}`);
    const started = performance.now();
    for (const community of [A, B]) {
      const doc = new Y.Doc();
      for (let i = 0; i < 209; i++) {
        must(
          publishTask(
            doc,
            ctxOf(['tasks.supervise'], STREET),
            {
              template: template({
                id: `tpl-long-${i}`,
                docNo: `长督〔${YEAR}〕${i}号`,
                title: `长列表任务${i}`,
                schedule: { type: 'standing', repeat: 'monthly' },
              }),
              community,
              periods: months,
            },
            env,
          ),
        );
      }
      Y.applyUpdate(await store.document(tasksDoc(community, YEAR)), Y.encodeStateAsUpdate(doc));
    }
    const built = performance.now() - started;

    // React's own count of the time spent rendering the list, commit by commit (jsdom's DOM work is not in it).
    const renders: number[] = [];
    const rendered = (from: number) =>
      renders
        .slice(from)
        .reduce((a, b) => a + b, 0)
        .toFixed(0);
    const drawStart = performance.now();
    renderTasks(
      store,
      <Profiler id="tasks" onRender={(_id, _phase, actual) => renders.push(actual)}>
        <TaskList community={A} communities={[A, B]} />
      </Profiler>,
    );
    await waitFor(() => expect(rows()).toHaveLength(PAGE_SIZE), { timeout: 60_000 });
    const drawn = performance.now() - drawStart;
    const drawnRender = rendered(0);
    const count = screen.getByTestId('task-count');
    expect(count.textContent).toBe(`共5016项任务，显示第1–${PAGE_SIZE}项`);
    expect(document.querySelectorAll('tbody tr')).toHaveLength(PAGE_SIZE);

    // The next page: the same number of rows, the next ones.
    const firstOfPage1 = rows()[0]?.textContent;
    let mark = renders.length;
    let paged = performance.now();
    fireEvent.click(screen.getByRole('button', { name: '第 2 页' }));
    await waitFor(() => expect(count.textContent).toBe(`共5016项任务，显示第${PAGE_SIZE + 1}–${2 * PAGE_SIZE}项`));
    paged = performance.now() - paged;
    const pagedRender = rendered(mark);
    expect(rows()[0]?.textContent).not.toBe(firstOfPage1);

    // Typing narrows the list (and goes back to the first page): 长列表任务12 matches task 12 and 120..129.
    mark = renders.length;
    let typed = performance.now();
    fireEvent.change(screen.getByLabelText('查找任务'), { target: { value: '长列表任务12' } });
    await waitFor(() => expect(count.textContent).toBe(`共264项任务，显示第1–${PAGE_SIZE}项`));
    typed = performance.now() - typed;
    const typedRender = rendered(mark);
    mark = renders.length;
    let narrowed = performance.now();
    select('社区', B);
    await waitFor(() => expect(count.textContent).toBe(`共132项任务，显示第1–${PAGE_SIZE}项`));
    narrowed = performance.now() - narrowed;
    const narrowedRender = rendered(mark);
    expect(rows().every((r) => r.textContent.startsWith('西河B社区'))).toBe(true);

    // Measured, never asserted (a loaded machine is slower): read in the test's output.
    // Wall time (jsdom included) and, in brackets, React's render time.
    console.info(
      `[task list, 5,016 instances] built ${built.toFixed(0)} ms; first page drawn ${drawn.toFixed(0)} ms ` +
        `(${drawnRender} ms; ${rows().length} rows in the DOM); page 2 ${paged.toFixed(0)} ms (${pagedRender} ms); ` +
        `search typed ${typed.toFixed(0)} ms (${typedRender} ms); community filter ${narrowed.toFixed(0)} ms ` +
        `(${narrowedRender} ms)`,
    );
  }, 120_000);
});
