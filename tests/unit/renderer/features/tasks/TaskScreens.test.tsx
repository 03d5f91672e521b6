/**
 * 任务督办's screens (issue 19): the list's filters and sort, and the actions a task's page offers per role (a
 * community's editor claims, reports and asks to close; the street, an admin, verifies, returns and raises cards; a
 * viewer does nothing), each run through the page and seen in the task's state and timeline.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { claimTask, raiseCard } from '@shared/domain/tasks/commands';
import { TASK_ACTIONS } from '@shared/domain/tasks/machine';
import { TASK_STATUSES } from '@shared/domain/tasks/types';
import { docName } from '@shared/ydoc/docName';
import { readTask } from '@shared/ydoc/tasks';
import { readTaskFile } from '@shared/domain/tasks/files';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { TaskList } from '../../../../../renderer/features/tasks/TaskList';
import { TaskPage } from '../../../../../renderer/features/tasks/TaskPage';
import { describeTaskError } from '../../../../../renderer/features/tasks/TaskErrorText';
import { permissionsOf } from '../../../../../renderer/data/roles';
import { translate } from '../../../../../renderer/i18n';
import type { Platform } from '../../../../../renderer/platform';
import { LOAD, useTestStore } from '../../storeFixture';
import { community, ctxOf, env, must, publish, renderTasks, STREET, tasksName, WORKER, YEAR } from './taskFixture';

const getStore = useTestStore();

async function docOf(store: WorkstationStore, year: number) {
  return store.document(docName({ community, collection: 'tasks', year }));
}

const rows = () => screen.queryAllByTestId('task-row');
const select = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('task list', () => {
  it('filters by state, owner, due and card, searches, and sorts by the due date', async () => {
    const store = getStore();
    await publish(store, { title: '垃圾分类宣传' });
    const claimed = await publish(store, { title: '老旧小区改造' });
    must(
      claimTask(
        await docOf(store, YEAR),
        ctxOf(['tasks.edit'], WORKER),
        { taskId: claimed, owner: { name: WORKER.userName, ref: WORKER.userId } },
        env,
      ),
    );
    // Last year's, published on 1 March with five working days: long overdue, and the street gave it a red card.
    const late = await publish(store, { title: '安全隐患排查', claimLimit: 1, completionLimit: 5 }, YEAR - 1);
    must(
      raiseCard(
        await docOf(store, YEAR - 1),
        ctxOf(['tasks.supervise'], STREET),
        { taskId: late, level: 'red', reason: '逾期未办' },
        env,
      ),
    );

    renderTasks(store, <TaskList community={community} />);
    await waitFor(() => expect(rows()).toHaveLength(3), LOAD);
    expect(screen.getByTestId('task-count').textContent).toBe('共3项任务');
    // Soonest due first: last year's overdue task leads, and says how far over it is.
    expect(rows()[0]?.textContent).toContain('安全隐患排查');
    expect(within(rows()[0] as HTMLElement).getByTestId('task-due').textContent).toMatch(/^超期\d+个工作日$/);
    expect(within(rows()[1] as HTMLElement).getByTestId('task-due').textContent).toMatch(/^剩\d+个工作日$/);

    select('状态', 'claimed');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]?.textContent).toContain('老旧小区改造');
    expect(rows()[0]?.textContent).toContain('社区王五');
    select('状态', '');

    select('领办人', '-');
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(
      rows()
        .map((r) => r.textContent)
        .join(),
    ).not.toContain('老旧小区改造');
    select('领办人', WORKER.userId);
    await waitFor(() => expect(rows()).toHaveLength(1));
    select('领办人', '');

    select('办结期限', 'overdue');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]?.textContent).toContain('安全隐患排查');
    select('办结期限', '');

    select('督办', 'red');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(within(rows()[0] as HTMLElement).getByTestId('task-card').textContent).toBe('红牌');
    select('督办', 'none');
    await waitFor(() => expect(rows()).toHaveLength(2));
    select('督办', 'yellow');
    await waitFor(() => expect(rows()).toHaveLength(0));
    expect(screen.getByText('没有符合条件的任务。')).toBeTruthy();
    select('督办', '');

    select('按期限排序', 'desc');
    await waitFor(() => expect(rows().at(-1)?.textContent).toContain('安全隐患排查'));

    fireEvent.change(screen.getByLabelText('查找任务'), { target: { value: '老旧' } });
    await waitFor(() => expect(rows()).toHaveLength(1));
  });

  it('opens a task with Enter', async () => {
    const store = getStore();
    const id = await publish(store, { title: '敲回车打开' });
    const { location } = renderTasks(store, <TaskList community={community} />);
    await waitFor(() => expect(rows()).toHaveLength(1), LOAD);
    fireEvent.keyDown(rows()[0] as HTMLElement, { key: 'Enter' });
    expect(location.history.at(-1)).toBe(`/t/${YEAR}/${encodeURIComponent(id)}`);
  });
});

const button = (name: string) => screen.queryByRole('button', { name });

async function renderPage(store: WorkstationStore, id: string, platform: Partial<Platform> = {}) {
  const view = renderTasks(store, <TaskPage community={community} year={YEAR} id={id} />, '/', platform);
  await waitFor(() => expect(screen.getByTestId('task-page')).toBeTruthy(), LOAD);
  return view;
}

async function fill(label: string, value: string) {
  fireEvent.change(await screen.findByLabelText(label, { exact: false }), { target: { value } });
}

describe('task page', () => {
  it('changes the actions offered as soon as the role changes, without leaving the page', async () => {
    const store = getStore();
    store.actAs({ id: 'u-me', name: '社区李四', createdBy: null });
    const id = await publish(store, { title: '角色变化' });
    store.setAccountRole('viewer');
    await renderPage(store, id);
    expect(button('领办')).toBeNull();
    // A role granted by sync while the page is open.
    act(() => store.setAccountRole('editor'));
    await waitFor(() => expect(button('领办')).toBeTruthy());
    expect(button('下达督办')).toBeNull();
  });

  it('offers each role what the machine allows, and runs the flow through the page', async () => {
    const store = getStore();
    store.actAs({ id: 'u-me', name: '社区李四', createdBy: null });
    const id = await publish(store, { title: '背街小巷整治' });

    // A viewer: nothing.
    store.setAccountRole('viewer');
    let view = await renderPage(store, id);
    expect(screen.getByText('当前没有您可以办理的事项。')).toBeTruthy();
    view.unmount();

    // A community's editor claims; the street's actions are not offered.
    store.setAccountRole('editor');
    view = await renderPage(store, id);
    expect(button('领办')).toBeTruthy();
    for (const street of ['核验通过', '退回', '下达督办', '审批延期', '归档']) expect(button(street)).toBeNull();
    fireEvent.click(button('领办') as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('task-status').textContent).toBe('办理中'));
    expect(screen.getByTestId('task-timeline').textContent).toContain('社区李四领办');
    expect(readTask(await store.document(tasksName), id)?.owner).toEqual({ name: '社区李四', ref: 'u-me' });

    fireEvent.click(button('报告进展') as HTMLElement);
    await fill('进展情况', '已完成摸底，共排查12处');
    await fill('进度（%）', '40');
    await fill('对应节点', 'm1');
    fireEvent.click(button('提交') as HTMLElement);
    await waitFor(() =>
      expect(screen.getByTestId('task-timeline').textContent).toContain('报告进展：已完成摸底，共排查12处'),
    );
    expect(screen.getByText('最新进度：40%')).toBeTruthy();
    const report = readTask(await store.document(tasksName), id)?.reports[0];
    expect(report).toMatchObject({ progress: 40, milestoneId: 'm1', by: { userId: 'u-me' } });

    // A refusal shows beside its form, in words: a reason is required.
    fireEvent.click(button('申请办结') as HTMLElement);
    await fill('办结类型', 'procedural');
    fireEvent.click(button('提交') as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('task-error').textContent).toBe('理由必须填写'));
    await fill('理由', '已纳入长效管理台账');
    fireEvent.click(button('提交') as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('task-status').textContent).toBe('待核验'));
    expect(screen.getByTestId('task-timeline').textContent).toContain('申请程序性办结：已纳入长效管理台账');
    expect(button('核验通过')).toBeNull();
    expect(button('报告进展')).toBeNull();
    view.unmount();

    // The street (an admin) verifies or returns, and raises cards; claiming is not offered on a task under review.
    store.setAccountRole('admin');
    view = await renderPage(store, id);
    expect(button('核验通过')).toBeTruthy();
    expect(button('下达督办')).toBeTruthy();
    expect(button('领办')).toBeNull();
    fireEvent.click(button('退回') as HTMLElement);
    await fill('理由', '缺少整改照片');
    fireEvent.click(button('提交') as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('task-status').textContent).toBe('办理中'));
    expect(screen.getByTestId('task-timeline').textContent).toContain('退回：缺少整改照片');

    fireEvent.click(button('下达督办') as HTMLElement);
    await fill('督办等级', 'yellow');
    await fill('理由', '进度滞后');
    fireEvent.click(button('提交') as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('task-cards').textContent).toContain('黄牌'));
    expect(screen.getByTestId('task-cards').textContent).toContain('进度滞后');
    expect(button('撤销督办')).toBeTruthy();
    view.unmount();
  });
});

/** The bytes of a tiny PNG: jsdom cannot decode it, so the picker keeps it as it is (small enough). */
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

