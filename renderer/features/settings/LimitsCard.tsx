import { Button, Card, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { addDays, chinaDate } from '@shared/domain/dates';
import {
  DEFAULT_LIMITS,
  scheduleOf,
  versionOn,
  type LimitSet,
  type LimitsVersion,
} from '@shared/domain/incidents/limits';
import { readLimitVersions, setIncidentLimits } from '@shared/domain/incidents/officeLimits';
import { REQUEST_KINDS } from '@shared/domain/incidents/types';
import { hasPermission } from '@shared/domain/kernel';
import type { DomainError } from '@shared/domain/result';
import type { CommunityId } from '@shared/ydoc/docName';
import { useCommunityId, useRegistryValue, useStore } from '../../data/hooks';
import { useT, type Translate } from '../../i18n';
import { DateField } from '../../ui/DateField';
import { describeDomainError } from '../../ui/DomainErrorText';
import { usePermissions } from '../sync';

/** One limit of a set, as the card lists and edits it (the handling limits one per kind). */
interface LimitField {
  readonly key: string;
  readonly get: (l: LimitSet) => number;
  readonly label: (t: Translate) => string;
  /** The warning share is shown and typed as a percentage. */
  readonly percent?: boolean;
}

const FIELDS: readonly LimitField[] = [
  { key: 'accept', get: (l) => l.accept, label: (t) => t('incident.limits.accept') },
  ...REQUEST_KINDS.map((kind): LimitField => ({
    key: `handle.${kind}`,
    get: (l) => l.handle[kind],
    label: (t) => t('incident.limits.handle', { kind: t(`incident.kind.${kind}`) }),
  })),
  { key: 'urgentHandle', get: (l) => l.urgentHandle, label: (t) => t('incident.limits.urgentHandle') },
  { key: 'criticalHandle', get: (l) => l.criticalHandle, label: (t) => t('incident.limits.criticalHandle') },
  { key: 'verify', get: (l) => l.verify, label: (t) => t('incident.limits.verify') },
  { key: 'sendBack', get: (l) => l.sendBack, label: (t) => t('incident.limits.sendBack') },
  { key: 'fixAfterBadRating', get: (l) => l.fixAfterBadRating, label: (t) => t('incident.limits.fixAfterBadRating') },
  {
    key: 'warningShare',
    get: (l) => Math.round(l.warningShare * 100),
    label: (t) => t('incident.limits.warningShare'),
    percent: true,
  },
];

function valueText(t: Translate, field: LimitField, limits: LimitSet): string {
  const value = field.get(limits);
  return field.percent ? t('incident.limits.percent', { percent: value }) : t('incident.limits.days', { days: value });
}

type Form = Record<string, string>;

function formOf(limits: LimitSet): Form {
  return Object.fromEntries(FIELDS.map((f) => [f.key, String(f.get(limits))]));
}

/** The limits typed (numbers as typed: the command's schema says what is wrong). */
function limitsOf(form: Form): LimitSet {
  const n = (key: string) => (form[key]?.trim() === '' ? Number.NaN : Number(form[key]));
  return {
    accept: n('accept'),
    handle: {
      consult: n('handle.consult'),
      help: n('handle.help'),
      suggestion: n('handle.suggestion'),
      complaint: n('handle.complaint'),
    },
    urgentHandle: n('urgentHandle'),
    criticalHandle: n('criticalHandle'),
    verify: n('verify'),
    sendBack: n('sendBack'),
    fixAfterBadRating: n('fixAfterBadRating'),
    warningShare: n('warningShare') / 100,
  };
}

function errorText(t: Translate, error: DomainError): string {
  if (error.field === 'effectiveFrom') {
    const first = error.params?.first;
    return first === undefined ? t('incident.limits.error.date') : t('incident.limits.error.effectiveFrom', { first });
  }
  const field = FIELDS.find((f) => error.field === `limits.${f.key}`);
  if (field?.percent === true) return t('incident.limits.error.share');
  if (field !== undefined) return t('incident.limits.error.number', { limit: field.label(t) });
  return t('incident.limits.error.other', { error: describeDomainError(t, error) });
}

/** The changes of a version from the limits in force before it, worded; empty when none. */
function changesOf(t: Translate, before: LimitSet, after: LimitSet): string[] {
  return FIELDS.filter((f) => f.get(before) !== f.get(after)).map((f) =>
    t('incident.limits.change', { limit: f.label(t), from: valueText(t, f, before), to: valueText(t, f, after) }),
  );
}

type VersionState = 'current' | 'pending' | 'past' | 'replaced';

interface HistoryRow {
  readonly version: LimitsVersion;
  readonly state: VersionState;
  readonly changes: string[];
}

/**
 * Every version written, newest revision first, with what it changed from the limits in force the day before it and
 * whether it is in force today, to come, followed by a later one, or set again for its day (a correction).
 */
function historyOf(t: Translate, versions: readonly LimitsVersion[], today: string): HistoryRow[] {
  const schedule = scheduleOf(versions);
  const winners = new Set(schedule.versions);
  const current = versionOn(schedule, today);
  return [...versions]
    .sort((a, b) => b.revision - a.revision)
    .map((version) => {
      const before = versionOn(schedule, addDays(version.effectiveFrom, -1))?.limits ?? DEFAULT_LIMITS;
      const state: VersionState = !winners.has(version)
        ? 'replaced'
        : version === current
          ? 'current'
          : version.effectiveFrom > today
            ? 'pending'
            : 'past';
      return { version, state, changes: changesOf(t, before, version.limits) };
    });
}

/** 设置 → 时限设置: the grid events' time limits in force, their history, and an admin's change from a later day. */
export function LimitsCard() {
  const community = useCommunityId();
  if (community === null) return null;
  return <LimitsOf community={community} />;
}

function LimitsOf({ community }: { community: CommunityId }) {
  const t = useT();
  const versions = useRegistryValue(community, readLimitVersions);
  const admin = hasPermission(usePermissions(community), 'admin');
  const today = chinaDate(new Date());
  const schedule = scheduleOf(versions ?? []);
  const current = versionOn(schedule, today);
  const inForce = current?.limits ?? DEFAULT_LIMITS;
  const history = historyOf(t, versions ?? [], today);
  // The form starts from the last version set (in force or to come), so a change is made on top of it.
  const latest = schedule.versions.at(-1)?.limits ?? DEFAULT_LIMITS;
  // Kept here: the form starts again when a version is set, the message of that save stays.
  const [message, setMessage] = useState<Message | null>(null);

  return (
    <Card withBorder data-testid="limits-card">
      <Title order={3} size="h4" mb="xs">
        {t('incident.limits.title')}
      </Title>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('incident.limits.hint')}
        </Text>
        <Text size="sm" fw={500} data-testid="limits-since">
          {t('incident.limits.inForce', {
            since:
              current === null
                ? t('incident.limits.since.default')
                : t('incident.limits.since.version', { day: current.effectiveFrom, revision: current.revision }),
          })}
        </Text>
        <Table data-testid="limits-in-force">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('incident.limits.col.limit')}</Table.Th>
              <Table.Th>{t('incident.limits.col.value')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {FIELDS.map((f) => (
              <Table.Tr key={f.key} data-testid="limits-row">
                <Table.Td>{f.label(t)}</Table.Td>
                <Table.Td>{valueText(t, f, inForce)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Title order={4} size="h5">
          {t('incident.limits.history')}
        </Title>
        {history.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="limits-no-history">
            {t('incident.limits.noHistory')}
          </Text>
        ) : (
          <Table data-testid="limits-history" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('incident.limits.col.from')}</Table.Th>
                <Table.Th>{t('incident.limits.col.revision')}</Table.Th>
                <Table.Th>{t('incident.limits.col.changes')}</Table.Th>
                <Table.Th>{t('incident.limits.col.state')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.map((row) => (
                <Table.Tr key={row.version.revision} data-testid="limits-version">
                  <Table.Td>{row.version.effectiveFrom}</Table.Td>
                  <Table.Td>{row.version.revision}</Table.Td>
                  <Table.Td>
                    {row.changes.length === 0
                      ? t('incident.limits.sameAsBefore')
                      : row.changes.join(t('incident.limits.changeSep'))}
                  </Table.Td>
                  <Table.Td>{t(`incident.limits.state.${row.state}`)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {admin ? (
          // Keyed by the last version: a version set here or arriving by sync starts the form again from it.
          <LimitsEditor
            key={JSON.stringify(latest)}
            community={community}
            start={latest}
            today={today}
            onMessage={setMessage}
          />
        ) : (
          <Text size="sm" c="dimmed">
            {t('incident.limits.edit.notAdmin')}
          </Text>
        )}
        {message && (
          <Text
            size="sm"
            c={message.ok ? 'teal' : 'red'}
            role={message.ok ? 'status' : 'alert'}
            data-testid="limits-message"
          >
            {message.text}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

interface Message {
  readonly ok: boolean;
  readonly text: string;
}

function LimitsEditor({
  community,
  start,
  today,
  onMessage: setMessage,
}: {
  community: CommunityId;
  start: LimitSet;
  today: string;
  onMessage: (message: Message | null) => void;
}) {
  const t = useT();
  const store = useStore();
  const first = addDays(today, 1);
  const [form, setForm] = useState<Form>(() => formOf(start));
  const [effectiveFrom, setEffectiveFrom] = useState(first);
  const [busy, setBusy] = useState(false);

  const save = async () => {
    if (busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const result = await store.run(community, setIncidentLimits, { effectiveFrom, limits: limitsOf(form) });
      if (!result.ok) {
        setMessage({ ok: false, text: errorText(t, result.error) });
        return;
      }
      const { version } = result.value;
      setMessage({
        ok: true,
        text:
          version === null
            ? t('incident.limits.edit.unchanged', { day: effectiveFrom })
            : t('incident.limits.edit.saved', { day: version.effectiveFrom, revision: version.revision }),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      aria-label={t('incident.limits.edit.title')}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <Stack gap="xs">
        <Title order={4} size="h5">
          {t('incident.limits.edit.title')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          {FIELDS.map((f) => (
            <TextInput
              key={f.key}
              label={f.label(t)}
              inputMode="numeric"
              value={form[f.key] ?? ''}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setForm((previous) => ({ ...previous, [f.key]: value }));
              }}
            />
          ))}
        </SimpleGrid>
        <Group align="end" wrap="wrap">
          <DateField
            label={t('incident.limits.edit.effectiveFrom')}
            description={t('incident.limits.edit.effectiveHint', { first })}
            value={effectiveFrom}
            onChange={setEffectiveFrom}
          />
          <Button type="submit" loading={busy}>
            {t('incident.limits.edit.save')}
          </Button>
          <Button
            variant="default"
            onClick={() => {
              setForm(formOf(DEFAULT_LIMITS));
              setMessage({ ok: true, text: t('incident.limits.edit.restored') });
            }}
          >
            {t('incident.limits.edit.restore')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
