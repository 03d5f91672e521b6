/**
 * 批量新建楼栋: buildings, entrances and households of a compound in one go ("1-12栋，每栋 6 层 3 单元，每层 2 户"),
 * with a preview of what will be created before the one command (`createBuildingBatch`) writes it all in one
 * transaction (docs/registry-model.md, "Batch of buildings"). Every field is a plain input: usable by keyboard.
 */
import { Alert, Button, Group, List, NativeSelect, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useMemo, useState, type SyntheticEvent } from 'react';
import type * as Y from 'yjs';
import {
  BUILDING_SUFFIXES,
  batchProblem,
  buildingBatchSchema,
  parseBatchText,
  planBuildingBatch,
  type BatchPlan,
} from '@shared/domain/registry/batch';
import { createBuildingBatch } from '@shared/domain/registry/commands';
import type { CompoundId } from '@shared/domain/registry/types';
import type { DomainError } from '@shared/domain/result';
import type { CommunityId } from '@shared/ydoc/docName';
import { useRegistryValue } from '../../../../data/hooks';
import { useT } from '../../../../i18n';
import { ErrorLine } from '../common/ErrorLine';
import { useCommand } from '../common/useCommand';

type Suffix = (typeof BUILDING_SUFFIXES)[number];

interface Draft {
  readonly from: number | '';
  readonly to: number | '';
  readonly suffix: Suffix;
  readonly floors: number | '';
  readonly entrances: number | '';
  readonly perFloor: number | '';
}

const EMPTY: Draft = { from: 1, to: '', suffix: '栋', floors: '', entrances: 1, perFloor: 2 };

export function BatchBuildings({ community, compoundId }: { community: CommunityId; compoundId: CompoundId }) {
  const t = useT();
  const command = useCommand(community);
  const [open, setOpen] = useState(false);
  const [description, setDescription] = useState('');
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [previewing, setPreviewing] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const parsed = useMemo(() => {
    const result = buildingBatchSchema.safeParse({ compoundId, ...draft });
    return result.success ? result.data : null;
  }, [compoundId, draft]);
  // The plan and the command's own refusal of it (names the compound has, too many households): the preview says
  // the refusal before anything is confirmed.
  const reader = useCallback(
    (doc: Y.Doc): { planned: BatchPlan; problem: DomainError | null } | null => {
      if (parsed === null) return null;
      const planned = planBuildingBatch(doc, parsed);
      return { planned, problem: batchProblem(doc, parsed, planned) };
    },
    [parsed],
  );
  const preview = useRegistryValue(community, reader) ?? null;
  const planned = preview?.planned ?? null;
  const refused = preview === null || preview.problem !== null;

  const change = (next: Partial<Draft>) => {
    setDraft({ ...draft, ...next });
    setPreviewing(false);
    setDone(null);
  };
  const describe = (text: string) => {
    setDescription(text);
    change(parseBatchText(text));
  };
  const number = (value: string | number): number | '' => (typeof value === 'number' ? value : '');

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!previewing) {
      setPreviewing(true);
      return;
    }
    if (parsed === null || refused) return;
    const summary = await command.run(createBuildingBatch, parsed);
    if (summary !== null) {
      setDone(
        t('places.batch.done', {
          buildings: summary.buildingIds.length,
          entrances: summary.entrancesCreated,
          households: summary.householdsCreated,
        }),
      );
      setPreviewing(false);
      setDescription('');
      setDraft(EMPTY);
      setOpen(false);
    }
  };

  if (!open) {
    return (
      <Stack gap={4}>
        <Group>
          <Button size="xs" variant="light" onClick={() => setOpen(true)}>
            {t('places.batch.open')}
          </Button>
        </Group>
        {done && (
          <Alert color="green" p="xs" role="status" data-testid="batch-done">
            {done}
          </Alert>
        )}
      </Stack>
    );
  }

  const doors = planned?.buildings[0]?.doors ?? [];
  const first = planned?.buildings[0]?.name ?? '';
  const last = planned?.buildings.at(-1)?.name ?? '';
  return (
    <form onSubmit={(event) => void submit(event)} aria-label={t('places.batch.title')}>
      <Stack gap="xs">
        <Title order={4} size="h5">
          {t('places.batch.title')}
        </Title>
        <TextInput
          size="xs"
          label={t('places.batch.describe')}
          placeholder={t('places.batch.describeHint')}
          value={description}
          onChange={(event) => describe(event.currentTarget.value)}
        />
        <Group align="flex-end" gap="xs">
          <NumberInput
            size="xs"
            w={90}
            min={1}
            label={t('places.batch.from')}
            value={draft.from}
            onChange={(v) => change({ from: number(v) })}
          />
          <NumberInput
            size="xs"
            w={90}
            min={1}
            label={t('places.batch.to')}
            value={draft.to}
            onChange={(v) => change({ to: number(v) })}
          />
          <NativeSelect
            size="xs"
            label={t('places.batch.suffix')}
            value={draft.suffix}
            onChange={(event) => change({ suffix: event.currentTarget.value as Suffix })}
            data={BUILDING_SUFFIXES.map((value) => ({ value, label: `1${value}` }))}
          />
          <NumberInput
            size="xs"
            w={90}
            min={1}
            label={t('places.batch.floors')}
            value={draft.floors}
            onChange={(v) => change({ floors: number(v) })}
          />
          <NumberInput
            size="xs"
            w={100}
            min={0}
            label={t('places.batch.entrances')}
            value={draft.entrances}
            onChange={(v) => change({ entrances: number(v) })}
          />
          <NumberInput
            size="xs"
            w={120}
            min={1}
            label={t('places.batch.perFloor')}
            value={draft.perFloor}
            onChange={(v) => change({ perFloor: number(v) })}
          />
        </Group>
        {parsed === null && (draft.to !== '' || draft.floors !== '') && (
          <Text size="sm" c="orange">
            {t('places.batch.invalid')}
          </Text>
        )}
        {previewing && planned !== null && (
          <Stack gap={4} data-testid="batch-preview">
            <Text size="sm" fw={600}>
              {t('places.batch.summary', {
                buildings: planned.buildings.length,
                first,
                last,
                entrances: planned.entrances,
                households: planned.households,
              })}
            </Text>
            <Text size="sm">
              {draft.entrances === 0
                ? t('places.batch.noEntrances')
                : t('places.batch.doors', {
                    first: doors[0] ?? '',
                    second: doors[1] ?? doors[0] ?? '',
                    last: doors.at(-1) ?? '',
                    count: doors.length,
                  })}
            </Text>
            <List size="sm" data-testid="batch-buildings">
              {planned.buildings.map((b) => (
                <List.Item key={b.name} c={b.exists ? 'red' : undefined}>
                  {b.name}
                  {b.entrances.length > 0 ? ` · ${b.entrances.join(t('places.enumSeparator'))}` : ''}
                </List.Item>
              ))}
            </List>
            {planned.existing.length > 0 ? (
              <Alert color="red" p="xs" role="alert">
                {t('places.batch.existing', { names: planned.existing.join(t('places.enumSeparator')) })}
              </Alert>
            ) : (
              <ErrorLine error={preview?.problem ?? null} />
            )}
          </Stack>
        )}
        <ErrorLine error={command.error} />
        <Group gap="xs">
          <Button size="xs" type="submit" loading={command.busy} disabled={parsed === null || (previewing && refused)}>
            {previewing ? t('places.batch.confirm') : t('places.batch.preview')}
          </Button>
          <Button
            size="xs"
            variant="default"
            onClick={() => {
              setOpen(false);
              setPreviewing(false);
            }}
          >
            {t('places.batch.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
