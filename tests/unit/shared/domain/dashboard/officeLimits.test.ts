/**
 * The dashboard judges each community's grid events by its own office's time limits (docs/dashboard-model.md,
 * "limits"; docs/incidents-model.md, "an office's own limits"), each stage with the version in force on the day it
 * started, as the events screens do, both from the full fold and from the figure rows (which hold no limits).
 *
 * November 2026 has no holiday (Monday the 2nd, 9th, 16th, 23rd, 30th). 西河's office sets 投诉举报 to 3 working days
 * and 受理 to 2 from Monday 16 November (set on the 10th); 东坝 keeps the Sichuan defaults (15 and 1). Both
 * communities record the same four complaints, the commands judged by their own office's limits as the events screens
 * judge them:
 * - e1 reported and accepted Monday 9 November (before the change): 15 working days in both, due Monday 30 November;
 * - e2 reported and accepted Tuesday 17 November, assigned to the building head: in 西河 3 working days, due Friday
 *   20 November, so as of Friday 27 November it is overdue by 5 working days (23rd-27th); in 东坝 due 8 December;
 * - e3 accepted Tuesday 17 November, closure asked on Monday the 23rd and verified on the 24th: in 西河 late (due the
 *   20th), in 东坝 on time;
 * - e4 reported Tuesday 17 November and not accepted: in 西河 2 working days to accept, due the 19th (6 working days
 *   over as of the 27th), in 东坝 1, due the 18th (7 over).
 * As of 27 November: 西河 closes 1 of 4, 0 on time, 2 overdue; 东坝 closes 1 of 4, 1 on time, 1 overdue.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
import { figureRowsOf, RecordsFromRows } from '@shared/domain/dashboard/rows';
import { streetDashboard, type CommunityHistories } from '@shared/domain/dashboard/street';
import {
  acceptIncident,
  assignIncident,
  requestIncidentClose,
  verifyIncident,
  type IncidentsEnv,
} from '@shared/domain/incidents/commands';
import { DEFAULT_LIMITS, scheduleOf, type IncidentLimits } from '@shared/domain/incidents/limits';
import { listIncidents } from '@shared/ydoc/incidents';
import { head, headAssignee, office, report, unwrap } from '../incidents/fixtures';

const calendar = nationalCalendar();
const XIHE_LIMITS: IncidentLimits = scheduleOf([
  {
    effectiveFrom: '2026-11-16',
    revision: 1,
    limits: { ...DEFAULT_LIMITS, accept: 2, handle: { ...DEFAULT_LIMITS.handle, complaint: 3 } },
  },
]);

/** The three complaints of a community whose events are judged by `limits`; returns the document and their ids. */
function events(limits: IncidentLimits) {
  const env: IncidentsEnv = { calendar, limits };
  const doc = new Y.Doc();
  const accepted = (day: string, title: string) => {
    const id = report(doc, office(day), { title, kind: 'complaint' });
    unwrap(acceptIncident(doc, office(day), { incidentId: id }, env));
    unwrap(assignIncident(doc, office(day), { incidentId: id, to: headAssignee, cc: [] }, env));
    return id;
  };
  const e1 = accepted('2026-11-09', '楼道堆放杂物');
  const e2 = accepted('2026-11-17', '路灯不亮');
  const e3 = accepted('2026-11-17', '井盖缺失');
  unwrap(requestIncidentClose(doc, head('2026-11-23'), { incidentId: e3, closure: 'substantive', note: '已修' }, env));
  unwrap(verifyIncident(doc, office('2026-11-24'), { incidentId: e3 }, env));
  const e4 = report(doc, office('2026-11-17'), { title: '噪音扰民', kind: 'complaint' });
  return { doc, e1, e2, e3, e4 };
}

const NOVEMBER = { period: { from: '2026-11-01', to: '2026-11-30' }, asOf: '2026-11-27', calendar };

function full(id: string, name: string, doc: Y.Doc, limits: IncidentLimits): CommunityHistories {
  return { id, name, limits, incidents: listIncidents(doc, limits), services: [], tasks: [] };
}

/** As the dashboard reads it: from the document's figure rows (made without limits), with the office's limits. */
function fromRows(id: string, name: string, doc: Y.Doc, limits: IncidentLimits): CommunityHistories {
  const rows = JSON.parse(JSON.stringify(figureRowsOf('incidents', doc))) as ReturnType<typeof figureRowsOf>;
  const records = new RecordsFromRows([rows], limits);
  return { id, name, limits, ...records.now, asOf: (day) => records.asOf(day) };
}

