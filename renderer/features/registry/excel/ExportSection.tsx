import { Alert, Button, Group, Paper, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { chinaDate } from '@shared/domain/dates';
import { RESIDENT_TAGS } from '@shared/domain/registry/types';
import type { CommunityId } from '@shared/ydoc/docName';
import { useResidentSearch, useStore } from '../../../data/hooks';
import type { ResidentFilter } from '../../../data/store';
import { useT } from '../../../i18n';
import { usePlatform } from '../../../platform';
import { describeDomainError } from '../../../ui/DomainErrorText';
import { usePermissions } from '../../sync';
import { useBuildingOptions } from '../buildingOptions';
import { exportResidents } from './exportResidents';

type Mode = 'masked' | 'unmasked';

/** 导出居民名单: all residents, or one building's or one category's, masked unless full numbers are chosen. */
export function ExportSection({ community }: { community: CommunityId }) {
  const t = useT();
  const store = useStore();
  const platform = usePlatform();
  const [buildingId, setBuildingId] = useState<string | null>(null);
  const [tag, setTag] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>('masked');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const permissions = usePermissions(community);
  // A viewer's community (also after leaving sync, data/roles.ts) exports masked lists only.
  const mayReveal = permissions.has('registry.reveal') || permissions.has('admin');

  const filter = useMemo<ResidentFilter>(
    () => ({ ...(buildingId ? { buildingId } : {}), ...(tag ? { tag } : {}) }),
    [buildingId, tag],
  );
  const { total } = useResidentSearch(community, '', filter, 0);

  const buildingOptions = useBuildingOptions(community);
  const tagOptions = RESIDENT_TAGS.map((value) => ({ value, label: t(`registry.tag.${value}`) }));

  const run = async () => {
    setBusy(true);
    setResult(null);
    try {
      const outcome = await exportResidents(store, community, '', filter, {
        unmasked: mode === 'unmasked',
        save: (request) => platform.saveFile(request),
        fileName: t('excel.export.fileName', { date: chinaDate(new Date()) }),
      });
      if (!outcome.ok)
        setResult({ ok: false, text: t('excel.export.failed', { message: describeDomainError(t, outcome.error) }) });
      else if (outcome.value !== null)
        setResult({ ok: true, text: t('excel.export.done', { count: outcome.value.count }) });
    } catch (error) {
      setResult({
        ok: false,
        text: t('excel.export.failed', { message: error instanceof Error ? error.message : String(error) }),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={3}>{t('excel.export.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('excel.export.hint')}
        </Text>
        <Group align="end">
          <Select
            label={t('excel.export.building')}
            placeholder={t('excel.export.all')}
            data={buildingOptions}
            value={buildingId}
            onChange={setBuildingId}
            clearable
            searchable
          />
          <Select
            label={t('excel.export.tag')}
            placeholder={t('excel.export.all')}
            data={tagOptions}
            value={tag}
            onChange={setTag}
            clearable
          />
          <SegmentedControl
            value={mode}
            onChange={(value) => setMode(value === 'unmasked' ? 'unmasked' : 'masked')}
            data={[
              { value: 'masked', label: t('excel.export.masked') },
              { value: 'unmasked', label: t('excel.export.unmasked'), disabled: !mayReveal },
            ]}
          />
        </Group>
        {!mayReveal && (
          <Text size="sm" c="dimmed">
            {t('excel.export.noPermission')}
          </Text>
        )}
        {mode === 'unmasked' && <Alert color="orange">{t('excel.export.unmaskedHint')}</Alert>}
        <Group>
          <Button onClick={() => void run()} loading={busy} disabled={total === 0}>
            {t('excel.export.button')}
          </Button>
          <Text size="sm" data-testid="export-count">
            {t('excel.export.count', { count: total })}
          </Text>
        </Group>
        {result !== null && (
          <Alert color={result.ok ? 'green' : 'red'} data-testid="export-result">
            {result.text}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
