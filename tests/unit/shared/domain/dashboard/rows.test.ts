/**
 * The dashboard's fast path (figure rows: shared/domain/dashboard/rows.ts and timeline.ts) against the full fold:
 * each record read from its stored timeline as of a day is the state the domain's own "as of" gives (history apart),
 * and the street's dashboard drawn from rows is the one drawn from the folded histories, on the demo community's grid
 * events, services and tasks and on a randomized set of histories (steps out of turn, copies, steps on one day,
 * reopenings, suspensions), for months, quarters and years as of several days.
 */
import { describe, expect, it } from 'vitest';
import { nationalCalendar } from '@shared/domain/calendar';
import { addDays } from '@shared/domain/dates';
import { pack, unpack, type Packed } from '@shared/domain/dashboard/pack';
import {
  figureBase,
  figureRowsOf,
  figureTimeline,
  RecordsFromRows,
  withLimits,
  type FigureCollection,
  type FigureRows,
} from '@shared/domain/dashboard/rows';
import {
  communityFigures,
  dashboardOf,
  streetDashboard,
  type CommunityFigures,
  type CommunityHistories,
  type Dashboard,
} from '@shared/domain/dashboard/street';
import { timelineOf, Timelines } from '@shared/domain/dashboard/timeline';
import { generateDemoIncidents } from '@shared/domain/incidents/demo';
import { DEFAULT_LIMITS, scheduleOf, type IncidentLimits, type LimitSet } from '@shared/domain/incidents/limits';
import { incidentState, type IncidentState } from '@shared/domain/incidents/state';
import { incidentAsOf } from '@shared/domain/incidents/stats';
import {
  INCIDENT_CATEGORIES,
  REQUEST_KINDS,
  URGENCIES,
  type IncidentBase,
  type Step,
} from '@shared/domain/incidents/types';
import { generateDemoCommunity, mulberry32 } from '@shared/domain/registry/demo';
import { generateDemoServices } from '@shared/domain/services/demo';
import { applicationAsOf, applicationState, type ApplicationState } from '@shared/domain/services/state';
import type { ApplicationBase, ApplicationStep } from '@shared/domain/services/types';
import { generateDemoTasks } from '@shared/domain/tasks/demo';
import { listIncidents } from '@shared/ydoc/incidents';
import { listApplications } from '@shared/ydoc/services';
import { listTasks } from '@shared/ydoc/tasks';

const calendar = nationalCalendar();
const TODAY = '2026-12-01';

/** Limits unlike the defaults in every field, so that a figure judged by the wrong ones differs. */
const set = (n: number, share: number): LimitSet => ({
  accept: n,
  handle: { consult: n + 1, help: n + 3, suggestion: n + 2, complaint: n + 8 },
  urgentHandle: n,
  criticalHandle: 1,
  verify: n + 1,
  sendBack: n,
  fixAfterBadRating: n + 4,
  warningShare: share,
});
/**
 * An office that changed its limits twice (the demo's histories run from about September to December 2026), and
 * another that changed them once: the rows, made without limits, must give what the full fold with these gives.
 */
const limits: IncidentLimits = scheduleOf([
  { effectiveFrom: '2026-03-01', revision: 1, limits: set(2, 0.5) },
  { effectiveFrom: '2026-10-20', revision: 2, limits: set(4, 0.8) },
]);
const otherLimits: IncidentLimits = scheduleOf([{ effectiveFrom: '2026-06-15', revision: 1, limits: set(3, 0.6) }]);
const LIMITS_OF: Record<string, IncidentLimits> = { a: limits, b: otherLimits, c: DEFAULT_LIMITS, d: limits };

/** Stored as the app stores them: packed (pack.ts), through JSON, unpacked. */
const stored = (rows: FigureRows): FigureRows => {
  const back = unpack(JSON.parse(JSON.stringify(pack(rows))) as Packed) as FigureRows;
  // The packed form gives back exactly what plain JSON would.
  expect(back).toEqual(JSON.parse(JSON.stringify(rows)));
  return back;
};

function fromRows(id: string, name: string, rows: readonly FigureRows[]): CommunityHistories {
  const records = new RecordsFromRows(rows.map(stored), limits);
  return { id, name, limits, ...records.now, asOf: (day) => records.asOf(day) };
}

/** A state as the rows give it back: no history, and the base cut to the fields the figures read. */
const asKept = (collection: FigureCollection) => (state: { base: object }) => ({
  ...state,
  base: figureBase(collection, state.base as Record<string, unknown>),
  history: [],
  ignored: [],
});

