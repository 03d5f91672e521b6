import { Badge, Stack, Table, Text } from '@mantine/core';
import type { AccessEntry } from '@shared/domain/registry/accessLog';
import { RESIDENT_TAGS, type ResidentTag } from '@shared/domain/registry/types';
import { useT, type MessageKey, type Translate } from '../../../i18n';
import { TAG_LABELS } from './labels';

const DOCUMENTS: Partial<Record<string, MessageKey>> = {
  'mediation-agreement': 'registry.access.document.mediation-agreement',
  'mediation-dossier': 'registry.access.document.mediation-dossier',
  'meeting-minutes': 'registry.access.document.meeting-minutes',
  'meeting-sign-in': 'registry.access.document.meeting-sign-in',
  resident: 'registry.access.document.resident',
};

const COLUMNS: Partial<Record<string, MessageKey>> = {
  name: 'excel.column.name',
  sex: 'excel.column.sex',
  birthDate: 'excel.column.birthDate',
  idNumber: 'excel.column.idNumber',
  phone: 'excel.column.phone',
  compound: 'excel.column.compound',
  building: 'excel.column.building',
  entrance: 'excel.column.entrance',
  doorNumber: 'excel.column.doorNumber',
  relation: 'excel.column.relation',
  tags: 'excel.column.tags',
  floorArea: 'excel.column.floorArea',
  note: 'excel.column.note',
};

const isResidentTag = (tag: string): tag is ResidentTag => (RESIDENT_TAGS as readonly string[]).includes(tag);

/** Names of the places a bulk export's filter names (building and compound ids), from the registry. */
export type PlaceNames = Readonly<Record<string, string>>;

function filterText(t: Translate, filter: AccessEntry['filter'], places: PlaceNames): string {
  const parts: string[] = [];
  if (typeof filter.compoundId === 'string') {
    parts.push(t('registry.access.filter.compound', { name: places[filter.compoundId] ?? filter.compoundId }));
  }
  if (typeof filter.buildingId === 'string') {
    parts.push(t('registry.access.filter.building', { name: places[filter.buildingId] ?? filter.buildingId }));
  }
  if (typeof filter.tag === 'string') {
    const tag = filter.tag;
    parts.push(t('registry.access.filter.tag', { name: isResidentTag(tag) ? t(TAG_LABELS[tag]) : tag }));
  }
  if (typeof filter.query === 'string' && filter.query.trim() !== '') {
    parts.push(t('registry.access.filter.query', { query: filter.query }));
  }
  if (filter.includeDeleted === true) parts.push(t('registry.access.filter.deleted'));
  return parts.length === 0 ? t('registry.access.filter.all') : parts.join(t('registry.access.separator'));
}

function whatText(t: Translate, entry: AccessEntry, places: PlaceNames): string {
  const mode = t(entry.unmasked ? 'registry.access.unmasked' : 'registry.access.masked');
  if (entry.action === 'reveal') {
    return t('registry.access.reveal', {
      field: t(entry.field === 'phone' ? 'registry.col.phone' : 'registry.col.idNumber'),
    });
  }
  if (entry.action === 'print') {
    const document = entry.document === null ? undefined : DOCUMENTS[entry.document];
    return t('registry.access.print', { document: t(document ?? 'registry.access.document.other'), mode });
  }
  const columns = entry.columns.map((column) => {
    const key = COLUMNS[column];
    return key ? t(key) : column;
  });
  const count = entry.count ?? 0;
  if (entry.attribution === 'named') {
    return t('registry.access.export', { mode, count, columns: columns.join('、') });
  }
  return (
    t('registry.access.exportBulk', { mode, count, filter: filterText(t, entry.filter, places) }) +
    (entry.searched ? t('registry.access.exportSearched') : '')
  );
}

/**
 * 查阅记录: who saw, exported or printed this resident's data (shared/domain/registry/accessLog.ts), newest first,
 * with the account, the time, what (field, columns, document, masked or not) and the device. Read-only: the log is
 * the registry's append-only audit.
 */
export function AccessLog({ entries, places }: { entries: readonly AccessEntry[]; places: PlaceNames }) {
  const t = useT();
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('registry.access.hint')}
      </Text>
      {entries.length === 0 ? (
        <Text c="dimmed" data-testid="access-log-empty">
          {t('registry.access.empty')}
        </Text>
      ) : (
        <Table striped data-testid="access-log">
          <Table.Caption>{t('registry.access.title')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('registry.access.at')}</Table.Th>
              <Table.Th>{t('registry.access.who')}</Table.Th>
              <Table.Th>{t('registry.access.what')}</Table.Th>
              <Table.Th>{t('registry.access.device')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => (
              <Table.Tr key={entry.id} data-testid="access-entry" data-action={entry.action}>
                <Table.Td>{new Date(entry.at).toLocaleString()}</Table.Td>
                <Table.Td title={entry.userId}>{entry.userName || entry.userId}</Table.Td>
                <Table.Td>
                  {entry.unmasked && (
                    <Badge size="xs" color="orange" mr={4}>
                      {t('registry.access.unmasked')}
                    </Badge>
                  )}
                  {whatText(t, entry, places)}
                </Table.Td>
                <Table.Td ff="monospace" title={entry.deviceId}>
                  {entry.deviceId.slice(0, 8)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
