import {
  ActionIcon,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { assignBuildingGrid, createGrid, setGridWorkers } from '@shared/domain/registry/commands';
import { renameGrid } from '@shared/domain/registry/placeCommands';
import { GRID_ROLES, type GridRole, type GridWorker } from '@shared/domain/registry/types';
import type { CommunityId } from '@shared/ydoc/docName';
import type { StoredRecord } from '@shared/ydoc/registry';
import { useRecords } from '../../../../data/hooks';
import { useT } from '../../../../i18n';
import { ErrorLine } from '../common/ErrorLine';
import { useCommand } from '../common/useCommand';
import { naturalCompare } from '@shared/domain/naturalOrder';

interface WorkerDraft {
  key: number;
  name: string;
  phone: string;
  role: GridRole;
}

let nextKey = 0;
const draft = (w?: GridWorker): WorkerDraft => ({
  key: nextKey++,
  name: w?.name ?? '',
  phone: w?.phone ?? '',
  role: w?.role ?? 'grid-worker',
});

/** The grid workers as one list, saved whole (the document stores the list as one value). */
function WorkersEditor({ community, grid }: { community: CommunityId; grid: StoredRecord<'grids'> }) {
  const t = useT();
  const [rows, setRows] = useState<WorkerDraft[]>(() => grid.workers.map(draft));
  const { run, error, busy } = useCommand(community);
  const update = (key: number, change: Partial<WorkerDraft>) =>
    setRows(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    await run(setGridWorkers, {
      id: grid.id,
      workers: rows.map(({ name, phone, role }) => ({ name, phone, role })),
    });
  };
  return (
    <form onSubmit={(event) => void save(event)}>
      <Stack gap={6}>
        {rows.length === 0 && (
          <Text size="xs" c="dimmed">
            {t('places.grid.noWorkers')}
          </Text>
        )}
        {rows.map((row, index) => (
          <Group key={row.key} align="flex-end" gap="xs">
            <TextInput
              size="xs"
              required
              label={t('places.grid.workerName', { n: index + 1 })}
              value={row.name}
              onChange={(event) => update(row.key, { name: event.currentTarget.value })}
            />
            <TextInput
              size="xs"
              required
              label={t('places.grid.workerPhone', { n: index + 1 })}
              value={row.phone}
              onChange={(event) => update(row.key, { phone: event.currentTarget.value })}
            />
            <NativeSelect
              size="xs"
              label={t('places.grid.workerRole', { n: index + 1 })}
              value={row.role}
              onChange={(event) => update(row.key, { role: event.currentTarget.value as GridRole })}
              data={GRID_ROLES.map((r) => ({ value: r, label: t(`places.grid.role.${r}`) }))}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              aria-label={t('places.grid.removeWorker', { n: index + 1 })}
              onClick={() => setRows(rows.filter((r) => r.key !== row.key))}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button size="xs" variant="light" onClick={() => setRows([...rows, draft()])}>
            {t('places.grid.addWorker')}
          </Button>
          <Button size="xs" type="submit" loading={busy}>
            {t('places.grid.saveWorkers')}
          </Button>
        </Group>
        <ErrorLine error={error} />
      </Stack>
    </form>
  );
}

function GridDetails({
  community,
  grid,
  grids,
  buildings,
  compounds,
}: {
  community: CommunityId;
  grid: StoredRecord<'grids'>;
  grids: readonly StoredRecord<'grids'>[];
  buildings: readonly StoredRecord<'buildings'>[];
  compounds: readonly StoredRecord<'compounds'>[];
}) {
  const t = useT();
  const [name, setName] = useState(grid.name);
  const rename = useCommand(community);
  const assign = useCommand(community);
  const gridName = new Map(grids.map((g) => [g.id, g.name]));
  const submitRename = async (event: SyntheticEvent) => {
    event.preventDefault();
    await rename.run(renameGrid, { id: grid.id, name });
  };
  const sorted = [...compounds].sort((a, b) => naturalCompare(a.name, b.name));
  return (
    <Stack>
      <Title order={3} size="h4">
        {grid.name}
      </Title>
      <form onSubmit={(event) => void submitRename(event)}>
        <Group align="flex-end" gap="xs">
          <TextInput
            size="xs"
            required
            label={t('places.grid.name')}
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
        {t('places.grid.workers')}
      </Text>
      <WorkersEditor key={`${grid.id}-${grid.updatedAt}`} community={community} grid={grid} />
      <Text fw={600} size="sm">
        {t('places.grid.buildings')}
      </Text>
      <ErrorLine error={assign.error} />
      {sorted.map((compound) => {
        const own = buildings
          .filter((b) => b.compoundId === compound.id)
          .sort((a, b) => naturalCompare(a.name, b.name));
        if (own.length === 0) return null;
        return (
          <Stack key={compound.id} gap={4}>
            <Text size="xs" c="dimmed">
              {compound.name}
            </Text>
            <Group gap="md">
              {own.map((b) => {
                const other = b.gridId !== null && b.gridId !== grid.id ? gridName.get(b.gridId) : undefined;
                return (
                  <Checkbox
                    key={b.id}
                    size="xs"
                    checked={b.gridId === grid.id}
                    label={other ? t('places.grid.inOther', { name: b.name, grid: other }) : b.name}
                    onChange={(event) =>
                      void assign.run(assignBuildingGrid, {
                        buildingId: b.id,
                        gridId: event.currentTarget.checked ? grid.id : null,
                      })
                    }
                  />
                );
              })}
            </Group>
          </Stack>
        );
      })}
    </Stack>
  );
}

/** 网格: grids with their workers (网格员, 片警, 管理员), and which buildings each grid covers. */
export function GridsTab({ community }: { community: CommunityId }) {
  const t = useT();
  const grids = useRecords(community, 'grids');
  const buildings = useRecords(community, 'buildings');
  const compounds = useRecords(community, 'compounds');
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState('');
  const create = useCommand(community);
  if (!grids || !buildings || !compounds) return <Text c="dimmed">{t('places.loading')}</Text>;
  const grid = grids.find((g) => g.id === selected) ?? null;
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const id = await create.run(createGrid, { name });
    if (id !== null) {
      setName('');
      setSelected(id);
    }
  };
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Card withBorder>
          <Stack>
            <Stack gap={4} role="group" aria-label={t('places.part.grids')}>
              {[...grids]
                .sort((a, b) => naturalCompare(a.name, b.name))
                .map((g) => (
                  <Button
                    key={g.id}
                    variant={g.id === selected ? 'light' : 'subtle'}
                    justify="space-between"
                    aria-pressed={g.id === selected}
                    onClick={() => setSelected(g.id)}
                    rightSection={
                      <Text size="xs" c="dimmed">
                        {t('places.grid.summary', {
                          workers: g.workers.length,
                          buildings: buildings.filter((b) => b.gridId === g.id).length,
                        })}
                      </Text>
                    }
                  >
                    {g.name}
                  </Button>
                ))}
            </Stack>
            <form onSubmit={(event) => void submit(event)}>
              <Group align="flex-end" gap="xs">
                <TextInput
                  size="xs"
                  required
                  label={t('places.grid.name')}
                  value={name}
                  onChange={(event) => setName(event.currentTarget.value)}
                />
                <Button size="xs" type="submit">
                  {t('places.grid.create')}
                </Button>
              </Group>
            </form>
            <ErrorLine error={create.error} />
          </Stack>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Card withBorder>
          {grid ? (
            <GridDetails
              key={grid.id}
              community={community}
              grid={grid}
              grids={grids}
              buildings={buildings}
              compounds={compounds}
            />
          ) : (
            <Text size="sm" c="dimmed">
              {t('places.grid.pick')}
            </Text>
          )}
        </Card>
      </Grid.Col>
    </Grid>
  );
}