/** Periods and days the dashboard is asked for: months, quarters, years, as of their end, earlier days and today. */
const ASKED = [
  { period: { from: '2026-11-01', to: '2026-11-30' }, asOf: '2026-11-30' },
  { period: { from: '2026-11-01', to: '2026-11-30' }, asOf: '2026-11-12' },
  { period: { from: '2026-12-01', to: '2026-12-31' }, asOf: TODAY },
  { period: { from: '2026-10-01', to: '2026-12-31' }, asOf: TODAY },
  { period: { from: '2026-07-01', to: '2026-09-30' }, asOf: '2026-09-30' },
  { period: { from: '2026-01-01', to: '2026-12-31' }, asOf: TODAY },
  { period: { from: '2026-01-01', to: '2026-12-31' }, asOf: '2026-03-05' },
  { period: { from: '2025-01-01', to: '2025-12-31' }, asOf: '2025-12-31' },
];

describe('figure rows: the fast path against the full fold', () => {
  it('draws the demo community the same from its rows as from its folded histories', () => {
    const registry = generateDemoCommunity(11, { residents: 300 }).doc;
    const incidents = generateDemoIncidents(5, { community: 'demo-xihe', registry, today: TODAY, calendar });
    const services = generateDemoServices(5, { community: 'demo-xihe', registry, today: TODAY, calendar });
    const tasks = generateDemoTasks(7, { community: 'demo-xihe', today: TODAY, calendar });
    const incidentDocs = [...incidents.docs.values()];
    const serviceDocs = [...services.docs.values()];
    const full: CommunityHistories = {
      id: 'demo-xihe',
      name: '西河社区',
      limits,
      incidents: incidentDocs.flatMap((doc) => listIncidents(doc, limits)),
      services: serviceDocs.flatMap((doc) => listApplications(doc)),
      tasks: listTasks(tasks.doc),
    };
    expect(full.incidents.length).toBeGreaterThan(30);
    expect(full.services.length).toBeGreaterThan(20);
    expect(full.tasks.length).toBeGreaterThan(10);
    const rows = [
      ...incidentDocs.map((doc) => figureRowsOf('incidents', doc)),
      ...serviceDocs.map((doc) => figureRowsOf('services', doc)),
      figureRowsOf('tasks', tasks.doc),
    ];
    const fast = fromRows('demo-xihe', '西河社区', rows);
    for (const asked of ASKED) {
      // The options' limits are those of a community given without its own: here none is.
      const o = { ...asked, calendar, limits: DEFAULT_LIMITS };
      expect(streetDashboard([fast], o), JSON.stringify(asked)).toEqual(streetDashboard([full], o));
    }
    // The rows hold nothing of the limits: the same document gives the same rows whatever its office sets.
    expect(JSON.stringify(rows)).not.toContain('handleDays');
    // The days of the demo's histories, one by one: each record as of each day.
    const records = new RecordsFromRows(rows.map(stored), limits);
    for (let day = '2026-09-01'; day <= TODAY; day = addDays(day, 3)) {
      const asOf = records.asOf(day);
      expect(asOf.incidents).toEqual(full.incidents.map((s) => asKept('incidents')(incidentAsOf(s, day, limits))));
      expect(asOf.services).toEqual(full.services.map((s) => asKept('services')(applicationAsOf(s, day))));
    }
  });

  it('agrees on randomized histories (steps out of turn, copies, same-day steps, reopenings)', () => {
    const random = mulberry32(20261202);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    let n = 0;
    const id = () => `id-${(n++).toString(36)}`;
    const at = (day: string) =>
      `${addDays(day, -1)}T${String(16 + Math.floor(random() * 8)).padStart(2, '0')}:00:00.000Z`;
    const by = () =>
      pick([
        { userId: 'u-office', userName: '李明' },
        { userId: 'u-head', userName: '赵强' },
      ]);
    const assignee = () =>
      pick([
        { kind: 'head' as const, name: '赵强', ref: 'u-head' },
        { kind: 'unit' as const, name: '物业', ref: null },
      ]);

    function incident(community: string): { base: IncidentBase; steps: Step[] } {
      const reportedOn = addDays('2025-10-01', Math.floor(random() * 430));
      const base: IncidentBase = {
        id: id(),
        community,
        title: pick(['楼道堆放杂物', '路灯不亮']),
        // The fields the rows leave out (`figureBase`) vary too: a figure reading one would differ from the fold's.
        content: pick(['纸箱', '']),
        occurredAt: `${addDays(reportedOn, -Math.floor(random() * 3))}T01:00:00.000Z`,
        place: {
          grid: pick(['g1', 'g2', null]),
          compound: pick(['c1', null]),
          building: pick(['b1', 'b2', 'b3']),
          household: pick(['h1', null]),
          text: pick(['x', '']),
        },
        category: pick(INCIDENT_CATEGORIES),
        subCategory: pick(['', '占道']),
        kind: pick(REQUEST_KINDS),
        urgency: pick(URGENCIES),
        peopleInvolved: 1 + Math.floor(random() * 30),
        reporter: { name: '刘', phone: pick(['', '13800000000']), anonymous: random() < 0.3 },
        source: pick(['patrol', 'resident', 'hotline'] as const),
        attachments: random() < 0.5 ? [] : [`file:${id()}`],
        reportedOn,
        reportedBy: pick([
          { userId: 'u-grid', userName: '王芳' },
          { userId: 'u-head', userName: '赵强' },
        ]),
      };
      const steps: Step[] = [];
      let day = reportedOn;
      const count = Math.floor(random() * 10);
      for (let k = 0; k < count; k++) {
        day = addDays(day, Math.floor(random() * 9) - 1);
        const stamp = { id: id(), at: at(day), on: day, by: by() };
        const bodies: Step[] = [
          { ...stamp, type: 'accepted' },
          { ...stamp, type: 'rejected', reason: 'r' },
          { ...stamp, type: 'assigned', to: assignee(), cc: [] },
          { ...stamp, type: 'escalated', to: '街道', reason: 'r', skipLevel: random() < 0.5 },
          { ...stamp, type: 'sent-back', reason: 'r' },
          {
            ...stamp,
            type: 'close-requested',
            closure: pick(['substantive', 'procedural'] as const),
            procedural: null,
            note: 'n',
          },
          { ...stamp, type: 'verify-refused', reason: 'r' },
          { ...stamp, type: 'closed', onTime: random() < 0.7, workdaysTaken: Math.floor(random() * 20) },
          { ...stamp, type: 'visited', method: 'phone', rating: 1 + Math.floor(random() * 5), comment: 'c' },
          { ...stamp, type: 'suspended', reason: 'r' },
          { ...stamp, type: 'resumed', pausedWorkdays: Math.floor(random() * 4) },
          { ...stamp, type: 'merged', into: 'other', reason: 'r' },
          { ...stamp, type: 'archived' },
        ];
        // Mostly the usual order, sometimes anything (a step another device wrote offline).
        const usual = ['accepted', 'assigned', 'close-requested', 'closed', 'visited', 'archived'];
        const type = random() < 0.6 ? (usual[Math.min(k, usual.length - 1)] as string) : pick(bodies).type;
        const step = bodies.find((b) => b.type === type) as Step;
        steps.push(step);
        if (random() < 0.1) steps.push({ ...step });
      }
      return { base, steps };
    }

    function application(community: string): ApplicationState {
      const acceptedOn = addDays('2025-10-01', Math.floor(random() * 430));
      const base: ApplicationBase = {
        id: id(),
        community,
        itemId: 'svc',
        itemName: '高龄津贴',
        promiseDays: 1 + Math.floor(random() * 10),
        applicant: { name: pick(['居民', '王大爷']), phone: pick(['', '13800000000']), ref: null },
        channel: pick(['window', 'door'] as const),
        agent: random() < 0.3 ? { name: '网格员', ref: null } : null,
        note: pick(['', '代办']),
        materials: random() < 0.5 ? [] : ['身份证'],
        acceptedOn,
        acceptedBy: by(),
      };
      const steps: ApplicationStep[] = [];
      let day = acceptedOn;
      for (let k = Math.floor(random() * 6); k > 0; k--) {
        day = addDays(day, Math.floor(random() * 12));
        const stamp = { id: id(), at: at(day), on: day, by: by() };
        steps.push(
          pick<ApplicationStep>([
            { ...stamp, type: 'done', result: 'ok', workdaysTaken: Math.floor(random() * 12) },
            { ...stamp, type: 'done', result: 'ok', workdaysTaken: Math.floor(random() * 12) },
            { ...stamp, type: 'refused', reason: 'r' },
            { ...stamp, type: 'transferred', to: '民政', reason: 'r' },
            { ...stamp, type: 'rated', rating: 1 + Math.floor(random() * 5), comment: '' },
            { ...stamp, type: 'rated', rating: 1 + Math.floor(random() * 2), comment: '差' },
            { ...stamp, type: 'rectified', note: 'n' },
            { ...stamp, type: 'called-back', note: 'n' },
          ]),
        );
      }
      return applicationState(base, steps);
    }

    // Each community with its own limits (two of them changed theirs mid-year): the full fold with them, and the
    // rows made as the app makes them, folded with the defaults and kept without what the limits set.
    const generated = ['a', 'b', 'c', 'd'].map((c) => ({
      c,
      incidents: Array.from({ length: 150 }, () => incident(c)),
      services: Array.from({ length: 60 }, () => application(c)),
    }));
    const full: CommunityHistories[] = generated.map(({ c, incidents, services }) => ({
      id: c,
      name: `社区${c}`,
      limits: LIMITS_OF[c] as IncidentLimits,
      incidents: incidents.map((x) => incidentState(x.base, x.steps, LIMITS_OF[c] as IncidentLimits)),
      services,
      tasks: [],
    }));
    const byDefaults = generated.map(({ incidents }) =>
      incidents.map((x) => incidentState(x.base, x.steps, DEFAULT_LIMITS)),
    );
    expect(full.flatMap((c) => c.incidents).some((s) => s.ignored.length > 0)).toBe(true);
    expect(full.flatMap((c) => c.incidents).some((s) => s.reopened > 0)).toBe(true);
    // A community whose limits differ from the defaults has some handling limits of its own.
    expect(full[0]?.incidents.some((s, k) => s.handleDays !== byDefaults[0]?.[k]?.handleDays)).toBe(true);
    const fast = full.map((c, ci): CommunityHistories => {
      // Kept as the rows keep them (`figureTimeline`: the base cut to what the figures read), through JSON.
      const through = (collection: FigureCollection, timelines: ReturnType<typeof timelineOf>[]) =>
        unpack(
          JSON.parse(JSON.stringify(pack(timelines.map((t) => figureTimeline(collection, t))))) as Packed,
        ) as ReturnType<typeof timelineOf>[];
      const incidents = new Timelines<IncidentState>(
        through(
          'incidents',
          (byDefaults[ci] ?? []).map((s) => timelineOf(s, (x, day) => incidentAsOf(x, day, DEFAULT_LIMITS))),
        ),
        withLimits(c.limits as IncidentLimits),
      );
      const services = new Timelines<ApplicationState>(
        through(
          'services',
          c.services.map((s) => timelineOf(s, applicationAsOf)),
        ),
      );
      return {
        id: c.id,
        name: c.name,
        limits: c.limits,
        incidents: incidents.now,
        services: services.now,
        tasks: [],
        asOf: (day) => ({ incidents: incidents.asOf(day), services: services.asOf(day), tasks: [] }),
      };
    });
    // Two communities judged by the same limits, counted as one: what the street adds up from each community's
    // figures (`communityFigures`, `dashboardOf`) is what one pass over all their records gives.
    const [a, , , d] = full as [CommunityHistories, CommunityHistories, CommunityHistories, CommunityHistories];
    const together: CommunityHistories = {
      id: 'ad',
      name: '合计',
      limits,
      incidents: [...a.incidents, ...d.incidents],
      services: [...a.services, ...d.services],
      tasks: [],
    };
    let overdueSeen = 0;
    let workloadSeen = 0;
    for (const asked of ASKED) {
      const o = { ...asked, calendar, limits: DEFAULT_LIMITS };
      const street = streetDashboard(full, o);
      expect(streetDashboard(fast, o), JSON.stringify(asked)).toEqual(street);
      // Each community's figures kept as JSON (as the device keeps them, sealed) make the same street.
      const kept = full.map((c) => JSON.parse(JSON.stringify(communityFigures(c, o))) as CommunityFigures);
      expect(dashboardOf(kept, o), JSON.stringify(asked)).toEqual(street);
      const pair = streetDashboard([a, d], o);
      const one = streetDashboard([together], o);
      expect(pair.kpis, JSON.stringify(asked)).toEqual(one.kpis);
      expect(pair.trend).toEqual(one.trend);
      expect(pair.byCategory).toEqual(one.byCategory);
      expect(pair.hotspots).toEqual(one.hotspots);
      expect(pair.people).toEqual(one.people);
      const withoutCommunity = (list: Dashboard['overdue']) => list.map(({ community: _c, ...rest }) => rest);
      expect(withoutCommunity(pair.overdue)).toEqual(withoutCommunity(one.overdue));
      overdueSeen += pair.overdue.length;
      workloadSeen += pair.kpis.find((k) => k.key === 'workload')?.value ?? 0;
    }
    // Not vacuous: the pair had events and overdue ones in the periods asked.
    expect(overdueSeen).toBeGreaterThan(0);
    expect(workloadSeen).toBeGreaterThan(0);
    for (let day = '2025-09-25'; day <= '2027-01-10'; day = addDays(day, 1)) {
      const i = Math.floor(random() * full.length);
      const c = full[i] as CommunityHistories;
      const f = fast[i] as CommunityHistories;
      expect(f.asOf?.(day).incidents, day).toEqual(
        c.incidents.map((s) => asKept('incidents')(incidentAsOf(s, day, c.limits as IncidentLimits))),
      );
      expect(f.asOf?.(day).services, day).toEqual(c.services.map((s) => asKept('services')(applicationAsOf(s, day))));
    }
  });
});
