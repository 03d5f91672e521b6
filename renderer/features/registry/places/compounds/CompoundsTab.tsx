import { Badge, Button, Card, Grid, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import {
  createBuilding,
  createCompound,
  createEntrance,
  createHousehold,
  updateCompound,
} from '@shared/domain/registry/commands';
import { setHouseholdFloorArea } from '@shared/domain/registry/placeCommands';
import {
  COMPOUND_KINDS,
  type CompoundKind,
  type EntranceId,
  type GridId,
  type ZoneId,
} from '@shared/domain/registry/types';
import type { CommunityId } from '@shared/ydoc/docName';
import type { StoredRecord } from '@shared/ydoc/registry';
import { useRecords } from '../../../../data/hooks';
import { useT } from '../../../../i18n';
import { ErrorLine } from '../common/ErrorLine';
import { useCommand } from '../common/useCommand';
import { naturalCompare } from '@shared/domain/naturalOrder';
import { BatchBuildings } from './BatchBuildings';

const NONE = '';

/** Reads an optional number typed by a person: empty is null, anything unreadable is NaN (the command refuses it). */
function optionalNumber(text: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed);
}

function committeeNames(text: string) {
  return text
    .split(/[,，、;；\s]+/)
    .map((n) => n.trim())
    .filter((n) => n !== '')
    .map((name) => ({ name, residentId: null }));
}

interface CompoundFields {
  name: string;
  kind: CompoundKind;
  address: string;
  propertyCompany: string;
  committee: string;
}

function CompoundForm({
  initial,
  submitLabel,
  onSubmit,
}: {
  initial: CompoundFields;
  submitLabel: string;
  onSubmit: (fields: CompoundFields) => Promise<boolean>;
}) {
  const t = useT();
  const [fields, setFields] = useState(initial);
  const set = (key: keyof CompoundFields) => (event: { currentTarget: { value: string } }) =>
    setFields({ ...fields, [key]: event.currentTarget.value });
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if ((await onSubmit(fields)) && initial.name === '') setFields(initial);
  };
  return (
    <form onSubmit={(event) => void submit(event)}>
      <Stack gap={6}>
        <Group grow align="flex-end" gap="xs">
          <TextInput size="xs" required label={t('places.compound.name')} value={fields.name} onChange={set('name')} />
          <NativeSelect
            size="xs"
            label={t('places.compound.kind')}
            value={fields.kind}
            onChange={set('kind')}
            data={COMPOUND_KINDS.map((k) => ({ value: k, label: t(`places.compound.kind.${k}`) }))}
          />
        </Group>
        <TextInput size="xs" label={t('places.compound.address')} value={fields.address} onChange={set('address')} />
        <TextInput
          size="xs"
          label={t('places.compound.property')}
          value={fields.propertyCompany}
          onChange={set('propertyCompany')}
        />
        <TextInput
          size="xs"
          label={t('places.compound.committee')}
          description={t('places.compound.committeeHint')}
          value={fields.committee}
          onChange={set('committee')}
        />
        <Group>
          <Button size="xs" type="submit">
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function toInput(fields: CompoundFields) {
  return {
    name: fields.name,
    kind: fields.kind,
    address: fields.address,
    propertyCompany: fields.propertyCompany.trim() === '' ? null : fields.propertyCompany,
    ownersCommittee: committeeNames(fields.committee),
  };
}

function HouseholdRow({ community, household }: { community: CommunityId; household: StoredRecord<'households'> }) {
  const t = useT();
  const [area, setArea] = useState(household.floorArea === null ? '' : String(household.floorArea));
  const { run, error } = useCommand(community);
  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    await run(setHouseholdFloorArea, { id: household.id, floorArea: optionalNumber(area) });
  };
  return (
    <Table.Tr>
      <Table.Td>{household.doorNumber}</Table.Td>
      <Table.Td>{household.address}</Table.Td>
      <Table.Td>
        <form onSubmit={(event) => void save(event)}>
          <Group gap={4} wrap="nowrap">
            <TextInput
              size="xs"
              w={90}
              aria-label={t('places.household.areaOf', { door: household.doorNumber })}
              value={area}
              onChange={(event) => setArea(event.currentTarget.value)}
            />
            <Button size="xs" variant="light" type="submit">
              {t('places.save')}
            </Button>
          </Group>
          <ErrorLine error={error} />
        </form>
      </Table.Td>
    </Table.Tr>
  );
}

