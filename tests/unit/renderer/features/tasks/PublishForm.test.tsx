/**
 * 发布任务 (issue 19): a standing task's repeat rule gives one instance per chosen period; milestone weights that do not
 * add up are said as the person types and refused in words; a second publish of the same periods adds nothing.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { listTasks } from '@shared/ydoc/tasks';
import { PublishForm } from '../../../../../renderer/features/tasks/PublishForm';
import { LOAD, useTestStore } from '../../storeFixture';
import { community, renderTasks, tasksName, YEAR } from './taskFixture';

const getStore = useTestStore();

const field = (label: string) => screen.getByLabelText(label, { exact: false });
const type = (label: string, value: string) => fireEvent.change(field(label), { target: { value } });

describe('发布任务', () => {
  it('publishes a quarterly standing task for the chosen quarters, and refuses weights that do not add up', async () => {
    const store = getStore();
    await store.createCommunity({ id: community, name: '测试社区' });
    renderTasks(store, <PublishForm community={community} />);
    await screen.findByRole('checkbox', { name: '测试社区' }, LOAD);
    type('文号', `中街督〔${YEAR}〕21号`);
    type('任务名称', '季度消防检查');
    type('任务类别', '安全生产');
    type('牵头单位', '社区居委会');
    type('责任人', '周书记');
    type('领办时限', '2');
    type('办结时限', '15');
    type('任务周期', 'standing');
    type('重复规则', 'quarterly');
    await waitFor(() => expect(screen.getByRole('checkbox', { name: `${YEAR}-Q4` })).toBeTruthy());
    fireEvent.click(screen.getByRole('checkbox', { name: `${YEAR}-Q1` }));
    fireEvent.click(screen.getByRole('checkbox', { name: `${YEAR}-Q2` }));

    fireEvent.click(screen.getByRole('button', { name: '添加节点' }));
    type('节点名称', '检查');
    type('权重（%）', '60');
    expect(screen.getByText('节点权重合计60%，应为100%')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '发布' }));
    await waitFor(() => expect(screen.getByTestId('task-error').textContent).toBe('各节点的权重合计应为100%。'), LOAD);
    expect(listTasks(await store.document(tasksName))).toHaveLength(0);

    type('权重（%）', '100');
    fireEvent.click(screen.getByRole('button', { name: '发布' }));
    await waitFor(() => expect(screen.getByTestId('task-published').textContent).toBe('已发布2项任务实例。'), LOAD);
    const tasks = listTasks(await store.document(tasksName));
    expect(tasks.map((t) => t.period)).toEqual([`${YEAR}-Q3`, `${YEAR}-Q4`]);
    expect(tasks[0]?.template).toMatchObject({
      title: '季度消防检查',
      schedule: { type: 'standing', repeat: 'quarterly' },
      milestones: [{ id: 'm1', title: '检查', weight: 100 }],
    });

    fireEvent.click(screen.getByRole('button', { name: '发布' }));
    await waitFor(
      () => expect(screen.getByTestId('task-published').textContent).toBe('这些周期的任务已经发布过，没有新增。'),
      LOAD,
    );
  });
});
