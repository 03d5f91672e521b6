/**
 * 工作台's 我的任务 (issue 19): the tasks waiting for the person at the keyboard, inside 今天要办: those to claim, those
 * the person holds (with working days left and open cards), and for the street those to verify; each a link to the
 * task's page. Someone else's task is not listed.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { claimTask, raiseCard, requestClose, requestExtension } from '@shared/domain/tasks/commands';
import { nationalCalendar } from '@shared/domain/calendar';
import { reportSchedule } from '@shared/domain/tasks/reports';
import { readTask } from '@shared/ydoc/tasks';
import { DashboardScreen } from '../../../../../renderer/features/dashboard/DashboardScreen';
import { LOAD, useTestStore } from '../../storeFixture';
import {
  community,
  ctxOf,
  env,
  must,
  publish,
  renderTasks,
  STREET,
  tasksName,
  today,
  WORKER,
  YEAR,
} from '../tasks/taskFixture';

const getStore = useTestStore();

function must1<T>(value: T | null): T {
  if (value === null) throw new Error('missing');
  return value;
}
const ME = { userId: 'u-me', userName: '社区李四' };

describe('我的任务 on 工作台', () => {
  it('lists what waits for me, with due and cards, linking to each task; the street sees what to verify', async () => {
    const store = getStore();
    store.actAs({ id: ME.userId, name: ME.userName, createdBy: null });
    await store.createCommunity({ id: community, name: '测试社区' });
    store.setAccountRole('editor');
    const toClaim = await publish(store, { title: '待我领办' });
    const mine = await publish(store, { title: '我在办的' });
    const theirs = await publish(store, { title: '别人在办的' });
    const doc = await store.document(tasksName);
    must(
      claimTask(doc, ctxOf(['tasks.edit'], ME), { taskId: mine, owner: { name: ME.userName, ref: ME.userId } }, env),
    );
    must(
      claimTask(
        doc,
        ctxOf(['tasks.edit'], WORKER),
        { taskId: theirs, owner: { name: WORKER.userName, ref: WORKER.userId } },
        env,
      ),
    );
    must(raiseCard(doc, ctxOf(['tasks.supervise'], STREET), { taskId: mine, level: 'red', reason: '进度滞后' }, env));
    must(
      requestClose(
        doc,
        ctxOf(['tasks.edit'], WORKER),
        { taskId: theirs, closure: 'substantive', reason: '已完成' },
        env,
      ),
    );

    const view = renderTasks(store, <DashboardScreen />);
    const section = await screen.findByTestId('today-tasks', {}, LOAD);
    await waitFor(() => expect(within(section).getAllByTestId('today-task')).toHaveLength(2));
    expect(section.textContent).toContain('我的任务（2项）');
    expect(section.textContent).not.toContain('别人在办的');
    const lines = within(section).getAllByTestId('today-task');
    const claimLine = lines.find((l) => l.textContent.includes('待我领办'));
    expect(claimLine?.textContent).toContain('待领办');
    expect(claimLine?.textContent).toMatch(/剩\d+个工作日/);
    const held = lines.find((l) => l.textContent.includes('我在办的'));
    expect(held?.textContent).toContain('红牌');
    expect(held?.textContent).toContain('1张督办单未回复');
    // A weekly report is owed by the holder (the fixture's frequency), by this week's or next week's last working day.
    const owed = reportSchedule(must1(readTask(doc, mine)), nationalCalendar(), today);
    expect(owed?.reportedNow).toBe(false);
    expect(within(held as HTMLElement).getByTestId('today-task-report').textContent).toBe(`进度报送：${owed?.due}前`);
    expect(claimLine?.querySelector('[data-testid="today-task-report"]')).toBeNull();
    expect(
      within(section)
        .getByRole('link', { name: /待我领办/ })
        .getAttribute('href'),
    ).toBe(`/tasks/t/${YEAR}/${encodeURIComponent(toClaim)}`);
    view.unmount();

    // The street (an admin) is asked to verify the request of someone else's task, and to decide an extension asked.
    must(requestExtension(doc, ctxOf(['tasks.edit'], ME), { taskId: mine, days: 3, reason: '等待材料' }, env));
    store.setAccountRole('admin');
    renderTasks(store, <DashboardScreen />);
    const street = await screen.findByTestId('today-tasks', {}, LOAD);
    await waitFor(() => expect(street.textContent).toContain('别人在办的'));
    const verify = within(street)
      .getAllByTestId('today-task')
      .find((l) => l.textContent.includes('别人在办的'));
    expect(verify?.textContent).toContain('待核验');
    const decide = within(street)
      .getAllByTestId('today-task')
      .find((l) => l.textContent.includes('我在办的'));
    expect(decide?.textContent).toContain('延期待审批');
  });
});
