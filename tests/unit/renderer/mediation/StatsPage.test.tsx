// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import * as ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  escalateCase,
  reachCaseAgreement,
  recordCaseFollowUp,
  recordCaseOutcome,
  recordCaseVisit,
  startCasePerformance,
} from '@shared/domain/mediation/commands';
import { chinaDate } from '@shared/domain/dates';
import { MediationDashboard } from '../../../../renderer/features/mediation/MediationDashboard';
import { StatsPage } from '../../../../renderer/features/mediation/StatsPage';
import { LOAD, useTestStore } from '../storeFixture';
import {
  casesName,
  community,
  intake,
  must,
  renderMediation,
  seedCase,
  seedRegistry,
  type TestPlatformLog,
} from './mediationFixture';

const getStore = useTestStore();
const DAY = 86_400_000;

/**
 * Three cases this year: an oral agreement at the building head with a follow-up (5), one escalated to the committee
 * and settled there, one without agreement.
 */
async function seedYear() {
  const store = getStore();
  const doc = await store.document(casesName);
  const ctx = store.commandContext();
  const { registry, building } = await seedRegistry(store);
  const place = { buildingId: building, householdId: null, address: '3栋' };
  const oral = await seedCase(store, intake({ category: 'water-leak', place }), { registry });
  must(recordCaseVisit(doc, ctx, { caseId: oral, kind: 'talk', by: '周楼长' }));
  must(reachCaseAgreement(doc, ctx, { caseId: oral, kind: 'oral', terms: '修复防水', mediatorName: '赵调解' }));
  must(startCasePerformance(doc, ctx, { caseId: oral }));
  must(
    recordCaseFollowUp(doc, ctx, {
      caseId: oral,
      date: chinaDate(new Date()),
      visitor: '刘院长',
      performance: 'performed',
      satisfaction: 5,
    }),
  );
  const committee = await seedCase(store, intake({ category: 'noise', place }), { registry });
  must(escalateCase(doc, ctx, { caseId: committee, reason: '楼栋长调解不成' }));
  must(escalateCase(doc, ctx, { caseId: committee, reason: '院长调解不成' }));
  must(
    reachCaseAgreement(doc, ctx, { caseId: committee, kind: 'oral', terms: '晚十点后停止', mediatorName: '赵调解' }),
  );
  const failed = await seedCase(store, intake({ category: 'noise' }));
  must(recordCaseOutcome(doc, ctx, { caseId: failed, outcome: { kind: 'no-agreement', routesTold: ['court'] } }));
  return store;
}

describe('mediation statistics', () => {
  it('counts accepted, settled, the rates and satisfaction for the chosen period', async () => {
    const store = await seedYear();
    renderMediation(store, <StatsPage community={community} />);
    await waitFor(() => expect(screen.getByTestId('stat-accepted').textContent).toBe('3'), LOAD);
    expect(screen.getByTestId('stat-settled').textContent).toBe('2');
    expect(screen.getByTestId('stat-settlement-rate').textContent).toBe('66.7%');
    // The committee case was escalated away from the building, so only one is settled on the spot.
    expect(screen.getByTestId('stat-on-the-spot-rate').textContent).toBe('33.3%');
    expect(screen.getByTestId('stat-on-time-rate').textContent).toBe('100.0%');
    expect(screen.getByTestId('stat-satisfaction').textContent).toBe('5.0');
    // A period before any case: nothing accepted, rates without a denominator show a dash.
    fireEvent.change(screen.getByLabelText('截止日期'), { target: { value: '2000-01-31' } });
    fireEvent.change(screen.getByLabelText('起始日期'), { target: { value: '2000-01-01' } });
    await waitFor(() => expect(screen.getByTestId('stat-accepted').textContent).toBe('0'));
    expect(screen.getByTestId('stat-settlement-rate').textContent).toBe('—');
  });

  it('exports the figures, by category, by level and the cases to Excel through the platform', async () => {
    const store = await seedYear();
    const log: TestPlatformLog = { printed: [], saved: [] };
    renderMediation(store, <StatsPage community={community} />, '/', log);
    await waitFor(() => expect(screen.getByTestId('stat-accepted').textContent).toBe('3'), LOAD);
    fireEvent.click(screen.getByRole('button', { name: '导出 Excel' }));
    await screen.findByText('已导出 3 件案件', {}, LOAD);
    expect(log.saved[0]!.defaultName).toMatch(/^调解统计_\d{4}-01-01_\d{4}-\d{2}-\d{2}\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(log.saved[0]!.content as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('调解统计')!;
    expect(summary.getRow(1).values).toEqual(expect.arrayContaining(['受理数', '调解成功数', '调解成功率']));
    expect(summary.getRow(2).getCell(2).value).toBe(3);
    expect(summary.getRow(2).getCell(3).value).toBe(2);
    const byCategory = workbook.getWorksheet('按类别')!;
    const noise = byCategory.getRows(2, 8)!.find((row) => row.getCell(1).value === '噪音扰民')!;
    expect([noise.getCell(2).value, noise.getCell(3).value]).toEqual([2, 1]);
    expect(workbook.getWorksheet('调解案件')!.rowCount).toBe(4);
  });

  it('shows overdue and near-deadline cases first on the dashboard card', async () => {
    const store = getStore();
    await seedCase(store, intake({ facts: 'new' }));
    await seedCase(store, intake({ facts: 'late' }), { now: new Date(Date.now() - 40 * DAY) });
    await store.db.communities.put({ id: community, name: '西河社区', addedAt: 1, lastOpenedAt: 1 });
    renderMediation(store, <MediationDashboard />);
    await waitFor(() => expect(screen.getByTestId('dashboard-red').textContent).toBe('已超期 1 件'), LOAD);
    expect(screen.getByTestId('dashboard-yellow').textContent).toBe('临近期限 0 件');
    const links = screen.getAllByRole('link').filter((a) => a.getAttribute('href')?.includes('/case/'));
    expect(links).toHaveLength(2);
    expect(links[0]!.closest('li')!.textContent).toContain('已超期');
  });
});
