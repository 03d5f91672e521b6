import { Badge, Button, Card, Grid, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type ReactNode, type SyntheticEvent } from 'react';
import { chinaDate } from '@shared/domain/dates';
import { createPartyOrg, recordPartyCheckIn, setPartyOrgMembers } from '@shared/domain/registry/commands';
import { hasOrgsBelow, membersWithBelow } from '@shared/domain/registry/partyMembers';
import { renamePartyOrg, setPartyOrgSecretary } from '@shared/domain/registry/placeCommands';
import {
  PARTY_ORG_KINDS,
  type BuildingId,
  type CompoundId,
  type PartyOrgId,
  type PartyOrgKind,
  type ResidentId,
} from '@shared/domain/registry/types';
import type { CommunityId } from '@shared/ydoc/docName';
import type { StoredRecord } from '@shared/ydoc/registry';
import { useRecords, useResidentSearch } from '../../../../data/hooks';
import { useT } from '../../../../i18n';
import { ErrorLine } from '../common/ErrorLine';
import { HeadPicker } from '../common/HeadPicker';
import { useCommand } from '../common/useCommand';
import { usePeople, type People } from '../common/usePeople';
import { naturalCompare } from '@shared/domain/naturalOrder';
import { DateField } from '../../../../ui/DateField';

const NONE = '';
type Org = StoredRecord<'partyOrgs'>;

/** Today in China, as the 双报到 default (the command refuses a future day in the same zone). */
function chinaToday(): string {
  return chinaDate(new Date());
}

