/**
 * 数据看板 (docs/dashboard-model.md) is never behind its documents: on the fixed data set of fixture.ts, a grid event
 * recorded while the dashboard shows counts at once, and a local day off entered in the community's calendar moves
 * its overdue event's working days over (each community on its own calendar); a long table draws its first 200 rows
 * and says so; after a restart the same figures are drawn from the rows on disk, without opening the documents; the
 * street drawn again after another scope shows an event recorded meanwhile (what was kept is never stale).
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCalendarDay } from '@shared/domain/calendar/commands';
import { reportIncident } from '@shared/domain/incidents/commands';
import { docName } from '@shared/ydoc/docName';
import { WorkstationStore } from '../../../../../renderer/data/store';
import { keysOf, LOAD, useTestStore } from '../../storeFixture';
import { A, B, seedDashboard } from './fixture';
import { kpi, overdueRow, recordEvent, renderOverview } from './screen';

const getStore = useTestStore();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-18T04:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

// Screen tests of a loaded two-core machine take seconds each: a minute and a half each, as the other screens' tests.
describe('数据看板 follows its documents', { timeout: 90_000 }, () => {
  it('counts an event recorded meanwhile, and a local day off of the community, at once', async () => {
    const store = getStore();
    await seedDashboard(store);
    renderOverview(store);
    await waitFor(() => expect(kpi('workload')).toBe('5'), LOAD);
    expect(overdueRow()).toBe('西河A社区楼道堆放杂物张三9');

    await recordEvent(store, A, 'grid-1');
    await waitFor(() => expect(kpi('workload')).toBe('6'), LOAD);

    // Tuesday 17 November a day off in 西河A's own layer: the event due on the 5th is 8 working days over, not 9.
    const set = await store.run(A, setCalendarDay, {
      scope: 'community',
      orgId: A,
      date: '2026-11-17',
      set: { as: 'day', day: { kind: 'holiday', name: '社区议事日' } },
    });
    expect(set.ok).toBe(true);
    await waitFor(() => expect(overdueRow()).toBe('西河A社区楼道堆放杂物张三8'), LOAD);
  });

  it('draws the first 200 rows of a long overdue list and says how many there are', async () => {
    const store = getStore();
    await seedDashboard(store);
    const incidents = await store.document(docName({ community: A, collection: 'incidents', year: 2026 }));
    // 205 more events reported on Monday the 2nd and never accepted: past their one-day acceptance limit.
    vi.setSystemTime(new Date('2026-11-02T03:00:00Z'));
    incidents.transact(() => {
      for (let i = 0; i < 205; i++) {
        const recorded = reportIncident(incidents, store.commandContext(A), {
          community: A,
          title: `事件${i}`,
          content: '居民反映',
          occurredAt: '2026-11-02T01:00:00Z',
          place: { grid: 'grid-1', compound: null, building: null, household: null, text: '' },
          category: 'opinion',
          kind: 'help',
          reporter: { name: '王大爷', phone: '', anonymous: false },
          source: 'resident',
        });
        if (!recorded.ok) throw new Error(JSON.stringify(recorded.error));
      }
    });
    vi.setSystemTime(new Date('2026-11-18T04:00:00Z'));
    renderOverview(store);
    await waitFor(() => expect(kpi('overdue')).toBe('207'), LOAD);
    expect(within(screen.getByTestId('overview-overdue')).getAllByRole('row')).toHaveLength(201);
    expect(screen.getByTestId('overview-overdue-shown').textContent).toBe(
      '共206行，此处显示前200行；导出Excel和打印通报含全部。',
    );
  });

  it('draws the street again from what it kept, and counts what was recorded meanwhile', async () => {
    const store = getStore();
    await seedDashboard(store);
    renderOverview(store);
    await waitFor(() => expect(kpi('workload')).toBe('5'), LOAD);
    const one = kpi('workload');
    fireEvent.click(screen.getByText('本机全部社区（2个）'));
    await waitFor(() => expect(screen.getAllByTestId('overview-ranking-row')).toHaveLength(2), LOAD);
    const street = kpi('workload');
    expect(Number(street)).toBeGreaterThan(Number(one));

    // This community alone, then the street again: the same figures, kept.
    fireEvent.click(screen.getByText('本社区'));
    await waitFor(() => expect(screen.getAllByTestId('overview-ranking-row')).toHaveLength(1), LOAD);
    fireEvent.click(screen.getByText('本机全部社区（2个）'));
    await waitFor(() => expect(screen.getAllByTestId('overview-ranking-row')).toHaveLength(2), LOAD);
    expect(kpi('workload')).toBe(street);

    // An event recorded in 西河B while 西河A alone is shown: the street drawn again counts it.
    fireEvent.click(screen.getByText('本社区'));
    await waitFor(() => expect(screen.getAllByTestId('overview-ranking-row')).toHaveLength(1), LOAD);
    await recordEvent(store, B, 'grid-b');
    await store.flush();
    fireEvent.click(screen.getByText('本机全部社区（2个）'));
    await waitFor(() => expect(screen.getAllByTestId('overview-ranking-row')).toHaveLength(2), LOAD);
    await waitFor(() => expect(kpi('workload')).toBe(String(Number(street) + 1)), LOAD);
  });

  it('draws the same figures after a restart from the rows on disk, without opening the documents', async () => {
    const store = getStore();
    await seedDashboard(store);
    await store.flush();
    const dbName = store.db.name;
    const keys = keysOf(store);
    await store.close();

    const again = await WorkstationStore.open(dbName, { keys });
    try {
      renderOverview(again);
      await waitFor(() => expect(kpi('workload')).toBe('5'), LOAD);
      expect(kpi('overdue')).toBe('2');
      expect(overdueRow()).toBe('西河A社区楼道堆放杂物张三9');
      for (const collection of ['incidents', 'services'] as const) {
        expect(again.docs.isOpen(docName({ community: A, collection, year: 2026 }))).toBe(false);
      }
    } finally {
      cleanup();
      await again.close();
    }
  });
});
