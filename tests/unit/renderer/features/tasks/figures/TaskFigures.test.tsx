// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import * as ExcelJS from 'exceljs';
import * as Y from 'yjs';
import { toCommunityId } from '@shared/ydoc/docName';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TaskFigures } from '../../../../../../renderer/features/tasks/figures';
import { tasksDoc } from '../../../../../../renderer/features/tasks/data';
import { createGrid } from '@shared/domain/registry/commands';
import { LOAD, useTestStore, value } from '../../../storeFixture';
import { renderMediation, type TestPlatformLog } from '../../../mediation/mediationFixture';
import { september } from './scenario';

const getStore = useTestStore();

// The September of scenario.ts is hand-computed on 2026's working-day calendar, and the screen offers two years back
// and one ahead of today: the screen's today is fixed in October 2026 (only `Date`; timers stay real), so the test
// chooses the same year whatever year it runs in.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-10-15T04:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

/** The hand-computed September of scenario.ts, in the store's documents of two communities held on this computer. */
async function seed() {
  const store = getStore();
  await store.createCommunity({ id: 'xihe-a', name: '西河A社区' });
  await store.createCommunity({ id: 'xihe-b', name: '西河B社区' });
  const { a, b } = september();
  for (const [id, doc] of [
    ['xihe-a', a],
    ['xihe-b', b],
  ] as const) {
    const target = await store.document(tasksDoc(toCommunityId(id), 2026));
    Y.applyUpdate(target, Y.encodeStateAsUpdate(doc));
  }
  return store;
}

function chooseSeptember2026() {
  fireEvent.change(screen.getByLabelText('年份'), { target: { value: '2026' } });
  fireEvent.change(screen.getByLabelText('月份'), { target: { value: '9' } });
  // A year the list does not offer would leave the select where it was: say so here, not in a figure later.
  expect(screen.getByLabelText('年份')).toHaveProperty('value', '2026');
}