describe('report with photos', () => {
  it('stores the picked photo beside the task and names it in the report', async () => {
    const store = getStore();
    store.actAs({ id: 'u-me', name: '社区李四', createdBy: null });
    const id = await publish(store, { title: '带照片的任务' });
    must(
      claimTask(
        await docOf(store, YEAR),
        ctxOf(['tasks.edit'], WORKER),
        { taskId: id, owner: { name: WORKER.userName, ref: WORKER.userId } },
        env,
      ),
    );
    store.setAccountRole('editor');
    await renderPage(store, id, {
      openFile: () => Promise.resolve({ path: '/tmp/现场.png', name: '现场.png', bytes: PNG }),
    });
    fireEvent.click(button('报告进展') as HTMLElement);
    await fill('进展情况', '整改后现场');
    fireEvent.click(button('添加照片或文件') as HTMLElement);
    await waitFor(() => expect(screen.getAllByTestId('task-report-file')).toHaveLength(1));
    fireEvent.click(button('添加照片或文件') as HTMLElement);
    await waitFor(() => expect(screen.getAllByTestId('task-report-file')).toHaveLength(2));
    fireEvent.click(screen.getAllByRole('button', { name: '移除 现场.png' })[1] as HTMLElement);
    await waitFor(() => expect(screen.getAllByTestId('task-report-file')).toHaveLength(1));
    fireEvent.click(button('提交') as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('task-files')).toBeTruthy());
    expect(screen.getByRole('img', { name: '现场.png' })).toBeTruthy();
    expect(screen.getByTestId('task-timeline').textContent).toContain('附1个文件');
    const doc = await store.document(tasksName);
    const report = readTask(doc, id)?.reports[0];
    expect(report?.attachments).toHaveLength(1);
    expect(readTaskFile(doc, report?.attachments[0] ?? '')).toMatchObject({ name: '现场.png', taskId: id });
  });
});

