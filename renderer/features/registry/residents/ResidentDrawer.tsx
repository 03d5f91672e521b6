import {
  Alert,
  Badge,
  Button,
  Drawer,
  Group,
  MultiSelect,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
  Timeline,
  Title,
} from '@mantine/core';
import { useCallback, useState } from 'react';
import type * as Y from 'yjs';
import { accessLogOf } from '@shared/domain/registry/accessLog';
import { recordHistory, revealSensitive, updateResident } from '@shared/domain/registry/commands';
import { maskIdNumber, maskPhone } from '@shared/domain/registry/mask';
import {
  isRelation,
  isResidentTag,
  type AuditEntry,
  type Relation,
  type ResidentTag,
  type SensitiveField,
} from '@shared/domain/registry/types';
import type { DomainError } from '@shared/domain/result';
import type { CommunityId } from '@shared/ydoc/docName';
import { archivedAuditYears } from '@shared/ydoc/auditArchive';
import { readRecord, type StoredRecord } from '@shared/ydoc/registry';
import { useRegistryValue, useStore } from '../../../data/hooks';
import { useT, type Translate } from '../../../i18n';
import { DomainErrorText } from '../../../ui/DomainErrorText';
import { usePermissions } from '../../sync';
import { AccessLog, type PlaceNames } from './AccessLog';
import { ArchivedYears, useArchivedAudit } from './ArchivedYears';
import { FIELD_LABELS, mayShowTag, RELATION_LABELS, relationOptions, TAG_LABELS, tagOptions } from './labels';

/** Fields a person may put back from the history with one click. */
const RESTORABLE = new Set(['name', 'phone', 'idNumber', 'relation', 'tags', 'note']);

interface Props {
  community: CommunityId;
  residentId: string | null;
  onClose: () => void;
}

