import { Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { naturalCompare } from '@shared/domain/naturalOrder';
import { ZONE_LEVELS, type HeadRef } from '@shared/domain/registry/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useCommunityId, useMyPerson, useRecords, useResidentSearch, useStore } from '../../data/hooks';
import { useT } from '../../i18n';

const refKey = (ref: HeadRef): string => `${ref.kind}:${ref.id}`;

/** A person's posts are listed from the top of the five heads (片长, the zone levels' order) down, 楼栋长 last. */
const BUILDING_RANK = ZONE_LEVELS.length;

/** Choices shown at once: the heads first, then volunteers and residents matching what is typed. */
const MAX_CHOICES = 12;

function refOfKey(key: string): HeadRef | null {
  const [kind, ...rest] = key.split(':');
  const id = rest.join(':');
  if (!id) return null;
  if (kind === 'resident') return { kind, id } as HeadRef;
  if (kind === 'volunteer') return { kind, id } as HeadRef;
  return null;
}

interface Option {
  readonly value: string;
  readonly label: string;
}

/**
 * The heads of the five-heads tree and the volunteers, offered first (they are the people who use "my cases" and
 * "my action items"), then residents matching what is typed.
 */
function usePeopleOptions(community: CommunityId, query: string): Option[] {
  const t = useT();
  const store = useStore();
  const zones = useRecords(community, 'zones');
  const buildings = useRecords(community, 'buildings');
  const volunteers = useRecords(community, 'volunteers');
  const { hits } = useResidentSearch(community, query, {}, 20);
  // Heads who are residents: their names come from the resident index, whatever is typed.
  const headResidents = useMemo(() => {
    const ids = new Set<string>();
    for (const r of [...(zones ?? []), ...(buildings ?? [])]) if (r.head?.kind === 'resident') ids.add(r.head.id);
    return [...ids].sort().join(',');
  }, [zones, buildings]);
  const [residentNames, setResidentNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    const ids = headResidents ? headResidents.split(',') : [];
    void Promise.all(ids.map(async (id) => [id, (await store.residentRow(community, id))?.keys.name] as const)).then(
      (pairs) => {
        if (live) setResidentNames(new Map(pairs.filter((p): p is [string, string] => typeof p[1] === 'string')));
      },
    );
    return () => {
      live = false;
    };
  }, [store, community, headResidents]);
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const [id, name] of residentNames) names.set(`resident:${id}`, name);
    const posts = new Map<string, { rank: number; post: string }[]>();
    for (const v of volunteers ?? []) if (!v.deleted) names.set(`volunteer:${v.id}`, v.name);
    for (const hit of hits) names.set(`resident:${hit.row.id}`, hit.row.keys.name);
    const addPost = (head: HeadRef | null, rank: number, post: string) => {
      if (!head) return;
      const key = refKey(head);
      posts.set(key, [...(posts.get(key) ?? []), { rank, post }]);
    };
    for (const z of zones ?? []) {
      if (!z.deleted) addPost(z.head, ZONE_LEVELS.indexOf(z.level), `${t(`places.head.${z.level}`)} ${z.name}`);
    }
    for (const b of buildings ?? [])
      if (!b.deleted) addPost(b.head, BUILDING_RANK, `${t('places.head.building')} ${b.name}`);
    const q = query.trim();
    const hitIds = new Set(hits.map((hit) => `resident:${hit.row.id}`));
    const options: Option[] = [];
    const seen = new Set<string>();
    const push = (key: string, name: string | undefined, detail: string) => {
      if (seen.has(key) || !name) return;
      const label = detail ? `${name} · ${detail}` : name;
      if (q && !label.includes(q) && !hitIds.has(key)) return;
      seen.add(key);
      options.push({ value: key, label });
    };
    // Every post a person holds, in the app's language (a third post was dropped before).
    for (const [key, list] of posts) {
      const held = [...list].sort((a, b) => a.rank - b.rank || naturalCompare(a.post, b.post));
      push(key, names.get(key), held.map((p) => p.post).join(t('places.listSeparator')));
    }
    for (const v of volunteers ?? []) if (!v.deleted) push(`volunteer:${v.id}`, v.name, t('settings.me.volunteer'));
    if (q) for (const hit of hits) push(`resident:${hit.row.id}`, hit.row.keys.name, hit.row.keys.address);
    return options;
  }, [t, zones, buildings, volunteers, hits, query, residentNames]);
}

/** The linked person's name, also when they are not among the options shown now. */
function useLinkedName(community: CommunityId, person: HeadRef | null | undefined): string | null | undefined {
  const store = useStore();
  const volunteers = useRecords(community, 'volunteers');
  const [resident, setResident] = useState<{ id: string; name: string | null } | null>(null);
  useEffect(() => {
    if (person?.kind !== 'resident') return;
    let live = true;
    void store.residentRow(community, person.id).then((row) => {
      if (live) setResident({ id: person.id, name: row?.keys.name ?? null });
    });
    return () => {
      live = false;
    };
  }, [store, community, person]);
  if (person === undefined) return undefined;
  if (person === null) return null;
  if (person.kind === 'volunteer') return volunteers?.find((v) => v.id === person.id)?.name ?? null;
  return resident?.id === person.id ? resident.name : undefined;
}

function PersonLink({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const person = useMyPerson(community);
  const linkedName = useLinkedName(community, person);
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 80);
  const options = usePeopleOptions(community, debounced);
  const link = (key: string | null) => {
    const ref = key ? refOfKey(key) : null;
    if (ref) void store.setPersonIn(community, ref).then(() => setQuery(''));
  };
  return (
    <Stack gap="xs">
      <TextInput
        type="search"
        label={t('settings.me.person')}
        description={t('settings.me.personHint')}
        placeholder={t('settings.me.personPlaceholder')}
        value={query}
        onChange={(event) => setQuery(event.currentTarget.value)}
      />
      {options.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('settings.me.nobody')}
        </Text>
      ) : (
        <Group gap={4} role="group" aria-label={t('settings.me.choices')}>
          {options.slice(0, MAX_CHOICES).map((option) => (
            <Button
              key={option.value}
              size="compact-sm"
              variant={person && refKey(person) === option.value ? 'filled' : 'light'}
              onClick={() => link(option.value)}
            >
              {option.label}
            </Button>
          ))}
        </Group>
      )}
      <Group gap="sm">
        <Text size="sm" data-testid="settings-person-linked">
          {person
            ? t('settings.me.linked', { name: linkedName ?? t('settings.me.unknownPerson') })
            : person === null
              ? t('settings.me.notLinked')
              : t('settings.loading')}
        </Text>
        {person && (
          <Button size="xs" variant="default" onClick={() => void store.setPersonIn(community, null)}>
            {t('settings.me.unlink')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

/**
 * 我的身份: the name records carry, which is the signed-in account's (read-only here: accounts are managed under
 * 账户, another person uses 切换用户), and who the account is in the current community's registry, so "my cases" and
 * "my action items" follow the person even when two people share a name.
 */
export function IdentityCard() {
  const t = useT();
  const store = useStore();
  const community = useCommunityId();
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {t('settings.me')}
      </Title>
      <Stack gap="md">
        <div>
          <Text fw={500} data-testid="settings-user-name">
            {t('account.identity.name', { name: store.user.userName })}
          </Text>
          <Text size="xs" c="dimmed">
            {t('account.identity.hint')}
          </Text>
        </div>
        {community ? (
          <PersonLink community={community} />
        ) : (
          <Text size="sm" c="dimmed">
            {t('settings.me.noCommunity')}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
