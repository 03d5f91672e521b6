import { Badge, Button, Card, Grid, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState, type ReactNode, type SyntheticEvent } from 'react';
import {
  createBuilding,
  createZone,
  moveBuilding,
  moveZone,
  renameZone,
  setBuildingHead,
  setZoneHead,
} from '@shared/domain/registry/commands';
import {
  headChain,
  zoneTree,
  type FiveHeadsSource,
  type ZoneTree as ZoneTreeData,
} from '@shared/domain/registry/fiveHeads';
import { ZONE_LEVELS, type CompoundId, type ZoneId, type ZoneLevel } from '@shared/domain/registry/types';
import type { StoredRecord } from '@shared/ydoc/registry';
import type { CommunityId } from '@shared/ydoc/docName';
import { useRecords } from '../../../../data/hooks';
import { useT } from '../../../../i18n';
import { ErrorLine } from '../common/ErrorLine';
import { HeadPicker } from '../common/HeadPicker';
import { useCommand } from '../common/useCommand';
import { usePeople, type People } from '../common/usePeople';
import { HeadChain } from './HeadChain';
import { ZoneTree, type TreeKey } from './ZoneTree';

const NO_PARENT = '';

/** Zones in tree order with their depth, for the parent and zone pickers. */
function zoneOptions(tree: ZoneTreeData, t: ReturnType<typeof useT>) {
  const out: { value: string; label: string }[] = [];
  const walk = (nodes: ZoneTreeData['roots'], depth: number) => {
    for (const node of nodes) {
      out.push({
        value: node.zone.id,
        label: `${'\u3000'.repeat(depth)}${t(`places.level.${node.zone.level}`)} ${node.zone.name}`,
      });
      walk(node.children, depth + 1);
    }
  };
  walk(tree.roots, 0);
  return out;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={6}>
      <Text fw={600} size="sm">
        {title}
      </Text>
      {children}
    </Stack>
  );
}

/** Adds a zone: at the top of the tree (parent null) or under a zone, on one of the levels allowed below it. */
function AddZoneForm({
  community,
  parent,
  onAdded,
}: {
  community: CommunityId;
  parent: { id: ZoneId; level: ZoneLevel } | null;
  onAdded: (id: ZoneId) => void;
}) {
  const t = useT();
  const allowed = ZONE_LEVELS.slice(parent === null ? 0 : ZONE_LEVELS.indexOf(parent.level) + 1);
  const [level, setLevel] = useState<ZoneLevel | ''>('');
  const [name, setName] = useState('');
  const { run, error, busy } = useCommand(community);
  const chosen = level !== '' && allowed.includes(level) ? level : allowed[0];
  if (chosen === undefined) return null;
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const id = await run(createZone, { level: chosen, name, parentId: parent?.id ?? null });
    if (id !== null) {
      setName('');
      onAdded(id);
    }
  };
  return (
    <form onSubmit={(event) => void submit(event)}>
      <Stack gap={6}>
        <Group align="flex-end" gap="xs">
          <NativeSelect
            size="xs"
            label={t('places.zone.level')}
            value={chosen}
            onChange={(event) => setLevel(event.currentTarget.value as ZoneLevel)}
            data={allowed.map((l) => ({ value: l, label: t(`places.level.${l}`) }))}
          />
          <TextInput
            size="xs"
            required
            label={parent === null ? t('places.zone.rootName') : t('places.zone.childName')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <Button size="xs" type="submit" loading={busy}>
            {parent === null ? t('places.zone.addRoot') : t('places.zone.addChild')}
          </Button>
        </Group>
        <ErrorLine error={error} />
      </Stack>
    </form>
  );
}

