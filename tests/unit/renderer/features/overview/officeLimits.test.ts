/**
 * The dashboard's reading of each office's own time limits on this device (renderer/data/figureRows.ts,
 * renderer/features/overview: docs/dashboard-model.md, "limits"): the limit versions come from the registry's rows, made
 * again whenever the registry changes (a version set or synced, or written behind the keeper's back), while the grid
 * events' rows hold no limits and stay as they are; the per-person figures judge each event by its own community's.
 *
 * November 2026 has no holiday. The office of A sets 投诉举报 to 3 working days and 核查 to 4 from Monday the 16th (on
 * the 10th). Each community records three complaints accepted on Tuesday the 17th and assigned to the building head:
 * - one open: with A's limits due Friday the 20th, so as of Friday the 27th overdue by 5 working days; under the
 *   defaults (15) due 8 December;
 * - one closed (asked on the 23rd, verified on the 24th): late with A's limits, on time under the defaults;
 * - one whose closure was asked on Monday the 23rd and not verified yet: 核查 within 4 working days with A's limits
 *   (due the 27th: not overdue), within 2 under the defaults (due the 25th: 2 working days over on the 27th).
 */
// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
import { RecordsFromRows } from '@shared/domain/dashboard/rows';
import { DEFAULT_WEIGHTS, DEFAULT_THRESHOLDS, streetDashboard } from '@shared/domain/dashboard/street';
import {
  acceptIncident,
  assignIncident,
  requestIncidentClose,
  verifyIncident,
  type IncidentsEnv,
} from '@shared/domain/incidents/commands';
import { DEFAULT_LIMITS, isSchedule, limitsOn, scheduleOf, type IncidentLimits } from '@shared/domain/incidents/limits';
import { setIncidentLimits } from '@shared/domain/incidents/officeLimits';
import { docName, toCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { figureRows } from '../../../../../renderer/data/figureRows';
import { WorkstationStore } from '../../../../../renderer/data/store';
import type { CommunityData } from '../../../../../renderer/features/overview/data';
import { dashboardReport } from '../../../../../renderer/features/overview/report';
import { head, headAssignee, office, report, unwrap } from '../../../shared/domain/incidents/fixtures';
import { makeCtx } from '../../../shared/domain/tasks/fixtures';
import { keysOf, useTestStore } from '../../storeFixture';

const getStore = useTestStore();
const calendar = nationalCalendar();
const A = toCommunityId('xihe-a');
const B = toCommunityId('dongba-b');
const incidentsOf = (community: CommunityId) => docName({ community, collection: 'incidents', year: 2026 });
const registryOf = (community: CommunityId) => docName({ community, collection: 'registry' });
const admin = () => makeCtx(['admin'], { userId: 'u-admin', userName: '社区书记' }, '2026-11-10');
const THREE = { ...DEFAULT_LIMITS, verify: 4, handle: { ...DEFAULT_LIMITS.handle, complaint: 3 } };
const NOVEMBER = { period: { from: '2026-11-01', to: '2026-11-30' }, asOf: '2026-11-27', calendar };

/** The three complaints (above), the commands judged by `limits` as the events screens judge them. */
function complaints(doc: Y.Doc, limits: IncidentLimits) {
  const env: IncidentsEnv = { calendar, limits };
  const accepted = (title: string) => {
    const id = report(doc, office('2026-11-17'), { title, kind: 'complaint' });
    unwrap(acceptIncident(doc, office('2026-11-17'), { incidentId: id }, env));
    unwrap(assignIncident(doc, office('2026-11-17'), { incidentId: id, to: headAssignee, cc: [] }, env));
    return id;
  };
  const open = accepted('路灯不亮');
  const closed = accepted('井盖缺失');
  unwrap(
    requestIncidentClose(doc, head('2026-11-23'), { incidentId: closed, closure: 'substantive', note: '已修' }, env),
  );
  unwrap(verifyIncident(doc, office('2026-11-24'), { incidentId: closed }, env));
  const closing = accepted('垃圾清运');
  unwrap(
    requestIncidentClose(doc, head('2026-11-23'), { incidentId: closing, closure: 'substantive', note: '已清' }, env),
  );
  return open;
}

/** A community's data as the dashboard's screen makes it (data.ts): its rows read with its own limits. */
async function dataOf(store: WorkstationStore, id: CommunityId, name: string): Promise<CommunityData> {
  const keeper = figureRows(store);
  const [rows, limits, cal] = await Promise.all([keeper.rows(incidentsOf(id)), keeper.limits(id), keeper.calendar(id)]);
  const records = new RecordsFromRows([rows], limits);
  return { id, name, calendar: cal, limits, ...records.now, asOf: (day) => records.asOf(day), cases: [] };
}

const overdueOf = (data: CommunityData[]) =>
  streetDashboard(data, { ...NOVEMBER, limits: DEFAULT_LIMITS }).overdue.map((o) => [o.community, o.workdaysOver]);

describe('the dashboard reads each office’s own limits', () => {
  it('from the registry’s rows, made again when a version is written behind the keeper’s back', async () => {
    const store = getStore();
    await store.createCommunity({ id: A, name: '西河A社区' });
    // Another community is the current one: A's registry is not open when the store opens again.
    await store.createCommunity({ id: B, name: '东坝B社区' });
    // Opened as the screens open it, so that its rows are kept on disk beside it.
    await store.document(registryOf(A));
    complaints(await store.document(incidentsOf(A)), DEFAULT_LIMITS);
    await store.flush();
    const dbName = store.db.name;
    const keys = keysOf(store);
    await store.close();

    const again = await WorkstationStore.open(dbName, { keys });
    try {
      const keeper = figureRows(again);
      expect(await keeper.limits(A)).toBe(DEFAULT_LIMITS);
      const rowsBefore = await keeper.rows(incidentsOf(A));
      // Read from the rows on disk: neither document opened.
      expect(again.docs.isOpen(registryOf(A))).toBe(false);
      expect(again.docs.isOpen(incidentsOf(A))).toBe(false);
      // The defaults: the open one not due yet, the closure waiting for 核查 2 working days over.
      expect(overdueOf([await dataOf(again, A, '西河A社区')])).toEqual([[A, 2]]);

      // Another store (another window, a sync written straight to the log) sets the office's limits.
      const other = await WorkstationStore.open(dbName, { keys });
      const registry = await other.docs.get(registryOf(A));
      unwrap(setIncidentLimits(registry, admin(), { effectiveFrom: '2026-11-16', limits: THREE }));
      await other.docs.flush();
      await other.docs.closeAll();
      other.db.close();

      const limits = await keeper.limits(A);
      expect(isSchedule(limits)).toBe(true);
      expect(limitsOn(limits, '2026-11-15').handle.complaint).toBe(15);
      expect(limitsOn(limits, '2026-11-16').handle.complaint).toBe(3);
      // The events' rows hold no limits: the very rows held are used, not made again.
      expect(await keeper.rows(incidentsOf(A))).toBe(rowsBefore);
      expect(overdueOf([await dataOf(again, A, '西河A社区')])).toEqual([[A, 5]]);
      // The registry's rows were stale (another update on disk): it was opened and they were made again.
      expect(again.docs.isOpen(registryOf(A))).toBe(true);
    } finally {
      await again.close();
    }
  });

  it('follows a version arriving by sync into the open registry, and a store opened later reads it from disk', async () => {
    const store = getStore();
    await store.createCommunity({ id: A, name: '西河A社区' });
    complaints(await store.document(incidentsOf(A)), DEFAULT_LIMITS);
    const keeper = figureRows(store);
    expect(await keeper.limits(A)).toBe(DEFAULT_LIMITS);
    const told: string[] = [];
    keeper.onChange((name) => told.push(name));

    const registry = await store.document(registryOf(A));
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(registry));
    unwrap(setIncidentLimits(remote, admin(), { effectiveFrom: '2026-11-16', limits: THREE }));
    Y.applyUpdate(registry, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(registry)), 'sync');
    expect(told).toContain(registryOf(A));
    expect(limitsOn(await keeper.limits(A), '2026-11-17').handle.complaint).toBe(3);
    expect(overdueOf([await dataOf(store, A, '西河A社区')])).toEqual([[A, 5]]);

    await store.flush();
    const dbName = store.db.name;
    const keys = keysOf(store);
    await store.close();
    const again = await WorkstationStore.open(dbName, { keys });
    try {
      expect(limitsOn(await figureRows(again).limits(A), '2026-11-17').handle.complaint).toBe(3);
      expect(overdueOf([await dataOf(again, A, '西河A社区')])).toEqual([[A, 5]]);
    } finally {
      await again.close();
    }
  });

  it('judges each person’s events by their own community’s limits (per-person figures)', async () => {
    const store = getStore();
    await store.createCommunity({ id: A, name: '西河A社区' });
    await store.createCommunity({ id: B, name: '东坝B社区' });
    const xiheLimits = scheduleOf([{ effectiveFrom: '2026-11-16', revision: 1, limits: THREE }]);
    unwrap(
      setIncidentLimits(await store.document(registryOf(A)), admin(), { effectiveFrom: '2026-11-16', limits: THREE }),
    );
    // Each community's events written as its events screens write them, with its own limits.
    complaints(await store.document(incidentsOf(A)), xiheLimits);
    complaints(await store.document(incidentsOf(B)), DEFAULT_LIMITS);
    const data = [await dataOf(store, A, '西河A社区'), await dataOf(store, B, '东坝B社区')];
    const r = dashboardReport(data, {
      choice: { kind: 'month', year: 2026, part: 11 },
      asOf: '2026-11-27',
      calendar,
      limits: DEFAULT_LIMITS,
      weights: DEFAULT_WEIGHTS,
      thresholds: DEFAULT_THRESHOLDS,
    });
    // The head handles six events, three in each community: in A the closed one late, the open one overdue, the
    // closure waiting within its 4 days; in B the closed one on time, the open one not due, the closure waiting past
    // its 2 days.
    const person = r.people.find((p) => p.userId === 'u-head');
    expect(person).toMatchObject({ handled: 6, closedOnTime: 1, onTimeRate: 1 / 6, openOverdue: 2 });
    expect(r.dashboard.overdue.map((o) => [o.community, o.workdaysOver])).toEqual([
      [A, 5],
      [B, 2],
    ]);
    expect(r.dashboard.ranking.map((x) => [x.community, x.kpis.overdue, x.kpis.onTimeRate])).toEqual([
      [B, 1, 1 / 3],
      [A, 1, 0],
    ]);
  });
});