describe('任务统计', () => {
  it('shows a community, then every community held here, as of the end of the month chosen', async () => {
    const store = await seed();
    renderMediation(store, <TaskFigures communityId="xihe-a" />);
    chooseSeptember2026();
    await waitFor(() => expect(screen.getByTestId('tf-published').textContent).toBe('3'), LOAD);
    expect(screen.getByLabelText('统计截至')).toHaveProperty('value', '2026-09-30');
    expect(screen.getByTestId('tf-close-rate').textContent).toBe('66.7%');
    expect(screen.getByTestId('tf-on-time-rate').textContent).toBe('33.3%');
    expect(screen.getByTestId('tf-open-overdue').textContent).toBe('1');
    expect(screen.getByTestId('tf-days').textContent).toBe('10.0 / 10.0');
    fireEvent.click(screen.getByText('本机全部社区（2个）'));
    await waitFor(() => expect(screen.getByTestId('tf-published').textContent).toBe('5'));
    expect(screen.getByTestId('tf-on-time-rate').textContent).toBe('50.0%');
    expect(screen.getByTestId('tf-days').textContent).toBe('9.7 / 9.0');
    // Every figure, per community, in the table beside the charts.
    const all = within(screen.getByTestId('tf-all'));
    expect(all.getByText('西河B社区')).toBeTruthy();
    // Per grid: 赵六 is the 网格员 of xihe-b's 第一网格, named with its community when several are shown.
    const registry = await store.registry(toCommunityId('xihe-b'));
    value(
      createGrid(registry.doc, store.commandContext(), {
        name: '第一网格',
        workers: [{ name: '赵六', phone: '13800000000', role: 'grid-worker' }],
      }),
    );
    // The chart and its table, under one title.
    expect(await screen.findByRole('img', { name: '按网格（网格员领办的任务）' }, LOAD)).toBeTruthy();
    await waitFor(() => expect(screen.getAllByText('西河B社区 第一网格').length).toBeGreaterThan(0), LOAD);
    const gridRow = screen
      .getAllByText('西河B社区 第一网格')
      .find((cell) => cell.tagName === 'TD')
      ?.closest('tr');
    expect([...(gridRow?.querySelectorAll('td') ?? [])].map((td) => td.textContent).slice(0, 3)).toEqual([
      '西河B社区 第一网格',
      '2',
      '1',
    ]);
    // As of 09-10 nothing was closed yet.
    fireEvent.change(screen.getByLabelText('统计截至'), { target: { value: '2026-09-10' } });
    // The worker then leaves the field (its calendar closes), as the click on 季度 below would.
    fireEvent.blur(screen.getByLabelText('统计截至'));
    await waitFor(() => expect(screen.getByTestId('tf-closed').textContent).toBe('0'));
    // A quarter holds the same September tasks.
    fireEvent.click(screen.getByText('季度'));
    fireEvent.change(screen.getByLabelText('季度', { selector: 'select' }), { target: { value: '3' } });
    await waitFor(() => expect(screen.getByLabelText('统计截至')).toHaveProperty('value', '2026-09-30'));
    await waitFor(() => expect(screen.getByTestId('tf-published').textContent).toBe('5'));
  });

  it('exports the same numbers to Excel and prints the 通报 on A4 with the ranking and the cards', async () => {
    const store = await seed();
    const log: TestPlatformLog = { printed: [], saved: [] };
    renderMediation(store, <TaskFigures communityId="xihe-a" />, '/', log);
    chooseSeptember2026();
    fireEvent.click(await screen.findByText('本机全部社区（2个）', {}, LOAD));
    await waitFor(() => expect(screen.getByTestId('tf-published').textContent).toBe('5'), LOAD);

    fireEvent.click(screen.getByRole('button', { name: '导出 Excel' }));
    await waitFor(() => expect(log.saved).toHaveLength(1));
    expect(log.saved[0]?.defaultName).toBe('任务督办统计-2026-09.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(log.saved[0]?.content as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
    const byCommunity = workbook.getWorksheet('按社区') as ExcelJS.Worksheet;
    const header = (byCommunity.getRow(2).values as unknown[]).slice(1);
    const cell = (row: number, name: string) => byCommunity.getCell(row, header.indexOf(name) + 1).value;
    expect([cell(3, '排名'), cell(3, '社区'), cell(3, '下达数'), cell(3, '按期办结率')]).toEqual([
      1,
      '西河B社区',
      2,
      1,
    ]);
    expect([cell(4, '排名'), cell(4, '社区'), cell(4, '下达数'), cell(4, '办结数'), cell(4, '退回')]).toEqual([
      2,
      '西河A社区',
      3,
      2,
      1,
    ]);
    expect(workbook.getWorksheet('督办卡')?.getCell(3, 1).value).toBe('黄牌');

    fireEvent.click(screen.getByRole('button', { name: '打印通报' }));
    const bulletin = within(await screen.findByTestId('task-bulletin'));
    expect(bulletin.getByText('任务督办情况通报')).toBeTruthy();
    expect(bulletin.getByText(/2026年9月（2026-09-01 至 2026-09-30），统计截至 2026-09-30/)).toBeTruthy();
    expect(screen.getByTestId('bulletin-overall').textContent).toContain('本期共下达任务 5 项');
    expect(screen.getByTestId('bulletin-overall').textContent).toContain('按期办结率 50.0%');
    const rows = within(screen.getByTestId('bulletin-communities')).getAllByRole('row');
    expect(rows[1]?.textContent).toMatch(/^1西河B社区2/);
    expect(rows[2]?.textContent).toMatch(/^2西河A社区3/);
    const cards = within(screen.getByTestId('bulletin-cards')).getAllByRole('row');
    expect(cards.map((r) => r.textContent)).toEqual([
      expect.stringContaining('级别'),
      expect.stringContaining('黄牌西河B社区'),
      expect.stringContaining('已撤销'),
    ]);
    // The bulletin's own print button prints on A4.
    const printButtons = screen.getAllByRole('button', { name: '打印通报' });
    fireEvent.click(printButtons[printButtons.length - 1] as HTMLElement);
    await waitFor(() =>
      expect(log.printed).toEqual([{ defaultName: '任务督办情况通报-2026年9月.pdf', pageSize: 'A4' }]),
    );
  });
});
