import { Badge, Button, CloseButton, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback } from 'react';
import type * as Y from 'yjs';
import { sameRef, type Person, type PersonRef } from '@shared/domain/meetings/types';
import type { ResidentId } from '@shared/domain/registry/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { readRecord } from '@shared/ydoc/registry';
import { useMyPerson, useRecords, useRegistryValue, useResidentSearch } from '../../data/hooks';
import { useT } from '../../i18n';

const MAX_HITS = 5;

interface Candidate {
  readonly person: Person;
  /** Address of a resident, "volunteer" of a volunteer, nothing for a name from the meeting. */
  readonly where: string;
}

/**
 * One person of a meeting (convener, chair, recorder, action-item owner): typed as a name, and linked to the registry
 * when the name is found there (a resident by name, pinyin initials or address, or a volunteer, as five-heads heads
 * are). Someone the registry does not know (a street-office official) keeps the typed name with no reference. Typing
 * again drops the link, so a reference never names someone else than the name shown. Inputs and buttons only, so Tab
 * and Enter reach all of it.
 */
export function PersonField({
  community,
  label,
  value,
  onChange,
  suggestions = [],
  required = false,
  size,
}: {
  community: CommunityId;
  label: string;
  value: Person;
  onChange: (next: Person) => void;
  /** People of the meeting offered first (their references kept), e.g. attendees as action-item owners. */
  suggestions?: readonly Person[];
  required?: boolean;
  size?: 'xs' | 'sm';
}) {
  const t = useT();
  const [query] = useDebouncedValue(value.ref === null ? value.name.trim() : '', 80);
  // An idle field reads nothing: the registry is searched only while a name is typed and not yet linked.
  const searching = query !== '' ? community : null;
  const search = useResidentSearch(searching, query, {}, MAX_HITS);
  const volunteers = useRecords(searching, 'volunteers');
  const candidates: Candidate[] = [];
  if (query !== '') {
    const seen = new Set<string>();
    const add = (candidate: Candidate) => {
      const key = candidate.person.ref
        ? `${candidate.person.ref.kind}:${candidate.person.ref.id}`
        : `name:${candidate.person.name}`;
      if (seen.has(key) || candidates.length >= MAX_HITS * 2) return;
      seen.add(key);
      candidates.push(candidate);
    };
    for (const person of suggestions) {
      if (person.name.includes(query) && (person.ref !== null || person.name !== query)) {
        add({ person, where: t('mtg.person.ofMeeting') });
      }
    }
    for (const { row } of search.hits) {
      const name = typeof row.record.name === 'string' ? row.record.name : '';
      add({ person: { name, ref: { kind: 'resident', id: row.id as ResidentId } }, where: row.keys.address });
    }
    for (const v of (volunteers ?? []).filter((v) => v.name.includes(query)).slice(0, MAX_HITS)) {
      add({
        person: { name: v.name, ref: { kind: 'volunteer', id: v.id } },
        where: t('mtg.person.volunteer'),
      });
    }
  }
  return (
    <Stack gap={4}>
      <TextInput
        required={required}
        size={size}
        label={label}
        value={value.name}
        onChange={(event) => onChange({ name: event.currentTarget.value, ref: null })}
        description={
          value.ref === null && query !== '' && candidates.length === 0 && !search.loading
            ? t('mtg.person.typed')
            : undefined
        }
      />
      {value.ref !== null && (
        <Group gap={4}>
          <Badge
            variant="light"
            data-testid="person-linked"
            rightSection={
              <CloseButton
                size="xs"
                aria-label={t('mtg.person.unlink', { name: value.name })}
                onClick={() => onChange({ name: value.name, ref: null })}
              />
            }
          >
            {t(refLabel(value.ref))}
          </Badge>
        </Group>
      )}
      {candidates.length > 0 && (
        <Group gap={4}>
          {candidates.map(({ person, where }) => (
            <Button
              key={person.ref ? `${person.ref.kind}:${person.ref.id}` : `name:${person.name}`}
              size="compact-xs"
              variant="light"
              data-testid="person-hit"
              onClick={() => onChange(person)}
            >
              {t('mtg.person.pick', { name: person.name, where })}
            </Button>
          ))}
        </Group>
      )}
    </Stack>
  );
}

function refLabel(ref: PersonRef) {
  return ref.kind === 'resident'
    ? ('mtg.person.linked.resident' as const)
    : ref.kind === 'volunteer'
      ? ('mtg.person.linked.volunteer' as const)
      : ('mtg.person.linked.household' as const);
}

/** The people who run a meeting, as `createMeeting` and `updateMeetingDetails` take them. */
export interface MeetingPeople {
  readonly convener: Person;
  readonly chair: Person;
  readonly recorder: Person;
}

/** Convener, chair and recorder of a meeting, each picked from the registry or typed: for new and edited meetings. */
export function MeetingPeopleFields({
  community,
  value,
  onChange,
}: {
  community: CommunityId;
  value: MeetingPeople;
  onChange: (next: MeetingPeople) => void;
}) {
  const t = useT();
  const field = (role: keyof MeetingPeople, label: 'mtg.field.convener' | 'mtg.field.chair' | 'mtg.field.recorder') => (
    <PersonField
      required
      community={community}
      label={t(label)}
      value={value[role]}
      onChange={(person) => onChange({ ...value, [role]: person })}
    />
  );
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      {field('convener', 'mtg.field.convener')}
      {field('chair', 'mtg.field.chair')}
      {field('recorder', 'mtg.field.recorder')}
    </SimpleGrid>
  );
}

/** The person to store: the name trimmed, the reference as picked (typing already dropped a stale one). */
export function cleanPerson(person: Person): Person {
  return { name: person.name.trim(), ref: person.ref };
}

/**
 * The registry person linked to this device's user (设置 → 我的身份) as a meeting person, with the name the registry
 * gives: the default owner of a new action item, so "my action items" find it by reference. `null` when not linked
 * (or the record is not synced yet), `undefined` while loading.
 */
export function useMyMeetingPerson(community: CommunityId | null): Person | null | undefined {
  const ref = useMyPerson(community);
  const reader = useCallback(
    (doc: Y.Doc): Person | null => {
      if (!ref) return null;
      const record = readRecord(doc, ref.kind === 'resident' ? 'residents' : 'volunteers', ref.id);
      const name = record?.name;
      return typeof name === 'string' && name !== '' ? { name, ref } : null;
    },
    [ref],
  );
  const person = useRegistryValue(ref ? community : null, reader);
  if (ref === undefined) return undefined;
  if (ref === null) return null;
  // The reader of a previous link may still be the one read: only a person with this reference counts.
  return person === undefined ? undefined : person && sameRef(person.ref, ref) ? person : null;
}
