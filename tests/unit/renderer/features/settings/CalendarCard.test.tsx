/**
 * 设置 → 工作日历 (docs/tasks-model.md, "working-day calendar"): the days of a year with where each comes from, an
 * admin's edit of the community's layer, and the open tasks' deadlines recomputed on the new calendar.
 */
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { addWorkdays, nationalCalendar } from '@shared/domain/calendar';
import { publishTask } from '@shared/domain/tasks/commands';
import { docName, toCommunityId } from '@shared/ydoc/docName';
import { setMetaFields } from '@shared/ydoc/registry';
import { readTask } from '@shared/ydoc/tasks';
import { CalendarCard } from '../../../../../renderer/features/settings/CalendarCard';
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
  template,
  today,
  YEAR,
} from '../tasks/taskFixture';

const getStore = useTestStore();

async function seed(role: 'admin' | 'editor') {
  const store = getStore();
  await store.createCommunity({ id: community, name: '西河社区' });
  await store.setCurrentCommunity(community);
  const { doc } = await store.registry(community);
  setMetaFields(doc, { districtName: '顺庆区', streetName: '舞凤街道' });
  store.setAccountRole(role);
  return store;
}

describe('工作日历 in settings', () => {
  it('lists the days off of a year from the national notice, and an admin adds a local closure that moves open deadlines', async () => {
    const store = await seed('admin');
    const taskId = await publish(store, { claimLimit: 3 });
    const before = readTask(await store.document(tasksName), taskId)?.deadlines.claimDue;
    expect(before?.date).toBe(addWorkdays(nationalCalendar(), today, 3).date);
    renderTasks(store, <CalendarCard />);

    // The last year the seed covers: its National Day comes from the State Council's notice.
    const last = String(nationalCalendar().lastYear);
    fireEvent.change(await screen.findByLabelText('年份', {}, LOAD), { target: { value: last } });
    const national = screen.getAllByTestId('calendar-day').find((row) => row.textContent.startsWith(`${last}-10-01`));
    expect(national?.textContent).toBe(`${last}-10-01放假国庆节国务院通知`);

    // The community closes on the day the task was to be claimed by.
    fireEvent.change(screen.getByLabelText('修改哪一级'), { target: { value: 'community' } });
    fireEvent.change(screen.getByLabelText('日期'), { target: { value: before?.date } });
    fireEvent.change(screen.getByLabelText('设为'), { target: { value: 'holiday' } });
    fireEvent.change(screen.getByLabelText(/名称/), { target: { value: '停电检修' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(
      () => expect(screen.getByTestId('calendar-message').textContent).toBe('已保存，日历已更新为第 1 版。'),
      LOAD,
    );
    await waitFor(
      () => expect(screen.getByTestId('calendar-version').textContent).toContain(`+community:${community}#1`),
      LOAD,
    );
    fireEvent.change(screen.getByLabelText('年份'), { target: { value: before?.date.slice(0, 4) } });
    const local = screen.getAllByTestId('calendar-day').find((row) => row.textContent.startsWith(before?.date ?? '-'));
    expect(local?.textContent).toBe(`${before?.date}放假停电检修本社区`);

    // The preview lists the claim deadline moving one working day later; applying writes it.
    const recompute = screen.getByTestId('calendar-recompute');
    fireEvent.click(within(recompute).getByRole('button', { name: '按新日历重算任务期限' }));
    await waitFor(
      () => expect(screen.getByTestId('calendar-preview').textContent).toMatch(/^\d+ 个期限日期会改变/),
      LOAD,
    );
    const moved = addWorkdays(nationalCalendar(), today, 4).date;
    const claim = screen.getAllByTestId('calendar-change').find((row) => row.textContent.includes('领办期限'));
    expect(claim?.textContent).toContain(`${before?.date}${moved}`);
    fireEvent.click(screen.getByRole('button', { name: '按新日历重算' }));
    await waitFor(
      () => expect(screen.getByTestId('calendar-applied').textContent).toBe('已重算 1 项任务的期限。'),
      LOAD,
    );
    await waitFor(
      () => expect(screen.getByTestId('calendar-preview').textContent).toBe('所有进行中任务的期限都已按当前日历计算。'),
      LOAD,
    );
    const after = readTask(await store.document(tasksName), taskId)?.deadlines.claimDue;
    expect(after?.date).toBe(moved);
    expect(after?.calendarVersion).toContain(`+community:${community}#1`);
  });

  it('offers no editing and no recomputation to an editor', async () => {
    const store = await seed('editor');
    renderTasks(store, <CalendarCard />);
    await screen.findByTestId('calendar-version', {}, LOAD);
    expect(screen.queryByRole('form', { name: '修改日历' })).toBeNull();
    expect(screen.queryByTestId('calendar-recompute')).toBeNull();
  });

  it('a district edit on a device holding two communities of the district reaches both, and both are recomputed', async () => {
    const store = await seed('admin');
    const other = toCommunityId('test-tasks-b');
    await store.createCommunity({ id: other, name: '东湖社区' });
    await store.setCurrentCommunity(community);
    setMetaFields((await store.registry(other)).doc, { districtName: '顺庆区', streetName: '北城街道' });
    // A task in the other community, to be claimed within three working days.
    const doc = await store.document(docName({ community: other, collection: 'tasks', year: YEAR }));
    const [taskId = ''] = must(
      publishTask(
        doc,
        ctxOf(['tasks.supervise'], STREET),
        { template: template({ claimLimit: 3, title: '东湖的任务' }), community: other, periods: [String(YEAR)] },
        env,
      ),
    );
    const before = readTask(doc, taskId)?.deadlines.claimDue.date ?? '';
    renderTasks(store, <CalendarCard />);

    // The district closes on that day, from 西河's settings.
    fireEvent.change(await screen.findByLabelText('修改哪一级', {}, LOAD), { target: { value: 'district' } });
    expect(screen.getByText(/同时写入本机保存的/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('日期'), { target: { value: before } });
    fireEvent.change(screen.getByLabelText('设为'), { target: { value: 'holiday' } });
    fireEvent.change(screen.getByLabelText(/名称/), { target: { value: '区级停电' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(
      () =>
        expect(screen.getByTestId('calendar-message').textContent).toBe('已保存，日历已更新为第 1 版。已写入2个社区。'),
      LOAD,
    );

    // 东湖's open task moves with it: listed with its community, then recomputed.
    fireEvent.click(
      within(screen.getByTestId('calendar-recompute')).getByRole('button', { name: '按新日历重算任务期限' }),
    );
    const moved = addWorkdays(nationalCalendar(), today, 4).date;
    await waitFor(() => {
      const claim = screen.getAllByTestId('calendar-change').find((row) => row.textContent.includes('领办期限'));
      expect(claim?.textContent).toBe(`东湖社区 东湖的任务领办期限${before}${moved}`);
    }, LOAD);
    fireEvent.click(screen.getByRole('button', { name: '按新日历重算' }));
    await waitFor(() => expect(screen.getByTestId('calendar-applied')).toBeTruthy(), LOAD);
    expect(readTask(doc, taskId)?.deadlines.claimDue.date).toBe(moved);
    expect(readTask(doc, taskId)?.deadlines.claimDue.calendarVersion).toContain('+district:顺庆区#1');
  });
});