function BuildingPanel({
  community,
  building,
  entrances,
  households,
}: {
  community: CommunityId;
  building: StoredRecord<'buildings'>;
  entrances: readonly StoredRecord<'entrances'>[];
  households: readonly StoredRecord<'households'>[];
}) {
  const t = useT();
  const [entranceName, setEntranceName] = useState('');
  const [entranceId, setEntranceId] = useState(NONE);
  const [door, setDoor] = useState('');
  const [area, setArea] = useState('');
  const entrance = useCommand(community);
  const household = useCommand(community);
  const addEntrance = async (event: SyntheticEvent) => {
    event.preventDefault();
    if ((await entrance.run(createEntrance, { buildingId: building.id, name: entranceName })) !== null) {
      setEntranceName('');
    }
  };
  const addHousehold = async (event: SyntheticEvent) => {
    event.preventDefault();
    const id = await household.run(createHousehold, {
      buildingId: building.id,
      entranceId: entranceId === NONE ? null : (entranceId as EntranceId),
      doorNumber: door,
      floorArea: optionalNumber(area),
    });
    if (id !== null) {
      setDoor('');
      setArea('');
    }
  };
  return (
    <Stack gap="xs">
      <Title order={4} size="h5">
        {t('places.building.detail', { name: building.name })}
      </Title>
      <Group gap={4}>
        {entrances.map((e) => (
          <Badge key={e.id} variant="light">
            {e.name} · {t('places.household.count', { count: households.filter((h) => h.entranceId === e.id).length })}
          </Badge>
        ))}
      </Group>
      <form onSubmit={(event) => void addEntrance(event)}>
        <Group align="flex-end" gap="xs">
          <TextInput
            size="xs"
            required
            label={t('places.entrance.name')}
            value={entranceName}
            onChange={(event) => setEntranceName(event.currentTarget.value)}
          />
          <Button size="xs" type="submit">
            {t('places.entrance.add')}
          </Button>
        </Group>
      </form>
      <ErrorLine error={entrance.error} />
      <form onSubmit={(event) => void addHousehold(event)}>
        <Group align="flex-end" gap="xs">
          <NativeSelect
            size="xs"
            label={t('places.entrance.label')}
            value={entranceId}
            onChange={(event) => setEntranceId(event.currentTarget.value)}
            data={[
              { value: NONE, label: t('places.entrance.none') },
              ...entrances.map((e) => ({ value: e.id, label: e.name })),
            ]}
          />
          <TextInput
            size="xs"
            required
            w={90}
            label={t('places.household.door')}
            value={door}
            onChange={(event) => setDoor(event.currentTarget.value)}
          />
          <TextInput
            size="xs"
            w={110}
            label={t('places.household.area')}
            value={area}
            onChange={(event) => setArea(event.currentTarget.value)}
          />
          <Button size="xs" type="submit">
            {t('places.household.add')}
          </Button>
        </Group>
      </form>
      <ErrorLine error={household.error} />
      <Table.ScrollContainer minWidth={400} maxHeight={360}>
        <Table striped stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('places.household.door')}</Table.Th>
              <Table.Th>{t('places.household.address')}</Table.Th>
              <Table.Th>{t('places.household.area')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...households]
              .sort((a, b) => naturalCompare(a.address, b.address))
              .map((h) => (
                <HouseholdRow key={h.id} community={community} household={h} />
              ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** 小区与楼栋: compounds (一核三体: property company, owners' committee), their buildings, entrances and households. */
export function CompoundsTab({ community }: { community: CommunityId }) {
  const t = useT();
  const compounds = useRecords(community, 'compounds');
  const buildings = useRecords(community, 'buildings');
  const entrances = useRecords(community, 'entrances');
  const households = useRecords(community, 'households');
  const zones = useRecords(community, 'zones');
  const grids = useRecords(community, 'grids');
  const [selected, setSelected] = useState<string | null>(null);
  const [buildingSel, setBuildingSel] = useState<string | null>(null);
  const create = useCommand(community);
  const update = useCommand(community);
  const addBuilding = useCommand(community);
  const [bName, setBName] = useState('');
  const [bZone, setBZone] = useState(NONE);
  const [bGrid, setBGrid] = useState(NONE);
  const [bFloors, setBFloors] = useState('');
  if (!compounds || !buildings || !entrances || !households || !zones || !grids) {
    return <Text c="dimmed">{t('places.loading')}</Text>;
  }
  const compound = compounds.find((c) => c.id === selected) ?? null;
  const ofCompound = buildings
    .filter((b) => b.compoundId === compound?.id)
    .sort((a, b) => naturalCompare(a.name, b.name));
  const building = ofCompound.find((b) => b.id === buildingSel) ?? null;
  const zoneName = new Map(zones.map((z) => [z.id, z.name]));
  const gridName = new Map(grids.map((g) => [g.id, g.name]));

  const submitBuilding = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!compound) return;
    const id = await addBuilding.run(createBuilding, {
      compoundId: compound.id,
      name: bName,
      zoneId: bZone === NONE ? null : (bZone as ZoneId),
      gridId: bGrid === NONE ? null : (bGrid as GridId),
      floors: optionalNumber(bFloors),
    });
    if (id !== null) {
      setBName('');
      setBFloors('');
      setBuildingSel(id);
    }
  };

  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Card withBorder>
          <Stack>
            <Title order={3} size="h5">
              {t('places.compound.list')}
            </Title>
            <Stack gap={4} role="group" aria-label={t('places.compound.list')}>
              {[...compounds]
                .sort((a, b) => naturalCompare(a.name, b.name))
                .map((c) => (
                  <Button
                    key={c.id}
                    variant={c.id === selected ? 'light' : 'subtle'}
                    justify="space-between"
                    aria-pressed={c.id === selected}
                    onClick={() => {
                      setSelected(c.id);
                      setBuildingSel(null);
                    }}
                    rightSection={
                      <Text size="xs" c="dimmed">
                        {t(`places.compound.kind.${c.kind}`)} ·{' '}
                        {t('places.building.count', { count: buildings.filter((b) => b.compoundId === c.id).length })}
                      </Text>
                    }
                  >
                    {c.name}
                  </Button>
                ))}
            </Stack>
            <Text fw={600} size="sm">
              {t('places.compound.create')}
            </Text>
            <CompoundForm
              initial={{ name: '', kind: 'old', address: '', propertyCompany: '', committee: '' }}
              submitLabel={t('places.compound.create')}
              onSubmit={async (fields) => {
                const id = await create.run(createCompound, toInput(fields));
                if (id !== null) setSelected(id);
                return id !== null;
              }}
            />
            <ErrorLine error={create.error} />
          </Stack>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        {compound === null ? (
          <Text size="sm" c="dimmed">
            {t('places.compound.pick')}
          </Text>
        ) : (
          <Card withBorder>
            <Stack>
              <Title order={3} size="h4">
                {compound.name}
              </Title>
              <Text size="sm">
                {t('places.compound.property')}
                {t('places.colon')}
                {compound.propertyCompany ?? t('places.none')}
                {' · '}
                {t('places.compound.committee')}
                {t('places.colon')}
                {compound.ownersCommittee.map((m) => m.name).join('、') || t('places.none')}
              </Text>
              <CompoundForm
                key={`${compound.id}-${compound.updatedAt}`}
                initial={{
                  name: compound.name,
                  kind: compound.kind,
                  address: compound.address,
                  propertyCompany: compound.propertyCompany ?? '',
                  committee: compound.ownersCommittee.map((m) => m.name).join('、'),
                }}
                submitLabel={t('places.save')}
                onSubmit={async (fields) => {
                  const input = toInput(fields);
                  // Members picked from the registry keep their resident link when their name is kept.
                  const linked = new Map(compound.ownersCommittee.map((m) => [m.name, m.residentId]));
                  const ownersCommittee = input.ownersCommittee.map((m) => ({
                    name: m.name,
                    residentId: linked.get(m.name) ?? null,
                  }));
                  const changed = await update.run(updateCompound, {
                    id: compound.id,
                    changes: { ...input, ownersCommittee },
                  });
                  return changed !== null;
                }}
              />
              <ErrorLine error={update.error} />
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('places.building.name')}</Table.Th>
                    <Table.Th>{t('places.building.zone')}</Table.Th>
                    <Table.Th>{t('places.grid.label')}</Table.Th>
                    <Table.Th>{t('places.building.floors')}</Table.Th>
                    <Table.Th>{t('places.entrance.label')}</Table.Th>
                    <Table.Th>{t('places.household.label')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {ofCompound.map((b) => (
                    <Table.Tr key={b.id} bg={b.id === buildingSel ? 'var(--mantine-primary-color-light)' : undefined}>
                      <Table.Td>
                        <Button size="compact-sm" variant="subtle" onClick={() => setBuildingSel(b.id)}>
                          {b.name}
                        </Button>
                      </Table.Td>
                      <Table.Td>{(b.zoneId && zoneName.get(b.zoneId)) ?? t('places.none')}</Table.Td>
                      <Table.Td>{(b.gridId && gridName.get(b.gridId)) ?? t('places.none')}</Table.Td>
                      <Table.Td>{b.floors ?? ''}</Table.Td>
                      <Table.Td>{entrances.filter((e) => e.buildingId === b.id).length}</Table.Td>
                      <Table.Td>{households.filter((h) => h.buildingId === b.id).length}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <form onSubmit={(event) => void submitBuilding(event)}>
                <Group align="flex-end" gap="xs">
                  <TextInput
                    size="xs"
                    required
                    label={t('places.building.name')}
                    value={bName}
                    onChange={(event) => setBName(event.currentTarget.value)}
                  />
                  <NativeSelect
                    size="xs"
                    label={t('places.building.zone')}
                    value={bZone}
                    onChange={(event) => setBZone(event.currentTarget.value)}
                    data={[
                      { value: NONE, label: t('places.building.noZone') },
                      ...zones.map((z) => ({ value: z.id, label: `${t(`places.level.${z.level}`)} ${z.name}` })),
                    ]}
                  />
                  <NativeSelect
                    size="xs"
                    label={t('places.grid.label')}
                    value={bGrid}
                    onChange={(event) => setBGrid(event.currentTarget.value)}
                    data={[
                      { value: NONE, label: t('places.none') },
                      ...grids.map((g) => ({ value: g.id, label: g.name })),
                    ]}
                  />
                  <TextInput
                    size="xs"
                    w={80}
                    label={t('places.building.floors')}
                    value={bFloors}
                    onChange={(event) => setBFloors(event.currentTarget.value)}
                  />
                  <Button size="xs" type="submit">
                    {t('places.building.add')}
                  </Button>
                </Group>
              </form>
              <ErrorLine error={addBuilding.error} />
              <BatchBuildings key={compound.id} community={community} compoundId={compound.id} />
              {building && (
                <BuildingPanel
                  key={building.id}
                  community={community}
                  building={building}
                  entrances={entrances
                    .filter((e) => e.buildingId === building.id)
                    .sort((a, b) => naturalCompare(a.name, b.name))}
                  households={households.filter((h) => h.buildingId === building.id)}
                />
              )}
            </Stack>
          </Card>
        )}
      </Grid.Col>
    </Grid>
  );
}
