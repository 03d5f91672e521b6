import { useMemo } from 'react';
import type { HeadRef } from '@shared/domain/registry/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useRecords, useResidentSearch } from '../../../../data/hooks';

export interface Person {
  readonly name: string;
  readonly phone: string | null;
  /** 双报到 day of a resident party member. */
  readonly partyCheckIn?: string | null;
  /** Address of a resident (from the search keys). */
  readonly address?: string;
}

const ALL = 1_000_000;

/**
 * Names and phones of the people a head or secretary can be: every living resident (from the in-memory search
 * index, so no table scan per render) and every volunteer. Heads' phones are public contact numbers for residents,
 * so they are shown in full here, unlike the resident list.
 */
export function usePeople(community: CommunityId) {
  const residents = useResidentSearch(community, '', {}, ALL);
  const volunteers = useRecords(community, 'volunteers');
  return useMemo(() => {
    const byResident = new Map<string, Person>();
    for (const { row } of residents.hits) {
      const name = row.record.name;
      const phone = row.record.phone;
      const checkIn = row.record.partyCheckIn;
      byResident.set(row.id, {
        name: typeof name === 'string' ? name : '',
        phone: typeof phone === 'string' ? phone : null,
        partyCheckIn: typeof checkIn === 'string' ? checkIn : null,
        address: row.keys.address,
      });
    }
    const byVolunteer = new Map<string, Person>(
      (volunteers ?? []).map((v) => [v.id, { name: v.name, phone: v.phone }]),
    );
    const lookup = (head: HeadRef | null): Person | null => {
      if (head === null) return null;
      return (head.kind === 'resident' ? byResident.get(head.id) : byVolunteer.get(head.id)) ?? null;
    };
    const resident = (id: string): Person | null => byResident.get(id) ?? null;
    return { lookup, resident, volunteers: volunteers ?? [] };
  }, [residents.hits, volunteers]);
}

export type People = ReturnType<typeof usePeople>;
