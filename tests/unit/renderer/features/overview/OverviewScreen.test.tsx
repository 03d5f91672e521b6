/**
 * 数据看板 (issue 20) on the fixed data set of fixture.ts: the KPI cards with the previous period, the ranking and its
 * weights, the overdue list, the street's scope, and the exported workbook, each equal to the figures computed by
 * hand in fixture.ts.
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import * as ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type { SaveFileRequest } from '@shared/ipc/contract';
import { StoreProvider } from '../../../../../renderer/data/hooks';
import type { WorkstationStore } from '../../../../../renderer/data/store';
import { OverviewScreen } from '../../../../../renderer/features/overview/OverviewScreen';
import { PlatformProvider } from '../../../../../renderer/platform';
import { testPlatform } from '../../meetings/meetingFixture';
import { renderUi } from '../../render';
import { LOAD, useTestStore } from '../../storeFixture';
import { seedDashboard } from './fixture';

const getStore = useTestStore();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-18T04:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

function renderOverview(store: WorkstationStore, saved: SaveFileRequest[] = [], printed: unknown[] = []) {
  const location = memoryLocation({ path: '/', record: true });
  return renderUi(
    <PlatformProvider
      platform={testPlatform(printed, {
        saveFile: (request) => {
          saved.push(request);
          return Promise.resolve({ path: `/tmp/${request.defaultName}`, bytes: request.content.length });
        },
      })}
    >
      <StoreProvider store={store}>
        <Router hook={location.hook}>
          <OverviewScreen />
        </Router>
      </StoreProvider>
    </PlatformProvider>,
  );
}

const kpi = (key: string) => screen.getByTestId(`ov-kpi-${key}`).textContent;
const rankingRows = () =>
  screen.getAllByTestId('overview-ranking-row').map((row) =>
    within(row)
      .getAllByRole('cell')
      .map((cell) => cell.textContent),
  );

describe('数据看板', () => {
  it('shows this community, then the street, with the hand-computed KPIs and ranking', async () => {
    const store = getStore();
    await seedDashboard(store);
    renderOverview(store);
    // 西河A社区 alone: 4 applications and the event; due 3 + 1, done 2, on time 1, ratings 5 and 2.
    await waitFor(() => expect(kpi('workload')).toBe('5'), LOAD);
    expect(kpi('closeRate')).toBe('50.0%');
    expect(kpi('onTimeRate')).toBe('25.0%');
    expect(kpi('averageWorkdays')).toBe('5.0');
    expect(kpi('satisfaction')).toBe('50.0%');
    expect(kpi('overdue')).toBe('2');

    fireEvent.click(screen.getByRole('radio', { name: '本机全部社区（2个）' }));
    await waitFor(() => expect(kpi('workload')).toBe('7'));
    expect(kpi('closeRate')).toBe('50.0%');
    expect(kpi('onTimeRate')).toBe('33.3%');
    expect(kpi('averageWorkdays')).toBe('3.7');
    expect(kpi('satisfaction')).toBe('66.7%');
    expect(kpi('overdue')).toBe('2');
    expect(kpi('openCards')).toBe('0');
    // The previous period (2-31 October) held nothing: the count rose by 7, a rate has nothing to compare with.
    expect(screen.getByTestId('ov-kpi-workload-note').textContent).toBe('上期0，变化+7');
    expect(screen.getByTestId('ov-kpi-closeRate-note').textContent).toBe('上期—，变化—');

    expect(rankingRows()).toEqual([
      ['1', '西河B社区', '67.5', 'C', '50.0%', '50.0%', '100.0%', '按期办结率低于警戒线', '2', '0'],
      ['2', '西河A社区', '42.5', 'D', '25.0%', '50.0%', '50.0%', '满意率低于警戒线、按期办结率低于警戒线', '5', '2'],
    ]);
    // The overdue event with its owner and working days over; the hot spots; the person who recorded it.
    const overdue = within(screen.getByTestId('overview-overdue'));
    expect(overdue.getAllByRole('row')[1]?.textContent).toBe('西河A社区楼道堆放杂物张三9');
    expect(within(screen.getByTestId('overview-trend')).getAllByRole('row')[1]?.textContent).toBe('2026-1110');
    expect(within(screen.getByTestId('overview-categories')).getAllByRole('row')[1]?.textContent).toBe('社情民意1—');
  });

  it('ranks again with other weights, and keeps the last weights that add up to 100 while they do not', async () => {
    const store = getStore();
    await seedDashboard(store);
    renderOverview(store);
    await waitFor(() => expect(kpi('workload')).toBe('5'), LOAD);
    fireEvent.click(screen.getByRole('radio', { name: '本机全部社区（2个）' }));
    await waitFor(() => expect(rankingRows()).toHaveLength(2));

    fireEvent.change(screen.getByLabelText('按期办结率权重'), { target: { value: '0' } });
    expect(screen.getByTestId('overview-weights-error').textContent).toBe(
      '三项权重合计须为100；排名仍按30／35／35计算。',
    );
    expect(rankingRows()[0]?.[2]).toBe('67.5');
    fireEvent.change(screen.getByLabelText('满意率权重'), { target: { value: '65' } });
    // 办结率 35 and 满意率 65: A 35 × 50 % + 65 × 50 % = 50; B 35 × 50 % + 65 × 100 % = 82.5.
    await waitFor(() => expect(screen.queryByTestId('overview-weights-error')).toBeNull());
    expect(rankingRows().map((r) => r.slice(0, 4))).toEqual([
      ['1', '西河B社区', '82.5', 'B'],
      ['2', '西河A社区', '50.0', 'D'],
    ]);
  });

  it('exports the same figures to a workbook and prints the 通报 on A4', async () => {
    const store = getStore();
    await seedDashboard(store);
    const saved: SaveFileRequest[] = [];
    const printed: unknown[] = [];
    renderOverview(store, saved, printed);
    await waitFor(() => expect(kpi('workload')).toBe('5'), LOAD);
    fireEvent.click(screen.getByRole('radio', { name: '本机全部社区（2个）' }));
    await waitFor(() => expect(kpi('workload')).toBe('7'));

    fireEvent.click(screen.getByRole('button', { name: '导出Excel' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]?.defaultName).toBe('数据看板-2026-11.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(saved[0]?.content as unknown as ArrayBuffer);
    const kpis = workbook.getWorksheet('核心指标');
    const values = (sheet: ExcelJS.Worksheet | undefined, row: number) =>
      (sheet?.getRow(row).values as unknown[]).slice(1);
    expect(values(kpis, 2)).toEqual(['指标', '本期', '上期', '变化']);
    expect(values(kpis, 3)).toEqual(['工作量', 7, 0, 7]);
    expect(values(kpis, 4).slice(0, 2)).toEqual(['办结率', 0.5]);
    expect(values(kpis, 5)[1]).toBeCloseTo(2 / 6, 10);
    expect(values(kpis, 6)[1]).toBeCloseTo(11 / 3, 10);
    expect(values(kpis, 7)[1]).toBeCloseTo(2 / 3, 10);
    expect(values(kpis, 8).slice(0, 2)).toEqual(['超期未办', 2]);
    const ranking = workbook.getWorksheet('社区排名');
    expect(values(ranking, 3).slice(0, 4)).toEqual([1, '西河B社区', 67.5, 'C']);
    expect(values(ranking, 4).slice(0, 4)).toEqual([2, '西河A社区', 42.5, 'D']);
    expect(values(workbook.getWorksheet('超期事件'), 3)).toEqual(['西河A社区', '楼道堆放杂物', '张三', 9]);

    fireEvent.click(screen.getByRole('button', { name: '打印通报' }));
    const bulletin = await screen.findByTestId('overview-bulletin');
    expect(within(bulletin).getByTestId('overview-bulletin-overall').textContent).toBe(
      '本期共受理各类事项7件（上期0件），办结率50.0%，按期办结率33.3%（上期—），平均用时3.7个工作日，群众满意率66.7%（上期—）；目前超期未办2件，在督黄红牌0张。',
    );
    fireEvent.click(within(document.body).getAllByRole('button', { name: '打印通报' })[1] as HTMLElement);
    await waitFor(() => expect(printed).toEqual([{ defaultName: '工作情况通报-2026年11月', pageSize: 'A4' }]));
  });
});