function MemberRow({
  community,
  org,
  memberId,
  people,
}: {
  community: CommunityId;
  org: Org;
  memberId: ResidentId;
  people: People;
}) {
  const t = useT();
  const person = people.resident(memberId);
  const [date, setDate] = useState(person?.partyCheckIn ?? chinaToday());
  const checkIn = useCommand(community);
  const remove = useCommand(community);
  return (
    <Table.Tr>
      <Table.Td>{person?.name ?? memberId}</Table.Td>
      <Table.Td>{person?.address ?? ''}</Table.Td>
      <Table.Td>
        {person?.partyCheckIn ? (
          <Badge color="green" variant="light">
            {t('places.party.checkedIn', { date: person.partyCheckIn })}
          </Badge>
        ) : (
          <Badge color="gray" variant="light">
            {t('places.party.notCheckedIn')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <DateField
            size="xs"
            w={140}
            aria-label={t('places.party.checkInDateOf', { name: person?.name ?? '' })}
            value={date}
            onChange={setDate}
          />
          <Button
            size="xs"
            variant="light"
            onClick={() => void checkIn.run(recordPartyCheckIn, { residentId: memberId, date })}
          >
            {t('places.party.recordCheckIn')}
          </Button>
          <Button
            size="xs"
            variant="subtle"
            color="red"
            aria-label={t('places.party.removeMemberOf', { name: person?.name ?? '' })}
            onClick={() =>
              void remove.run(setPartyOrgMembers, {
                id: org.id,
                memberIds: org.memberIds.filter((m) => m !== memberId),
              })
            }
          >
            {t('places.party.removeMember')}
          </Button>
        </Group>
        <ErrorLine error={checkIn.error ?? remove.error} />
      </Table.Td>
    </Table.Tr>
  );
}

function AddMember({ community, org }: { community: CommunityId; org: Org }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const { run, error } = useCommand(community);
  const search = useResidentSearch(community, query, { tag: 'party-member' }, 8);
  return (
    <Stack gap={4}>
      <TextInput
        size="xs"
        label={t('places.party.addMember')}
        description={t('places.party.addMemberHint')}
        value={query}
        onChange={(event) => setQuery(event.currentTarget.value)}
      />
      {query.trim() !== '' &&
        search.hits
          .filter(({ row }) => !org.memberIds.includes(row.id as ResidentId))
          .map(({ row }) => (
            <Button
              key={row.id}
              size="xs"
              variant="light"
              justify="flex-start"
              onClick={() =>
                void run(setPartyOrgMembers, { id: org.id, memberIds: [...org.memberIds, row.id as ResidentId] }).then(
                  () => setQuery(''),
                )
              }
            >
              {t('places.party.pickMember', { name: String(row.record.name), address: row.keys.address })}
            </Button>
          ))}
      <ErrorLine error={error} />
    </Stack>
  );
}

function OrgDetails({
  community,
  org,
  people,
  withBelow,
}: {
  community: CommunityId;
  org: Org;
  people: People;
  /** The members of the organisation and of every organisation under it; `null` when none is under it. */
  withBelow: readonly ResidentId[] | null;
}) {
  const t = useT();
  const [name, setName] = useState(org.name);
  const rename = useCommand(community);
  const secretary = useCommand(community);
  const role = t('places.party.secretary');
  const person = people.lookup(org.secretary);
  const checkedOf = (ids: readonly ResidentId[]) => ids.filter((id) => people.resident(id)?.partyCheckIn).length;
  const checked = checkedOf(org.memberIds);
  const total = withBelow?.length ?? 0;
  const totalChecked = withBelow === null ? 0 : checkedOf(withBelow);
  const submitRename = async (event: SyntheticEvent) => {
    event.preventDefault();
    await rename.run(renamePartyOrg, { id: org.id, name });
  };
  return (
    <Stack>
      <Group gap="xs">
        <Badge variant="light" color="red">
          {t(`places.party.kind.${org.kind}`)}
        </Badge>
        <Title order={3} size="h4">
          {org.name}
        </Title>
      </Group>
      <Text size="sm">
        {role}
        {t('places.colon')}
        {person ? `${person.name} ${person.phone ?? ''}` : t('places.head.none')}
      </Text>
      <form onSubmit={(event) => void submitRename(event)}>
        <Group align="flex-end" gap="xs">
          <TextInput
            size="xs"
            required
            label={t('places.party.name')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <Button size="xs" type="submit">
            {t('places.zone.rename')}
          </Button>
        </Group>
      </form>
      <ErrorLine error={rename.error} />
      <Text fw={600} size="sm">
        {t('places.head.setTitle', { role })}
      </Text>
      <HeadPicker
        community={community}
        people={people}
        role={role}
        residentTag="party-member"
        canClear={org.secretary !== null}
        onPick={(ref) => secretary.run(setPartyOrgSecretary, { id: org.id, secretary: ref })}
      />
      <ErrorLine error={secretary.error} />
      <Text fw={600} size="sm" data-testid="check-in-count">
        {withBelow === null
          ? t('places.party.members', {
              total: org.memberIds.length,
              checked,
              unchecked: org.memberIds.length - checked,
            })
          : t('partySum.members', {
              total,
              own: org.memberIds.length,
              checked: totalChecked,
              unchecked: total - totalChecked,
            })}
      </Text>
      <AddMember community={community} org={org} />
      <Table.ScrollContainer minWidth={500} maxHeight={420}>
        <Table striped stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('places.head.name')}</Table.Th>
              <Table.Th>{t('places.household.address')}</Table.Th>
              <Table.Th>{t('places.party.checkIn')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {org.memberIds.map((id) => (
              <MemberRow key={id} community={community} org={org} memberId={id} people={people} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function CreateOrgForm({
  community,
  orgs,
  compounds,
  buildings,
  onCreated,
}: {
  community: CommunityId;
  orgs: readonly Org[];
  compounds: readonly StoredRecord<'compounds'>[];
  buildings: readonly StoredRecord<'buildings'>[];
  onCreated: (id: PartyOrgId) => void;
}) {
  const t = useT();
  const [kind, setKind] = useState<PartyOrgKind>(orgs.some((o) => o.kind === 'committee') ? 'branch' : 'committee');
  const [parentId, setParentId] = useState(NONE);
  const [placeId, setPlaceId] = useState(NONE);
  const [name, setName] = useState('');
  const { run, error } = useCommand(community);
  const parentKind = PARTY_ORG_KINDS[PARTY_ORG_KINDS.indexOf(kind) - 1];
  const parents = parentKind ? orgs.filter((o) => o.kind === parentKind) : [];
  const chosenParent = parents.some((p) => p.id === parentId) ? parentId : (parents[0]?.id ?? NONE);
  const places =
    kind === 'branch'
      ? compounds.map((c) => ({ value: c.id, label: c.name })).sort((a, b) => naturalCompare(a.label, b.label))
      : kind === 'group'
        ? buildings
            .map((b) => ({
              value: b.id,
              label: `${compounds.find((c) => c.id === b.compoundId)?.name ?? ''} ${b.name}`,
            }))
            .sort((a, b) => naturalCompare(a.label, b.label))
        : [];
  const chosenPlace = places.some((p) => p.value === placeId) ? placeId : NONE;
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const id = await run(createPartyOrg, {
      kind,
      name,
      parentId: chosenParent === NONE ? null : (chosenParent as PartyOrgId),
      compoundId: kind === 'branch' && chosenPlace !== NONE ? (chosenPlace as CompoundId) : null,
      buildingId: kind === 'group' && chosenPlace !== NONE ? (chosenPlace as BuildingId) : null,
    });
    if (id !== null) {
      setName('');
      onCreated(id);
    }
  };
  return (
    <form onSubmit={(event) => void submit(event)}>
      <Stack gap={6}>
        <Group grow gap="xs">
          <NativeSelect
            size="xs"
            label={t('places.party.kind')}
            value={kind}
            onChange={(event) => setKind(event.currentTarget.value as PartyOrgKind)}
            data={PARTY_ORG_KINDS.map((k) => ({ value: k, label: t(`places.party.kind.${k}`) }))}
          />
          {parentKind && (
            <NativeSelect
              size="xs"
              label={t('places.party.parent')}
              value={chosenParent}
              onChange={(event) => setParentId(event.currentTarget.value)}
              data={
                parents.length === 0
                  ? [{ value: NONE, label: t('places.none') }]
                  : parents
                      .map((p) => ({ value: p.id, label: p.name }))
                      .sort((a, b) => naturalCompare(a.label, b.label))
              }
            />
          )}
        </Group>
        {kind !== 'committee' && (
          <NativeSelect
            size="xs"
            label={kind === 'branch' ? t('places.compound.label') : t('places.level.building')}
            value={chosenPlace}
            onChange={(event) => setPlaceId(event.currentTarget.value)}
            data={[{ value: NONE, label: t('places.none') }, ...places]}
          />
        )}
        <Group align="flex-end" gap="xs">
          <TextInput
            size="xs"
            required
            label={t('places.party.name')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <Button size="xs" type="submit">
            {t('places.party.create')}
          </Button>
        </Group>
        <ErrorLine error={error} />
      </Stack>
    </form>
  );
}

/** 党组织: 社区党委 → 小区党支部 → 楼栋党小组, their secretaries and members, and members' 双报到. */
export function PartyTab({ community }: { community: CommunityId }) {
  const t = useT();
  const orgs = useRecords(community, 'partyOrgs');
  const compounds = useRecords(community, 'compounds');
  const buildings = useRecords(community, 'buildings');
  const people = usePeople(community);
  const [selected, setSelected] = useState<string | null>(null);
  if (!orgs || !compounds || !buildings) return <Text c="dimmed">{t('places.loading')}</Text>;
  const org = orgs.find((o) => o.id === selected) ?? null;
  const known = new Set(orgs.map((o) => o.id));
  const childrenOf = (parent: string | null) =>
    orgs
      .filter((o) => (parent === null ? o.parentId === null || !known.has(o.parentId) : o.parentId === parent))
      .sort((a, b) => naturalCompare(a.name, b.name));
  // A committee counts the members of its branches and groups, each once (the domain's rule).
  const withBelow = (root: Org): ResidentId[] => membersWithBelow(orgs, root.id);
  const hasBelow = (o: Org) => hasOrgsBelow(orgs, o.id);
  // The party hierarchy is at most three deep (committee → branch → group) by the create rule, so no cycle guard.
  const renderLevel = (parent: string | null, depth: number): ReactNode => {
    const kids = depth > 3 ? [] : childrenOf(parent);
    if (kids.length === 0) return null;
    return (
      <ul style={{ listStyle: 'none', margin: 0, paddingInlineStart: depth === 1 ? 0 : 18 }}>
        {kids.map((o) => (
          <li key={o.id}>
            <Button
              size="compact-sm"
              variant={o.id === selected ? 'light' : 'subtle'}
              aria-pressed={o.id === selected}
              onClick={() => setSelected(o.id)}
              leftSection={
                <Badge size="xs" color="red" variant="light">
                  {t(`places.party.kind.${o.kind}`)}
                </Badge>
              }
            >
              {o.name}
              <Text span size="xs" c="dimmed" ml={6} data-testid="party-org-count">
                {t('partySum.count', { n: withBelow(o).length })}
              </Text>
            </Button>
            {renderLevel(o.id, depth + 1)}
          </li>
        ))}
      </ul>
    );
  };
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Card withBorder>
          <Stack>
            <nav aria-label={t('places.part.party')}>
              {renderLevel(null, 1) ?? (
                <Text size="sm" c="dimmed">
                  {t('places.party.empty')}
                </Text>
              )}
            </nav>
            <Text fw={600} size="sm">
              {t('places.party.create')}
            </Text>
            <CreateOrgForm
              community={community}
              orgs={orgs}
              compounds={compounds}
              buildings={buildings}
              onCreated={setSelected}
            />
          </Stack>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Card withBorder>
          {org ? (
            <OrgDetails
              key={org.id}
              community={community}
              org={org}
              people={people}
              withBelow={hasBelow(org) ? withBelow(org) : null}
            />
          ) : (
            <Text size="sm" c="dimmed">
              {t('places.party.pick')}
            </Text>
          )}
        </Card>
      </Grid.Col>
    </Grid>
  );
}
