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
import type { WorkingCalendar } from '@shared/domain/calendar';
import { RecordsFromRows, type FigureRows } from '@shared/domain/dashboard/rows';
import type { CommunityHistories } from '@shared/domain/dashboard/street';
import type { IncidentLimits } from '@shared/domain/incidents/limits';
import type { MediationCase } from '@shared/domain/mediation/types';
import { listCases } from '@shared/ydoc/cases';
import { docName, isCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { figureRows } from '../../data/figureRows';
import { useStore } from '../../data/hooks';
import { identityOf, Kept } from './identity';

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

/**
 * The records of the communities for the years (the period's and the year before, for the previous period and for
 * records begun last year), live; `undefined` until every one is read.
 */
export function useHistories(
  communities: readonly { id: string; name: string }[],
  years: readonly number[],
): CommunityData[] | undefined {
  const store = useStore();
  const key = JSON.stringify([communities.map((c) => [c.id, c.name]), years]);
  const [value, setValue] = useState<{ key: string; data: CommunityData[] } | undefined>(undefined);
  useEffect(() => {
    const [list, ys] = JSON.parse(key) as [[string, string][], number[]];
    const chosen = communitiesOf(list, ys);
    const keeper = figureRows(store);
    let live = true;
    const stillLive = () => live;
    const rows = new Map<string, FigureRows>();
    const calendars = new Map<string, WorkingCalendar>();
    const limits = new Map<string, IncidentLimits>();
    const cases = new Map<string, Y.Doc[]>();
    const byCommunity = new Map<string, CommunityData>();
    // Names whose rows changed while being read (or after): read again.
    const changed = new Set<string>();
    let scheduled = false;
    let ready = false;

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
    const publish = () => {
      if (!live || !ready) return;
      setValue({ key, data: chosen.flatMap((c) => byCommunity.get(c.id) ?? []) });
    };
    const rebuild = (c: Community) => {
      byCommunity.set(
        c.id,
        dataOf(
          c,
          rows,
          calendars.get(c.id) as WorkingCalendar,
          limits.get(c.id) as IncidentLimits,
          cases.get(c.id) ?? [],
        ),
      );
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
        void Promise.all(touched.map(readCommunity))
          .then(() => {
            for (const c of touched) rebuild(c);
            publish();
          })
          .catch((error: unknown) => console.error(error));
      }, 0);
    };
    const unsubscribe = keeper.onChange((name) => {
      changed.add(name.endsWith('/registry-masked') ? name.replace(/-masked$/, '') : name);
      if (ready) refresh();
    });

    performance.mark('cgw:dashboard load-start');
    void (async () => {
      await Promise.all(chosen.map(readCommunity));
      // The screen may have moved on (another scope or year) while the rows were read.
      if (!stillLive()) return;
      performance.mark('cgw:dashboard rows-read');
      for (const c of chosen) rebuild(c);
      ready = true;
      publish();
      // What changed while the rows were read is read again.
      if (changed.size > 0) refresh();
    })().catch((error: unknown) => console.error(error));
    return () => {
      live = false;
      unsubscribe();
    };
  }, [store, key]);
  return useMemo(() => (value && value.key === key ? value.data : undefined), [value, key]);
}