describe('the dashboard with each office’s own limits', () => {
  const xihe = events(XIHE_LIMITS);
  const dongba = events(DEFAULT_LIMITS);

  for (const [how, read] of [
    ['the full fold', full],
    ['the figure rows', fromRows],
  ] as const) {
    it(`counts an event accepted before the change with the old limit and one after with the new (${how})`, () => {
      const d = streetDashboard([read('xihe', '西河社区', xihe.doc, XIHE_LIMITS)], {
        ...NOVEMBER,
        // The options' limits judge only a community given without its own: the wrong ones on purpose.
        limits: DEFAULT_LIMITS,
      });
      const kpi = Object.fromEntries(d.kpis.map((k) => [k.key, k.value]));
      expect(kpi).toMatchObject({ workload: 4, closeRate: 1 / 4, onTimeRate: 0, overdue: 2 });
      expect(d.overdue).toEqual([
        { community: 'xihe', incidentId: xihe.e4, title: '噪音扰民', owner: null, workdaysOver: 6 },
        { community: 'xihe', incidentId: xihe.e2, title: '路灯不亮', owner: headAssignee.name, workdaysOver: 5 },
      ]);
      // e1 (before the change) keeps 15 working days: due on the 30th, not overdue as of the 27th nor the 30th.
      const onThe30th = streetDashboard([read('xihe', '西河社区', xihe.doc, XIHE_LIMITS)], {
        ...NOVEMBER,
        asOf: '2026-11-30',
        limits: DEFAULT_LIMITS,
      });
      expect(onThe30th.overdue.map((o) => [o.incidentId, o.workdaysOver])).toEqual([
        [xihe.e4, 7],
        [xihe.e2, 6],
      ]);
      expect(onThe30th.overdue.some((o) => o.incidentId === xihe.e1)).toBe(false);
      expect(
        streetDashboard([read('xihe', '西河社区', xihe.doc, XIHE_LIMITS)], {
          ...NOVEMBER,
          asOf: '2026-12-01',
          limits: DEFAULT_LIMITS,
        }).overdue.map((o) => [o.incidentId, o.workdaysOver]),
      ).toEqual([
        [xihe.e4, 8],
        [xihe.e2, 7],
        [xihe.e1, 1],
      ]);
    });

    it(`ranks a street of two communities each by its own limits (${how})`, () => {
      const d = streetDashboard(
        [read('xihe', '西河社区', xihe.doc, XIHE_LIMITS), read('dongba', '东坝社区', dongba.doc, DEFAULT_LIMITS)],
        { ...NOVEMBER, limits: DEFAULT_LIMITS },
      );
      const row = (id: string) => d.ranking.find((r) => r.community === id);
      expect(row('xihe')?.kpis).toMatchObject({ workload: 4, closeRate: 1 / 4, onTimeRate: 0, overdue: 2 });
      expect(row('dongba')?.kpis).toMatchObject({ workload: 4, closeRate: 1 / 4, onTimeRate: 1 / 4, overdue: 1 });
      expect(row('xihe')?.incidents).toMatchObject({ due: 4, closed: 1, closedOnTime: 0, open: 3, openOverdue: 2 });
      expect(row('dongba')?.incidents).toMatchObject({ due: 4, closed: 1, closedOnTime: 1, open: 3, openOverdue: 1 });
      const kpi = Object.fromEntries(d.kpis.map((k) => [k.key, k.value]));
      expect(kpi).toMatchObject({ workload: 8, closeRate: 2 / 8, onTimeRate: 1 / 8, overdue: 3 });
      expect(d.overdue.map((o) => [o.community, o.incidentId, o.workdaysOver])).toEqual([
        ['dongba', dongba.e4, 7],
        ['xihe', xihe.e4, 6],
        ['xihe', xihe.e2, 5],
      ]);

      // The same street read and judged by the defaults for both (the dashboard before): 西河's e2 not overdue.
      const before = streetDashboard(
        [read('xihe', '西河社区', xihe.doc, DEFAULT_LIMITS), read('dongba', '东坝社区', dongba.doc, DEFAULT_LIMITS)],
        { ...NOVEMBER, limits: DEFAULT_LIMITS },
      );
      expect(before.overdue.map((o) => [o.community, o.incidentId, o.workdaysOver])).toEqual([
        ['xihe', xihe.e4, 7],
        ['dongba', dongba.e4, 7],
      ]);
    });
  }
});
