/**
 * Data of the dashboard's party-building and resources section (docs/dashboard-model.md, "party building and
 * resources"): for the chosen communities and years, the figure rows of each yearly activities document and of each
 * registry (renderer/data/figureRows.ts: made from the documents, kept beside them on disk, made again whenever a
 * document changed), live: a change of any of them, local or by sync, is read again.
 */
import { useEffect, useMemo, useState } from 'react';
import type { CommunityActivity } from '@shared/domain/dashboard/partyFigures';
import { docName, isCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { figureRows } from '../../data/figureRows';
import { useStore } from '../../data/hooks';

interface Chosen {
  readonly id: CommunityId;
  readonly registryName: string;
  readonly activityNames: readonly string[];
}

/** The communities' party and resources rows for the years, live; `undefined` until every one is read. */
export function usePartyResources(
  communities: readonly { id: string }[],
  years: readonly number[],
): CommunityActivity[] | undefined {
  const store = useStore();
  const key = JSON.stringify([communities.map((c) => c.id), years]);
  const [value, setValue] = useState<{ key: string; data: CommunityActivity[] } | undefined>(undefined);
  useEffect(() => {
    const [ids, ys] = JSON.parse(key) as [string[], number[]];
    const chosen: Chosen[] = ids.filter(isCommunityId).map((id) => ({
      id,
      registryName: docName({ community: id, collection: 'registry' }),
      activityNames: ys.map((year) => docName({ community: id, collection: 'activities', year })),
    }));
    const keeper = figureRows(store);
    let live = true;
    let ready = false;
    let scheduled = false;
    const byCommunity = new Map<string, CommunityActivity>();
    const changed = new Set<string>();
    const read = async (c: Chosen) => {
      const [registry, activities] = await Promise.all([
        keeper.registryFigures(c.id),
        Promise.all(c.activityNames.map((name) => keeper.activityRows(name))),
      ]);
      byCommunity.set(c.id, { id: c.id, registry, activities });
    };
    const publish = () => {
      if (live && ready) setValue({ key, data: chosen.flatMap((c) => byCommunity.get(c.id) ?? []) });
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
          (c) => names.includes(c.registryName) || c.activityNames.some((n) => names.includes(n)),
        );
        void Promise.all(touched.map(read))
          .then(publish)
          .catch((error: unknown) => console.error(error));
      }, 0);
    };
    const unsubscribe = keeper.onChange((name) => {
      changed.add(name.replace('-masked', ''));
      if (ready) refresh();
    });
    void Promise.all(chosen.map(read))
      .then(() => {
        if (!live) return;
        ready = true;
        publish();
        if (changed.size > 0) refresh();
      })
      .catch((error: unknown) => console.error(error));
    return () => {
      live = false;
      unsubscribe();
    };
  }, [store, key]);
  return useMemo(() => (value && value.key === key ? value.data : undefined), [value, key]);
}
