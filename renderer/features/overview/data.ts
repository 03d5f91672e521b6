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
import { addDays } from '@shared/domain/dates';
import { figureRows, partKey, type FigureRowsKeeper } from '../../data/figureRows';
import type { WorkstationStore } from '../../data/store';
import { useStore } from '../../data/hooks';
import { identityOf, Kept } from './identity';
import {
  communityReport,
  COMMUNITY_REPORT_FORMAT,
  currentChoice,
  defaultAsOf,
  PERIOD_KINDS,
  periodOfChoice,
  type CommunityReport,
  type PeriodChoice,
  type PeriodKind,
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
 * What reading communities' parts shares (one drawing, or one preparation): the store's keeper and what was read of
 * each community, so that a community read again (a change) replaces its own entries only.
 */
class PartsReader {
  readonly keeper: FigureRowsKeeper;
  private readonly rows = new Map<string, FigureRows>();
  private readonly calendars = new Map<string, WorkingCalendar>();
  private readonly limits = new Map<string, IncidentLimits>();
  private readonly cases = new Map<string, Y.Doc[]>();
  readonly code: string;
  private readonly options: ReportOptions;

  constructor(
    private readonly store: WorkstationStore,
    readonly choice: PeriodChoice,
    readonly asOf: string,
  ) {
    this.keeper = figureRows(store);
    this.code = periodOfChoice(choice).code;
    this.options = {
      choice,
      asOf,
      calendar: nationalCalendar(),
      // Each community's own limits are in its data; these judge only a community given without them.
      limits: DEFAULT_LIMITS,
      weights: DEFAULT_WEIGHTS,
      thresholds: DEFAULT_THRESHOLDS,
    };
  }

  /** The documents a community's part is made from, as the keeper names them (`FigureRowsKeeper.stamp`). */
  namesOf(c: Community): string[] {
    return [this.store.registryName(c.id), ...c.rowNames, ...c.caseNames];
  }

  keyOf(c: Community): string {
    return partKey(this.store.registryName(c.id), this.code);
  }

  /** The community's part kept on disk, if it is current and of this period and day; else null. */
  async kept(c: Community): Promise<CommunityReport | null> {
    const { part } = await this.keeper.part(this.keyOf(c), this.namesOf(c));
    return validPart(part, c, this.code, this.asOf) ? part : null;
  }

  private async read(c: Community): Promise<void> {
    const { keeper, store } = this;
    const [calendar, officeLimits, read, caseDocs] = await Promise.all([
      keeper.calendar(c.id),
      keeper.limits(c.id),
      Promise.all(c.rowNames.map(async (name) => [name, await keeper.rows(name)] as const)),
      // A year without cases is not opened (told when the sync brings one).
      Promise.all(c.caseNames.map(async (name) => ((await keeper.isEmpty(name)) ? [] : [await store.document(name)]))),
    ]);
    this.calendars.set(c.id, calendar);
    this.limits.set(c.id, officeLimits);
    for (const [name, r] of read) this.rows.set(name, r);
    this.cases.set(c.id, caseDocs.flat());
  }

  /**
   * Computes a community's part from its records; `kept` settles once it is kept on disk (only when nothing changed
   * meanwhile: the stamp is read before the records).
   */
  async compute(c: Community): Promise<{ part: CommunityReport; kept: Promise<boolean> }> {
    const stamp = await this.keeper.stamp(this.namesOf(c));
    await this.read(c);
    const data = dataOf(
      c,
      this.rows,
      this.calendars.get(c.id) as WorkingCalendar,
      this.limits.get(c.id) as IncidentLimits,
      this.cases.get(c.id) ?? [],
    );
    const part = madeParts.get(JSON.stringify([identityOf(data), this.code, this.asOf]), () =>
      communityReport(data, this.options),
    );
    const kept =
      stamp === null ? Promise.resolve(false) : this.keeper.keepPart(this.keyOf(c), this.namesOf(c), stamp, part);
    return { part, kept };
  }
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
    const reader = new PartsReader(store, chosenPeriod, day);
    const { keeper } = reader;
    let live = true;
    const stillLive = () => live;
    const parts = new Map<string, CommunityReport>();
    // Names whose documents changed while being read (or after): read again.
    const changed = new Set<string>();
    let scheduled = false;
    let ready = false;

    /** Computes a community's part from its records, and keeps it on disk when nothing changed meanwhile. */
    const compute = async (c: Community) => {
      const { part, kept } = await reader.compute(c);
      parts.set(c.id, part);
      // Not kept: the next drawing computes it again. Nothing is lost.
      kept.catch((error: unknown) => console.warn('dashboard figures not kept', c.id, error));
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
      const kept = await Promise.all(chosen.map((c) => reader.kept(c)));
      if (!stillLive()) return;
      const missing = chosen.filter((c, i) => {
        const part = kept[i];
        if (part === null || part === undefined) return true;
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

/** The period codes of a kind's current and previous period, as of `today` (a part of either means it is drawn). */
function codesOf(kind: PeriodKind, today: string): { current: PeriodChoice; codes: string[] } {
  const current = currentChoice(kind, today);
  const period = periodOfChoice(current);
  const before = currentChoice(kind, addDays(period.from, -1));
  return { current, codes: [period.code, periodOfChoice(before).code] };
}

/**
 * Prepares the dashboard ahead of its first drawing of a day (docs/dashboard-model.md, "per-community figures"): for
 * each period kind drawn this period or the one before (a community's part of it is on disk), every community with
 * such a part gets its part of this period as of today, read from disk when current, else computed from its records
 * and kept. One community after the other, the main thread given back between them; stops when `stillWanted` says so.
 * Returns how many parts were current and how many were computed.
 */
export async function prepareDashboard(
  store: WorkstationStore,
  today: string,
  stillWanted: () => boolean = () => true,
): Promise<{ current: number; computed: number }> {
  const drawn = await figureRows(store).keptPeriods();
  let current = 0;
  let computed = 0;
  for (const kind of PERIOD_KINDS) {
    const { current: choice, codes } = codesOf(kind, today);
    // A community drawn in both periods once.
    const list = [...new Map(codes.flatMap((code) => drawn.get(code) ?? []))];
    if (list.length === 0) continue;
    const asOf = defaultAsOf(periodOfChoice(choice).to, today);
    const reader = new PartsReader(store, choice, asOf);
    for (const c of communitiesOf(list, [choice.year - 1, choice.year])) {
      if (!stillWanted()) return { current, computed };
      if ((await reader.kept(c)) !== null) {
        current++;
        continue;
      }
      await (
        await reader.compute(c)
      ).kept;
      computed++;
      // The screens and the sync go first: one community at a time.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  return { current, computed };
}