function ZoneDetails({
  community,
  zone,
  tree,
  people,
  compounds,
  onSelect,
}: {
  community: CommunityId;
  zone: StoredRecord<'zones'>;
  tree: ZoneTreeData;
  people: People;
  compounds: readonly StoredRecord<'compounds'>[];
  onSelect: (key: TreeKey) => void;
}) {
  const t = useT();
  const [name, setName] = useState(zone.name);
  const [parentId, setParentId] = useState<string>(zone.parentId ?? NO_PARENT);
  const [compoundId, setCompoundId] = useState('');
  const [buildingName, setBuildingName] = useState('');
  const rename = useCommand(community);
  const move = useCommand(community);
  const head = useCommand(community);
  const building = useCommand(community);
  const role = t(`places.head.${zone.level}`);
  const person = people.lookup(zone.head);
  const chosenCompound = compoundId || compounds[0]?.id || '';

  const submitRename = async (event: SyntheticEvent) => {
    event.preventDefault();
    await rename.run(renameZone, { id: zone.id, name });
  };
  const submitMove = async (event: SyntheticEvent) => {
    event.preventDefault();
    await move.run(moveZone, { id: zone.id, parentId: parentId === NO_PARENT ? null : (parentId as ZoneId) });
  };
  const submitBuilding = async (event: SyntheticEvent) => {
    event.preventDefault();
    const id = await building.run(createBuilding, {
      compoundId: chosenCompound as CompoundId,
      name: buildingName,
      zoneId: zone.id,
    });
    if (id !== null) {
      setBuildingName('');
      onSelect(`building:${id}`);
    }
  };

  return (
    <Stack>
      <Group gap="xs">
        <Badge variant="light">{t(`places.level.${zone.level}`)}</Badge>
        <Title order={3} size="h4">
          {zone.name}
        </Title>
      </Group>
      <Text size="sm" data-testid="zone-head">
        {role}
        {t('places.colon')}
        {person ? `${person.name} ${person.phone ?? ''}` : t('places.head.none')}
      </Text>
      <Section title={t('places.head.setTitle', { role })}>
        <HeadPicker
          community={community}
          people={people}
          role={role}
          canClear={zone.head !== null}
          onPick={(ref) => head.run(setZoneHead, { id: zone.id, head: ref })}
        />
        <ErrorLine error={head.error} />
      </Section>
      <Section title={t('places.zone.renameTitle')}>
        <form onSubmit={(event) => void submitRename(event)}>
          <Group align="flex-end" gap="xs">
            <TextInput
              size="xs"
              required
              label={t('places.zone.name')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
            />
            <Button size="xs" type="submit" loading={rename.busy}>
              {t('places.zone.rename')}
            </Button>
          </Group>
        </form>
        <ErrorLine error={rename.error} />
      </Section>
      {zone.level !== 'courtyard' && (
        <Section title={t('places.zone.addChildTitle')}>
          <AddZoneForm
            community={community}
            parent={{ id: zone.id, level: zone.level }}
            onAdded={(id) => onSelect(`zone:${id}`)}
          />
        </Section>
      )}
      <Section title={t('places.zone.moveTitle')}>
        <form onSubmit={(event) => void submitMove(event)}>
          <Group align="flex-end" gap="xs">
            <NativeSelect
              size="xs"
              label={t('places.zone.newParent')}
              value={parentId}
              onChange={(event) => setParentId(event.currentTarget.value)}
              data={[
                { value: NO_PARENT, label: t('places.zone.top') },
                ...zoneOptions(tree, t).filter((o) => o.value !== zone.id),
              ]}
            />
            <Button size="xs" type="submit" loading={move.busy}>
              {t('places.zone.move')}
            </Button>
          </Group>
        </form>
        <ErrorLine error={move.error} />
      </Section>
      <Section title={t('places.zone.addBuildingTitle')}>
        {compounds.length === 0 ? (
          <Text size="xs" c="dimmed">
            {t('places.zone.needCompound')}
          </Text>
        ) : (
          <form onSubmit={(event) => void submitBuilding(event)}>
            <Group align="flex-end" gap="xs">
              <NativeSelect
                size="xs"
                label={t('places.compound.label')}
                value={chosenCompound}
                onChange={(event) => setCompoundId(event.currentTarget.value)}
                data={compounds.map((c) => ({ value: c.id, label: c.name }))}
              />
              <TextInput
                size="xs"
                required
                label={t('places.building.name')}
                value={buildingName}
                onChange={(event) => setBuildingName(event.currentTarget.value)}
              />
              <Button size="xs" type="submit" loading={building.busy}>
                {t('places.building.add')}
              </Button>
            </Group>
          </form>
        )}
        <ErrorLine error={building.error} />
      </Section>
    </Stack>
  );
}

function BuildingDetails({
  community,
  building,
  source,
  tree,
  people,
  compounds,
}: {
  community: CommunityId;
  building: StoredRecord<'buildings'>;
  source: FiveHeadsSource;
  tree: ZoneTreeData;
  people: People;
  compounds: readonly StoredRecord<'compounds'>[];
}) {
  const t = useT();
  const [zoneId, setZoneId] = useState<string>(building.zoneId ?? NO_PARENT);
  const head = useCommand(community);
  const move = useCommand(community);
  const chain = headChain(source, building.id);
  const role = t('places.head.building');
  const compound = compounds.find((c) => c.id === building.compoundId);
  const submitMove = async (event: SyntheticEvent) => {
    event.preventDefault();
    await move.run(moveBuilding, { id: building.id, zoneId: zoneId === NO_PARENT ? null : (zoneId as ZoneId) });
  };
  return (
    <Stack>
      <Group gap="xs">
        <Badge variant="light" color="teal">
          {t('places.level.building')}
        </Badge>
        <Title order={3} size="h4">
          {building.name}
        </Title>
        {compound && (
          <Text size="sm" c="dimmed">
            {compound.name}
          </Text>
        )}
      </Group>
      <HeadChain chain={chain} people={people} />
      <Section title={t('places.head.setTitle', { role })}>
        <HeadPicker
          community={community}
          people={people}
          role={role}
          canClear={building.head !== null}
          onPick={(ref) => head.run(setBuildingHead, { id: building.id, head: ref })}
        />
        <ErrorLine error={head.error} />
      </Section>
      <Section title={t('places.building.moveTitle')}>
        <form onSubmit={(event) => void submitMove(event)}>
          <Group align="flex-end" gap="xs">
            <NativeSelect
              size="xs"
              label={t('places.building.zone')}
              value={zoneId}
              onChange={(event) => setZoneId(event.currentTarget.value)}
              data={[{ value: NO_PARENT, label: t('places.building.noZone') }, ...zoneOptions(tree, t)]}
            />
            <Button size="xs" type="submit" loading={move.busy}>
              {t('places.zone.move')}
            </Button>
          </Group>
        </form>
        <ErrorLine error={move.error} />
      </Section>
    </Stack>
  );
}

/** 五长体系: the zone tree with heads, editable; a building shows its chain of heads and who steps in. */
export function FiveHeadsTab({ community }: { community: CommunityId }) {
  const t = useT();
  const zones = useRecords(community, 'zones');
  const buildings = useRecords(community, 'buildings');
  const compounds = useRecords(community, 'compounds');
  const people = usePeople(community);
  const [selected, setSelected] = useState<TreeKey | null>(null);
  const source = useMemo<FiveHeadsSource>(
    () => ({
      zones: new Map((zones ?? []).map((z) => [z.id, z])),
      buildings: new Map((buildings ?? []).map((b) => [b.id, b])),
    }),
    [zones, buildings],
  );
  const tree = useMemo(() => zoneTree(source), [source]);
  // A lane often spans compounds with the same building numbers (two 3栋): each building line names its compound.
  const compoundOf = useMemo(() => {
    const names = new Map((compounds ?? []).map((c) => [c.id, c.name]));
    return new Map((buildings ?? []).map((b) => [b.id, names.get(b.compoundId) ?? '']));
  }, [buildings, compounds]);
  if (zones === undefined || buildings === undefined) return <Text c="dimmed">{t('places.loading')}</Text>;

  const [kind, id] = selected === null ? [null, null] : (selected.split(/:(.*)/) as ['zone' | 'building', string]);
  const zone = kind === 'zone' ? zones.find((z) => z.id === id) : undefined;
  const building = kind === 'building' ? buildings.find((b) => b.id === id) : undefined;

  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Card withBorder>
          <Stack>
            <AddZoneForm community={community} parent={null} onAdded={(zoneId) => setSelected(`zone:${zoneId}`)} />
            <ZoneTree
              tree={tree}
              people={people}
              compoundOf={compoundOf}
              selected={selected}
              onSelect={setSelected}
              label={t('places.tree.label')}
            />
          </Stack>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Card withBorder>
          {zone && (
            <ZoneDetails
              key={zone.id}
              community={community}
              zone={zone}
              tree={tree}
              people={people}
              compounds={compounds ?? []}
              onSelect={setSelected}
            />
          )}
          {building && (
            <BuildingDetails
              key={building.id}
              community={community}
              building={building}
              source={source}
              tree={tree}
              people={people}
              compounds={compounds ?? []}
            />
          )}
          {!zone && !building && (
            <Text size="sm" c="dimmed">
              {t('places.tree.pick')}
            </Text>
          )}
        </Card>
      </Grid.Col>
    </Grid>
  );
}
