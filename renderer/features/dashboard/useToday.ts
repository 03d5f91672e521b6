/**
 * What 今天要办 reads of the meetings, straight from the documents through the domain's reads: the open action items of
 * last year, this year and next year (the years the sync keeps in step), and who "me" is for action items. The cases
 * come from the mediation feature's own read (`useAllCases`, incremental), through its index.
 */
import { useMemo } from 'react';
import type * as Y from 'yjs';
import { chinaDate } from '@shared/domain/dates';
import { openActionItems, type OpenActionItem } from '@shared/domain/meetings/commands';
import { isOwnedBy } from '@shared/domain/meetings/types';
import { docName, type CommunityId } from '@shared/ydoc/docName';
import { useDocValue, useMyPerson, useStore } from '../../data/hooks';

export interface DueActionItem extends OpenActionItem {
  readonly year: number;
}

const readOpenItems = (doc: Y.Doc): OpenActionItem[] => openActionItems(doc, chinaDate(new Date()));

function thisYear(): number {
  return Number(chinaDate(new Date()).slice(0, 4));
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