describe('task wording', () => {
  it('words an action out of turn, a late extension and too many days granted', () => {
    const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
      translate('zh-CN', key, params);
    expect(
      describeTaskError(t, { code: 'invalid', field: 'action', params: { action: 'verify', status: 'claimed' } }),
    ).toBe('任务处于“办理中”，不能核验通过。');
    expect(describeTaskError(t, { code: 'invalid', field: 'days', params: { completionDue: '2026-10-10' } })).toBe(
      '已过办结期限（2026-10-10），不能再申请延期。',
    );
    expect(describeTaskError(t, { code: 'invalid', field: 'granted', params: { asked: 3 } })).toBe(
      '批准天数不能多于申请的3个工作日。',
    );
    expect(describeTaskError(t, { code: 'required', field: 'template.docNo' })).toBe('文号必须填写');
  });

  it('words every action of the machine out of turn in every state, and an action it does not know plainly', () => {
    const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) =>
      translate('zh-CN', key, params);
    for (const action of TASK_ACTIONS)
      for (const status of TASK_STATUSES)
        expect(describeTaskError(t, { code: 'invalid', field: 'action', params: { action, status } })).toMatch(
          /^任务处于“[^”.]+”，不能[^.]+。$/,
        );
    // A newer device's action: the generic refusal, never a raw message key.
    const unknown = describeTaskError(t, {
      code: 'invalid',
      field: 'action',
      params: { action: 'fly', status: 'claimed' },
    });
    expect(unknown).not.toMatch(/task\.|不能fly/);
  });

  it('gives supervising tasks to the street (admin) and not to a community editor', () => {
    expect(permissionsOf('editor').has('tasks.edit')).toBe(true);
    expect(permissionsOf('editor').has('tasks.supervise')).toBe(false);
    expect(permissionsOf('admin').has('tasks.supervise')).toBe(true);
    expect(permissionsOf(null).has('tasks.supervise')).toBe(true);
    expect(permissionsOf('viewer').size).toBe(0);
  });
});
