/**
 * `npm run bench:dashboard-figures`: the street dashboard's computation (shared/domain/dashboard/street.ts) over 82
 * communities × 3 years of generated grid events, in Node. It times the figures only, not a screen drawing them: the
 * issue's `dashboard_ms` (the dashboard drawn in a browser) needs the dashboard screen, not built yet. Events look
 * like the app's own (UUID ids, photo references, registry-like grid and building ids) and go through the same fold as
 * the app's. The histories hold grid events only (no services, no tasks), so the keys say so: `fold_ms` is reading
 * every grid event from its steps (what a screen does before asking for figures), `grid_event_figures_ms` the
 * dashboard over those states. Prints each run, then one JSON line: communities, grid events and steps, both times
 * min/median/max over 5 runs, and the 1-minute load before and after each run. Numbers are printed, never asserted.
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { nationalCalendar } from '@shared/domain/calendar';
import { addDays } from '@shared/domain/dates';
import { streetDashboard, type CommunityHistories } from '@shared/domain/dashboard/street';
import { DEFAULT_LIMITS } from '@shared/domain/incidents/limits';
import { incidentState } from '@shared/domain/incidents/state';
import { INCIDENT_CATEGORIES, REQUEST_KINDS, type IncidentBase, type Step } from '@shared/domain/incidents/types';
import { mulberry32 } from '@shared/domain/registry/demo';

const COMMUNITIES = 82;
const YEARS = 3;
const PER_COMMUNITY_YEAR = Number(process.env.BENCH_EVENTS ?? 300);
const RUNS = 5;
const calendar = nationalCalendar();
const random = mulberry32(20261202);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

interface Raw {
  readonly id: string;
  readonly name: string;
  readonly incidents: readonly { readonly base: IncidentBase; readonly steps: readonly Step[] }[];
}

function generate(): Raw[] {
  const out: Raw[] = [];
  for (let c = 0; c < COMMUNITIES; c++) {
    const community = `community-${String(c).padStart(2, '0')}`;
    const grids = Array.from({ length: 8 }, () => randomUUID());
    const buildings = Array.from({ length: 40 }, () => randomUUID());
    const incidents = [];
    for (let n = 0; n < PER_COMMUNITY_YEAR * YEARS; n++) {
      const day = addDays('2024-01-01', Math.floor(random() * 365 * YEARS));
      const base: IncidentBase = {
        id: randomUUID(),
        community,
        title: '楼道堆放杂物',
        content: '居民反映楼道堆放纸箱，有消防隐患。',
        occurredAt: `${day}T01:00:00.000Z`,
        place: { grid: pick(grids), compound: null, building: pick(buildings), household: null, text: '' },
        category: pick(INCIDENT_CATEGORIES),
        subCategory: '',
        kind: pick(REQUEST_KINDS),
        urgency: 'normal',
        peopleInvolved: 1,
        reporter: { name: '居民', phone: '', anonymous: false },
        source: 'patrol',
        attachments: [`file:${randomUUID()}`],
        reportedOn: day,
        reportedBy: { userId: `grid-${c}-${n % 8}`, userName: `网格员${n % 8}` },
      };
      const by = { userId: 'office', userName: '社区干部' };
      const step = (type: string, offset: number, extra: object): Step =>
        ({
          id: randomUUID(),
          at: `${addDays(day, offset)}T02:00:00.000Z`,
          on: addDays(day, offset),
          by,
          type,
          ...extra,
        }) as Step;
      const steps: Step[] = [step('accepted', 0, {})];
      const fate = random();
      if (fate > 0.1) {
        steps.push(step('assigned', 0, { to: { kind: 'head', name: '楼栋长', ref: null }, cc: [] }));
        const took = 1 + Math.floor(random() * 20);
        steps.push(
          step('close-requested', took, {
            closure: random() < 0.8 ? 'substantive' : 'procedural',
            procedural: null,
            note: '已处理',
            by: { userId: 'head', userName: '楼栋长' },
          }),
        );
        steps.push(step('closed', took + 1, { onTime: took <= 10, workdaysTaken: took }));
        steps.push(
          step('visited', took + 2, { method: 'phone', rating: 1 + Math.floor(random() * 5), comment: '意见' }),
        );
      }
      incidents.push({ base, steps });
    }
    out.push({ id: community, name: `社区${c}`, incidents });
  }
  return out;
}

function fold(raw: readonly Raw[]): CommunityHistories[] {
  return raw.map((c) => ({
    id: c.id,
    name: c.name,
    incidents: c.incidents.map((i) => incidentState(i.base, i.steps, DEFAULT_LIMITS)),
    services: [],
    tasks: [],
  }));
}

const raw = generate();
const gridEvents = raw.reduce((n, c) => n + c.incidents.length, 0);
const steps = raw.reduce((n, c) => c.incidents.reduce((m, i) => m + i.steps.length, n), 0);
const foldTimes: number[] = [];
const figureTimes: number[] = [];
const loads: [number, number][] = [];
const load1 = () => Math.round((loadavg()[0] ?? 0) * 100) / 100;
for (let run = 0; run < RUNS; run++) {
  const before = load1();
  const started = performance.now();
  const communities = fold(raw);
  const folded = performance.now();
  const d = streetDashboard(communities, {
    period: { from: '2026-01-01', to: '2026-12-31' },
    asOf: '2026-12-31',
    calendar,
    limits: DEFAULT_LIMITS,
  });
  const done = performance.now();
  foldTimes.push(folded - started);
  figureTimes.push(done - folded);
  loads.push([before, load1()]);
  process.stdout.write(
    `run ${run + 1}: fold ${(folded - started).toFixed(0)} ms, figures ${(done - folded).toFixed(0)} ms ` +
      `(ranking of ${d.ranking.length})\n`,
  );
}
const spread = (times: readonly number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (i: number) => Math.round(sorted[i] ?? 0);
  return { min: at(0), median: at(Math.floor(sorted.length / 2)), max: at(sorted.length - 1) };
};
process.stdout.write(
  `${JSON.stringify({
    communities: COMMUNITIES,
    grid_events: gridEvents,
    steps,
    services: 0,
    tasks: 0,
    fold_ms: spread(foldTimes),
    grid_event_figures_ms: spread(figureTimes),
    runs: RUNS,
    load_1min_before_after: loads,
    cpus: cpus().length,
  })}\n`,
);