function formatValue(t: Translate, field: string, value: unknown): string {
  if (field === 'tags' && Array.isArray(value)) {
    return value.map((tag) => (tag in TAG_LABELS ? t(TAG_LABELS[tag as ResidentTag]) : String(tag))).join('、');
  }
  if (field === 'relation' && typeof value === 'string' && value in RELATION_LABELS) {
    return t(RELATION_LABELS[value as Relation]);
  }
  if (field === 'sex' && (value === 'male' || value === 'female')) return t(`registry.sex.${value}`);
  // Sensitive values stay masked in the history too: revealing them is its own, logged act.
  if (field === 'idNumber' && typeof value === 'string') return maskIdNumber(value);
  if (field === 'phone' && typeof value === 'string') return maskPhone(value);
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Names of the buildings and compounds that bulk exports' filters name, for the access log. */
function placeNames(doc: Y.Doc, filters: readonly Readonly<Record<string, unknown>>[]): PlaceNames {
  const names: Record<string, string> = {};
  for (const filter of filters) {
    if (typeof filter.buildingId === 'string') {
      const building = readRecord(doc, 'buildings', filter.buildingId);
      const compound = building ? readRecord(doc, 'compounds', building.compoundId) : null;
      if (building) names[filter.buildingId] = `${compound?.name ?? ''} ${building.name}`.trim();
    }
    if (typeof filter.compoundId === 'string') {
      const compound = readRecord(doc, 'compounds', filter.compoundId);
      if (compound) names[filter.compoundId] = compound.name;
    }
  }
  return names;
}

const NO_YEARS: readonly number[] = [];

/**
 * Details of one resident: masked identity with an audited reveal, editing, the history of every change, and 查阅记录
 * (who saw, exported or printed their data). What the person may do follows their role in the community (a viewer's
 * community stays read-only, also after leaving sync: data/roles.ts).
 */
export function ResidentDrawer({ community, residentId, onClose }: Props) {
  const t = useT();
  const store = useStore();
  const [revealed, setRevealed] = useState<Partial<Record<SensitiveField, string | null>>>({});
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<DomainError | null>(null);

  // Closed years' entries live in the server's archives, read when asked (docs/registry-model.md, "Where the audit
  // lives"); once read, the history and the access log include them.
  const archivedYears = useRegistryValue(residentId ? community : null, archivedAuditYears) ?? NO_YEARS;
  const archive = useArchivedAudit(community, archivedYears);
  const archives = archive.docs;
  const read = useCallback(
    (doc: Y.Doc) =>
      residentId
        ? {
            resident: readRecord(doc, 'residents', residentId),
            history: recordHistory(doc, 'residents', residentId, archives),
            household: (() => {
              const resident = readRecord(doc, 'residents', residentId);
              return resident ? readRecord(doc, 'households', resident.householdId) : null;
            })(),
            ...(() => {
              const access = accessLogOf(doc, residentId, archives);
              return {
                access,
                places: placeNames(
                  doc,
                  access.map((entry) => entry.filter),
                ),
              };
            })(),
          }
        : null,
    [residentId, archives],
  );
  // The drawer stays mounted with the list: it opens the registry document only once a resident is chosen, so the
  // list never waits for the document to load.
  const data = useRegistryValue(residentId ? community : null, read);
  const resident = data?.resident ?? null;
  const permissions = usePermissions(community);
  const maySeeSpecial = permissions.has('registry.special-care');

  const close = () => {
    setRevealed({});
    setEditing(false);
    setError(null);
    onClose();
  };

  const reveal = async (field: SensitiveField) => {
    if (!resident) return;
    const result = await store.run(community, revealSensitive, { residentId: resident.id, field });
    if (result.ok) setRevealed((current) => ({ ...current, [field]: result.value.value }));
    else setError(result.error);
  };

  const restore = async (entry: AuditEntry, field: string) => {
    if (!resident) return;
    const result = await store.run(community, updateResident, {
      id: resident.id,
      changes: { [field]: entry.fields[field] },
    });
    setError(result.ok ? null : result.error);
  };

  const sensitive = (field: SensitiveField, value: string | null) => {
    const shown = revealed[field];
    if (!value) return <Text>—</Text>;
    return (
      <Group gap="xs">
        <Text ff="monospace" data-testid={`resident-${field}`}>
          {shown ?? (field === 'idNumber' ? maskIdNumber(value) : maskPhone(value))}
        </Text>
        {shown === undefined ? (
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => void reveal(field)}
            title={t('registry.reveal.hint')}
            disabled={!permissions.has('registry.reveal')}
          >
            {t('registry.reveal', { field: t(field === 'idNumber' ? 'registry.col.idNumber' : 'registry.col.phone') })}
          </Button>
        ) : (
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => setRevealed((current) => ({ ...current, [field]: undefined }))}
          >
            {t('registry.hide')}
          </Button>
        )}
      </Group>
    );
  };

  return (
    <Drawer
      opened={residentId !== null}
      onClose={close}
      position="right"
      size="lg"
      title={<Title order={3}>{resident?.name ?? t('registry.resident.details')}</Title>}
    >
      {resident && (
        <Stack>
          {error && (
            <Alert color="red" role="alert">
              <DomainErrorText error={error} />
            </Alert>
          )}
          {resident.deletedAt && <Badge color="gray">{t('registry.resident.deleted')}</Badge>}
          <Tabs defaultValue="details">
            <Tabs.List>
              <Tabs.Tab value="details">{t('registry.tab.details')}</Tabs.Tab>
              <Tabs.Tab value="access" data-testid="access-tab">
                {t('registry.tab.access', { count: data?.access.length ?? 0 })}
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="details" pt="sm">
              <Stack>
                {editing ? (
                  <EditResident
                    community={community}
                    resident={resident}
                    maySeeSpecial={maySeeSpecial}
                    onDone={() => setEditing(false)}
                  />
                ) : (
                  <>
                    <Table variant="vertical" layout="fixed">
                      <Table.Tbody>
                        <Table.Tr>
                          <Table.Th w={120}>{t('registry.col.sex')}</Table.Th>
                          <Table.Td>
                            {resident.sex === 'female' ? t('registry.sex.female') : t('registry.sex.male')}
                          </Table.Td>
                        </Table.Tr>
                        <Table.Tr>
                          <Table.Th>{t('registry.col.idNumber')}</Table.Th>
                          <Table.Td>{sensitive('idNumber', resident.idNumber)}</Table.Td>
                        </Table.Tr>
                        <Table.Tr>
                          <Table.Th>{t('registry.col.phone')}</Table.Th>
                          <Table.Td>{sensitive('phone', resident.phone)}</Table.Td>
                        </Table.Tr>
                        <Table.Tr>
                          <Table.Th>{t('registry.col.address')}</Table.Th>
                          <Table.Td>{data?.household?.address ?? ''}</Table.Td>
                        </Table.Tr>
                        <Table.Tr>
                          <Table.Th>{t('registry.resident.relation')}</Table.Th>
                          <Table.Td>{formatValue(t, 'relation', resident.relation)}</Table.Td>
                        </Table.Tr>
                        <Table.Tr>
                          <Table.Th>{t('registry.resident.tags')}</Table.Th>
                          <Table.Td>
                            {formatValue(
                              t,
                              'tags',
                              resident.tags.filter((tag) => mayShowTag(tag, maySeeSpecial)),
                            )}
                          </Table.Td>
                        </Table.Tr>
                        <Table.Tr>
                          <Table.Th>{t('registry.resident.note')}</Table.Th>
                          <Table.Td>{resident.note || '—'}</Table.Td>
                        </Table.Tr>
                      </Table.Tbody>
                    </Table>
                    <Group>
                      <Button
                        variant="light"
                        onClick={() => setEditing(true)}
                        disabled={!permissions.has('registry.edit')}
                      >
                        {t('registry.resident.edit')}
                      </Button>
                    </Group>
                  </>
                )}
                <Title order={4}>{t('registry.history')}</Title>
                <ArchivedYears years={archivedYears} state={archive.state} onLoad={archive.load} />
                {data && data.history.length === 0 && <Text c="dimmed">{t('registry.history.empty')}</Text>}
                <Timeline bulletSize={14} lineWidth={2} data-testid="resident-history">
                  {[...(data?.history ?? [])].reverse().map((entry) => (
                    <Timeline.Item
                      key={entry.id}
                      title={`${t(`registry.history.action.${entry.action}`)} · ${new Date(entry.at).toLocaleString()}`}
                    >
                      <Text size="xs" c="dimmed">
                        {t('registry.history.by', { user: entry.userName, device: entry.deviceId.slice(0, 8) })}
                      </Text>
                      {entry.action === 'reveal' ? (
                        <Text size="sm">
                          {t(FIELD_LABELS[String(entry.fields.revealed)] ?? 'registry.col.idNumber')}
                        </Text>
                      ) : (
                        Object.entries(entry.fields)
                          .filter(([field]) => field in FIELD_LABELS && field !== 'householdId')
                          .map(([field, value]) => (
                            <Group key={field} gap="xs">
                              <Text size="sm">
                                {t('registry.history.field', {
                                  field: t(FIELD_LABELS[field] ?? 'registry.col.name'),
                                  value: formatValue(t, field, value),
                                })}
                              </Text>
                              {entry.action === 'update' && RESTORABLE.has(field) && (
                                <Button
                                  size="compact-xs"
                                  variant="subtle"
                                  onClick={() => void restore(entry, field)}
                                  disabled={!permissions.has('registry.edit')}
                                >
                                  {t('registry.history.restore')}
                                </Button>
                              )}
                            </Group>
                          ))
                      )}
                    </Timeline.Item>
                  ))}
                </Timeline>
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="access" pt="sm">
              <ArchivedYears years={archivedYears} state={archive.state} onLoad={archive.load} />
              <AccessLog entries={data?.access ?? []} places={data?.places ?? {}} />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </Drawer>
  );
}

function EditResident({
  community,
  resident,
  maySeeSpecial,
  onDone,
}: {
  community: CommunityId;
  resident: StoredRecord<'residents'>;
  maySeeSpecial: boolean;
  onDone: () => void;
}) {
  const t = useT();
  const store = useStore();
  const [name, setName] = useState(resident.name);
  const [phone, setPhone] = useState(resident.phone ?? '');
  const [relation, setRelation] = useState<Relation>(resident.relation);
  const [tags, setTags] = useState<ResidentTag[]>([...resident.tags]);
  const [note, setNote] = useState(resident.note);
  const [error, setError] = useState<DomainError | null>(null);
  const hidden: ResidentTag[] = resident.tags.filter((tag) => !mayShowTag(tag, maySeeSpecial));

  const save = async () => {
    const result = await store.run(community, updateResident, {
      id: resident.id,
      changes: {
        name,
        phone: phone.trim() === '' ? null : phone,
        relation,
        // Tags the person may not see are kept as they are, never dropped by an edit.
        tags: [...new Set([...tags, ...hidden])],
        note,
      },
    });
    if (result.ok) onDone();
    else setError(result.error);
  };

  return (
    <Stack
      component="form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {error && (
        <Alert color="red" role="alert">
          <DomainErrorText error={error} />
        </Alert>
      )}
      <TextInput
        label={t('registry.col.name')}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        required
      />
      <TextInput label={t('registry.col.phone')} value={phone} onChange={(e) => setPhone(e.currentTarget.value)} />
      <Select
        label={t('registry.resident.relation')}
        data={relationOptions(t)}
        value={relation}
        onChange={(value) => setRelation(value !== null && isRelation(value) ? value : 'other')}
      />
      <MultiSelect
        label={t('registry.resident.tags')}
        data={tagOptions(t, maySeeSpecial)}
        value={tags.filter((tag) => !hidden.includes(tag))}
        onChange={(values) => setTags(values.filter(isResidentTag))}
      />
      <Textarea label={t('registry.resident.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      <Group>
        <Button type="submit">{t('registry.resident.save')}</Button>
        <Button variant="default" onClick={onDone}>
          {t('registry.resident.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
