/**
 * Data access of the dashboard (数据看板, docs/dashboard-model.md): for the chosen communities and years, the grid
 * events, residents' services and tasks read from their figure rows (renderer/data/figureRows.ts: each record's state
 * as it stands and as of each day a step was written, kept beside its document and made again from the document
 * whenever it changed), each community's own working-day calendar and grid-event time limits (its registry's rows),
 * and the mediation cases read from their documents.
 * Live: a change of any of them (local or by sync) is read again. Nothing is a counter: the rows are the histories
 * folded by the domain's own functions.
 */
import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { nationalCalendar, type WorkingCalendar } from '@shared/domain/calendar';
import { RecordsFromRows, type FigureRows } from '@shared/domain/dashboard/rows';
import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS, type CommunityHistories } from '@shared/domain/dashboard/street';
import { DEFAULT_LIMITS, type IncidentLimits } from '@shared/domain/incidents/limits';
import type { MediationCase } from '@shared/domain/mediation/types';
import { listCases } from '@shared/ydoc/cases';
import { docName, isCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { figureRows, partKey } from '../../data/figureRows';
import { useStore } from '../../data/hooks';
import { identityOf, Kept } from './identity';
import {
  communityReport,
  COMMUNITY_REPORT_FORMAT,
  periodOfChoice,
  type CommunityReport,
  type PeriodChoice,
  type ReportOptions,
} from './report';

export interface CommunityData extends CommunityHistories {
  readonly calendar: WorkingCalendar;
  /**
   * The community's own grid-event time limits (docs/incidents-model.md, "an office's own limits": each stage with the
   * version in force on the day it started), as its events screens judge them; its records are read with them.
   */
  readonly limits: IncidentLimits;
  readonly cases: readonly MediationCase[];
}

const ROW_KINDS = ['incidents', 'services', 'tasks'] as const;

interface Community {
  readonly id: CommunityId;
  readonly name: string;
  /** The figure rows' documents and the cases' documents of the community, by year. */
  readonly rowNames: readonly string[];
  readonly caseNames: readonly string[];
  readonly registryName: string;
}

function communitiesOf(list: readonly [string, string][], years: readonly number[]): Community[] {
  return list.flatMap(([id, name]) => {
    if (!isCommunityId(id)) return [];
    return [
      {
        id,
        name,
        rowNames: ROW_KINDS.flatMap((collection) => years.map((year) => docName({ community: id, collection, year }))),
        caseNames: years.map((year) => docName({ community: id, collection: 'cases', year })),
        registryName: docName({ community: id, collection: 'registry' }),
      },
    ];
  });
}

/**
 * Each community's data as last made, by what it was made from: the very rows objects (the keeper gives the same
 * object while a document's rows are current), the calendar and limits objects and the cases as they stand. Drawn again with
 * nothing changed (another scope and back, another period of the same years), the same object is given, and the
 * figures computed from it are kept (report.ts, `keptReport`): docs/dashboard-model.md, "drawn again".
 */
const madeData = new Kept<CommunityData>(1024);

function dataOf(
  c: Community,
  rows: ReadonlyMap<string, FigureRows>,
  calendar: WorkingCalendar,
  limits: IncidentLimits,
  cases: readonly Y.Doc[],
): CommunityData {
  const read = c.rowNames.flatMap((name) => rows.get(name) ?? []);
  const caseList = cases.flatMap((doc) => listCases(doc));
  // The cases are few and read from open documents (which change in place): kept by their content.
  const key = JSON.stringify([
    c.id,
    c.name,
    read.map((r) => identityOf(r)),
    identityOf(calendar),
    identityOf(limits),
    caseList,
  ]);
  return madeData.get(key, () => {
    const records = new RecordsFromRows(read, limits);
    return {
      id: c.id,
      name: c.name,
      calendar,
      limits,
      ...records.now,
      asOf: (day) => records.asOf(day),
      cases: caseList,
    };
  });
}

/** Parts computed on this device, by the very data they were computed from and the period and day (identity.ts). */
const madeParts = new Kept<CommunityReport>(1024);

function validPart(part: unknown, c: Community, code: string, asOf: string): part is CommunityReport {
  if (part === null || typeof part !== 'object') return false;
  const p = part as Partial<CommunityReport>;
  return (
    p.format === COMMUNITY_REPORT_FORMAT &&
    p.code === code &&
    p.asOf === asOf &&
    p.figures?.community === c.id &&
    p.figures.name === c.name
  );
}

/**
 * Each chosen community's part of the report for a period and day (docs/dashboard-model.md, "per-community figures"),
 * live; `undefined` until every one is in hand. A community's part is read from disk when it was kept there from
 * exactly its documents as they are now (the app's version and every document's update rows: `FigureRowsKeeper.part`),
 * else computed from its records (figure rows, calendar, limits and cases, read as `dataOf` reads them) and kept for
 * the next drawing, sealed with the community's key. A document changed in memory is read again and its community's
 * part computed again, never taken from disk.
 */
export function useReportParts(
  communities: readonly { id: string; name: string }[],
  years: readonly number[],
  choice: PeriodChoice,
  asOf: string,
): CommunityReport[] | undefined {
  const store = useStore();
  const key = JSON.stringify([communities.map((c) => [c.id, c.name]), years, choice, asOf]);
  const [value, setValue] = useState<{ key: string; parts: CommunityReport[] } | undefined>(undefined);
  useEffect(() => {
    const [list, ys, chosenPeriod, day] = JSON.parse(key) as [[string, string][], number[], PeriodChoice, string];
    const chosen = communitiesOf(list, ys);
    const code = periodOfChoice(chosenPeriod).code;
    const options: ReportOptions = {
      choice: chosenPeriod,
      asOf: day,
      calendar: nationalCalendar(),
      // Each community's own limits are in its data; these judge only a community given without them.
      limits: DEFAULT_LIMITS,
      weights: DEFAULT_WEIGHTS,
      thresholds: DEFAULT_THRESHOLDS,
    };
    const keeper = figureRows(store);
    let live = true;
    const stillLive = () => live;
    const rows = new Map<string, FigureRows>();
    const calendars = new Map<string, WorkingCalendar>();
    const limits = new Map<string, IncidentLimits>();
    const cases = new Map<string, Y.Doc[]>();
    const parts = new Map<string, CommunityReport>();
    // Names whose documents changed while being read (or after): read again.
    const changed = new Set<string>();
    let scheduled = false;
    let ready = false;
    const namesOf = (c: Community) => [store.registryName(c.id), ...c.rowNames, ...c.caseNames];
    const keyOf = (c: Community) => partKey(store.registryName(c.id), code);

    const readCommunity = async (c: Community) => {
      const [calendar, officeLimits, read, caseDocs] = await Promise.all([
        keeper.calendar(c.id),
        keeper.limits(c.id),
        Promise.all(c.rowNames.map(async (name) => [name, await keeper.rows(name)] as const)),
        // A year without cases is not opened (told when the sync brings one).
        Promise.all(
          c.caseNames.map(async (name) => ((await keeper.isEmpty(name)) ? [] : [await store.document(name)])),
        ),
      ]);
      calendars.set(c.id, calendar);
      limits.set(c.id, officeLimits);
      for (const [name, r] of read) rows.set(name, r);
      cases.set(c.id, caseDocs.flat());
    };
    /** Computes a community's part from its records, and keeps it on disk when nothing changed meanwhile. */
    const compute = async (c: Community) => {
      // Read before the records: the part is kept only if the documents are still exactly these afterwards.
      const stamp = await keeper.stamp(namesOf(c));
      await readCommunity(c);
      const data = dataOf(
        c,
        rows,
        calendars.get(c.id) as WorkingCalendar,
        limits.get(c.id) as IncidentLimits,
        cases.get(c.id) ?? [],
      );
      const part = madeParts.get(JSON.stringify([identityOf(data), code, day]), () => communityReport(data, options));
      parts.set(c.id, part);
      if (stamp !== null) {
        keeper.keepPart(keyOf(c), namesOf(c), stamp, part).catch((error: unknown) => {
          // Not kept: the next drawing computes it again. Nothing is lost.
          console.warn('dashboard figures not kept', c.id, error);
        });
      }
    };
    const publish = () => {
      if (!live || !ready) return;
      setValue({ key, parts: chosen.flatMap((c) => parts.get(c.id) ?? []) });
    };
    const refresh = () => {
      if (scheduled) return;
      // A burst of changes (a first sync) is read once.
      scheduled = true;
      setTimeout(() => {
        scheduled = false;
        if (!live) return;
        const names = [...changed];
        changed.clear();
        const touched = chosen.filter(
          (c) =>
            names.includes(c.registryName) ||
            c.rowNames.some((n) => names.includes(n)) ||
            c.caseNames.some((n) => names.includes(n)),
        );
        void Promise.all(touched.map(compute))
          .then(publish)
          .catch((error: unknown) => console.error(error));
      }, 0);
    };
    const unsubscribe = keeper.onChange((name) => {
      changed.add(name.endsWith('/registry-masked') ? name.replace(/-masked$/, '') : name);
      if (ready) refresh();
    });

    performance.mark('cgw:dashboard load-start');
    void (async () => {
      // Every community's kept part and the update rows it is checked against, in one read.
      const kept = await Promise.all(chosen.map((c) => keeper.part(keyOf(c), namesOf(c))));
      if (!stillLive()) return;
      const missing = chosen.filter((c, i) => {
        const part = kept[i]?.part;
        if (!validPart(part, c, code, day)) return true;
        parts.set(c.id, part);
        return false;
      });
      // For the benchmark's stages (tests/bench/dashboard*.ts): how many parts were current.
      performance.mark('cgw:dashboard parts-read', {
        detail: { kept: chosen.length - missing.length, missing: missing.length },
      });
      await Promise.all(missing.map(compute));
      // The screen may have moved on (another scope or period) while the parts were read.
      if (!stillLive()) return;
      performance.mark('cgw:dashboard rows-read');
      ready = true;
      publish();
      // What changed while the parts were read is read again.
      if (changed.size > 0) refresh();
    })().catch((error: unknown) => console.error(error));
    return () => {
      live = false;
      unsubscribe();
    };
  }, [store, key]);
  return useMemo(() => (value && value.key === key ? value.parts : undefined), [value, key]);
}
