/**
 * What 今天要办 reads, straight from the community's documents through the domain's reads (the dashboard does not
 * reach into the mediation and meetings screens): the cases of this year and the last, the open action items of last
 * year, this year and next year (the years the sync keeps in step), the case number's district prefix, and who "me"
 * is for action items.
 */
import { useMemo } from 'react';
import type * as Y from 'yjs';
import { chinaDate } from '@shared/domain/dates';
import { openActionItems, type OpenActionItem } from '@shared/domain/meetings/commands';
import { isOwnedBy } from '@shared/domain/meetings/types';
import type { MediationCase } from '@shared/domain/mediation/types';
import { listCases } from '@shared/ydoc/cases';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { readMeta } from '@shared/ydoc/registry';
import { useDocValue, useMyPerson, useRegistryValue, useStore } from '../../data/hooks';

export interface DueActionItem extends OpenActionItem {
  readonly year: number;
}

const readCases = (doc: Y.Doc): MediationCase[] => listCases(doc);
const readOpenItems = (doc: Y.Doc): OpenActionItem[] => openActionItems(doc, chinaDate(new Date()));
/** The district's first character, as case numbers print it (顺 for 顺庆区). */
const readNumberPrefix = (doc: Y.Doc): string => (readMeta(doc).districtName || '').slice(0, 1);

function thisYear(): number {
  return Number(chinaDate(new Date()).slice(0, 4));
}

/** Cases of this year and the last, live; `undefined` while a document loads. */
export function useTodayCases(community: CommunityId | null): MediationCase[] | undefined {
  const year = thisYear();
  const name = (y: number) => (community ? docName({ community, collection: 'cases', year: y }) : null);
  const current = useDocValue(name(year), readCases);
  const previous = useDocValue(name(year - 1), readCases);
  return useMemo(
    () => (current === undefined || previous === undefined ? undefined : [...current, ...previous]),
    [current, previous],
  );
}

/**
 * The open action items of the person at the keyboard (the registry person linked in 设置, else the account's name),
 * oldest deadline first; `undefined` while loading.
 */
export function useMyActionItems(community: CommunityId | null): DueActionItem[] | undefined {
  const store = useStore();
  const year = thisYear();
  const name = (y: number) => (community ? docName({ community, collection: 'meetings', year: y }) : null);
  const last = useDocValue(name(year - 1), readOpenItems);
  const current = useDocValue(name(year), readOpenItems);
  const next = useDocValue(name(year + 1), readOpenItems);
  const ref = useMyPerson(community);
  const userName = store.user.userName;
  return useMemo(() => {
    if (last === undefined || current === undefined || next === undefined || ref === undefined) return undefined;
    const me = { ref, name: userName };
    return [
      ...last.map((item) => ({ ...item, year: year - 1 })),
      ...current.map((item) => ({ ...item, year })),
      ...next.map((item) => ({ ...item, year: year + 1 })),
    ]
      .filter((item) => isOwnedBy(item.actionItem.owner, me))
      .sort((a, b) =>
        a.actionItem.deadline < b.actionItem.deadline ? -1 : a.actionItem.deadline > b.actionItem.deadline ? 1 : 0,
      );
  }, [last, current, next, ref, userName, year]);
}

export function useCaseNumberPrefix(community: CommunityId | null): string | undefined {
  return useRegistryValue(community, readNumberPrefix);
}
