import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import type * as Y from 'yjs';
import {
  amendMeeting,
  archiveMeeting,
  finishMeeting,
  publishNotice,
  publishResolutions,
  returnToDraft,
  startMeeting,
  submitForReview,
} from '@shared/domain/meetings/commands';
import { allowedActions, editsAfterLock, startsEarly } from '@shared/domain/meetings/machine';
import type { MeetingWarning } from '@shared/domain/meetings/rules';
import { isLocked } from '@shared/domain/meetings/types';
import { chinaDate } from '@shared/domain/dates';
import { emptySnapshot, snapshotRegistry } from '@shared/ydoc/registry';
import type { CommunityId } from '@shared/ydoc/docName';
import type { StoredMeeting } from '@shared/ydoc/meetings';
import { useRegistryValue, useStore } from '../../data/hooks';
import { useT, type MessageKey, type Translate } from '../../i18n';
import { ActionItemsSection } from './ActionItemsSection';
import { AgendaSection } from './AgendaSection';
import { CasesSection } from './CasesSection';
import { useMeeting, useMeetingCommand } from './data';
import { EditDetails } from './EditDetails';
import { ErrorLine } from './ErrorLine';
import { dayOf, formatWhen, PARTY_KIND_LABELS, STATUS_LABELS, TYPE_LABELS, warningText } from './labels';
import type { MeetingContext } from './meetingContext';
import { SignInSection } from './SignInSection';
import { SignOffSection } from './SignOffSection';
import { VersionsSection } from './VersionsSection';
import { DateField } from '../../ui/DateField';
import { FromEvent } from '../event-links';
import { SourceLink } from '../party';

/** A meeting's page: details and workflow, agenda with minutes and votes, sign-in and quorum, sign-off, follow-up. */
export function MeetingPage({ community, year, id }: { community: CommunityId; year: number; id: string }) {
  const t = useT();
  const store = useStore();
  const meeting = useMeeting(community, year, id);
  const commands = useMeetingCommand(community, year);
  const needsRegistry = meeting !== undefined && meeting !== null && meeting.attendees.length === 0;
  const registry = useRegistryValue(
    needsRegistry ? community : null,
    useCallback((doc: Y.Doc) => snapshotRegistry(doc), []),
  );
  if (meeting === undefined) return <Text>{t('settings.loading')}</Text>;
  if (meeting === null) {
    return (
      <Stack>
        <Text>{t('mtg.notFound')}</Text>
        <Anchor component={Link} href="/">
          {t('mtg.back')}
        </Anchor>
      </Stack>
    );
  }
  const permissions = store.permissions();
  const mayEdit = permissions.has('meetings.edit') || permissions.has('admin');
  const allowed = allowedActions(meeting.status);
  const ctx: MeetingContext = {
    community,
    year,
    meeting,
    may: (action) => mayEdit && allowed.includes(action),
    commands,
    registry: needsRegistry ? (registry ?? emptySnapshot()) : emptySnapshot(),
  };
  return (
    <Stack>
      <Anchor component={Link} href="/">
        {t('mtg.back')}
      </Anchor>
      <MeetingHeader meeting={meeting} />
      <SourceLink community={community} target="meeting" year={year} id={meeting.id} />
      <FromEvent community={community} link="meeting" year={year} id={meeting.id} />
      <DetailsEditor ctx={ctx} />
      <Workflow ctx={ctx} />
      <AgendaSection ctx={ctx} />
      <SignInSection ctx={ctx} />
      <SignOffSection ctx={ctx} />
      <ActionItemsSection ctx={ctx} />
      <CasesSection ctx={ctx} />
      <VersionsSection ctx={ctx} />
    </Stack>
  );
}

const LATE_FIELDS: Partial<Record<string, MessageKey>> = {
  title: 'mtg.field.title',
  startsAt: 'mtg.field.startsAt',
  place: 'mtg.field.place',
  chair: 'mtg.field.chair',
  recorder: 'mtg.field.recorder',
  minutes: 'mtg.lateEdits.minutes',
  vote: 'mtg.lateEdits.vote',
  resolution: 'mtg.resolution.label',
  status: 'mtg.signIn.status',
};

/** `agenda.<id>.minutes` as "加装电梯：讨论记录", `attendees.<key>.status` as "王琳欣：签到情况". */
export function lateEditLabel(t: Translate, meeting: StoredMeeting, path: string): string {
  const [part, id, field] = path.split('.');
  const fieldLabel = (name: string | undefined) => {
    const key = name === undefined ? undefined : LATE_FIELDS[name];
    return key ? t(key) : (name ?? '');
  };
  if (part === 'agenda' && id !== undefined) {
    const title = meeting.agenda.find((i) => i.id === id)?.title ?? id;
    return field === undefined ? title : t('mtg.lateEdits.of', { what: title, field: fieldLabel(field) });
  }
  if (part === 'attendees' && id !== undefined) {
    const name = meeting.attendees.find((a) => a.key === id)?.name ?? id;
    return field === undefined ? name : t('mtg.lateEdits.of', { what: name, field: fieldLabel(field) });
  }
  return fieldLabel(part);
}

function MeetingHeader({ meeting }: { meeting: StoredMeeting }) {
  const t = useT();
  const late = isLocked(meeting.status) ? editsAfterLock(meeting) : [];
  const rows: [string, string][] = [
    [
      t('mtg.field.type'),
      t(TYPE_LABELS[meeting.type]) + (meeting.partyKind ? ` · ${t(PARTY_KIND_LABELS[meeting.partyKind])}` : ''),
    ],
    [t('mtg.field.startsAt'), formatWhen(meeting.startsAt)],
    ...(meeting.startedAt ? [[t('mtg.field.startedAt'), formatWhen(meeting.startedAt)] as [string, string]] : []),
    [t('mtg.field.place'), meeting.place],
    [t('mtg.field.convener'), meeting.convener.name],
    [t('mtg.field.chair'), meeting.chair.name],
    [t('mtg.field.recorder'), meeting.recorder.name],
    [t('mtg.field.noticeOn'), meeting.noticePublishedOn ?? t('mtg.none')],
  ];
  if (meeting.requiredSignatories.length > 0) {
    rows.push([t('mtg.field.signatories'), meeting.requiredSignatories.map((p) => p.name).join('、')]);
  }
  if (meeting.resolutionsPublishedOn) rows.push([t('mtg.field.resolutionsOn'), meeting.resolutionsPublishedOn]);
  return (
    <Stack gap="xs">
      <Group>
        <Title order={2}>{meeting.title}</Title>
        <Badge data-testid="meeting-status" variant="light" color={isLocked(meeting.status) ? 'gray' : 'blue'}>
          {t(STATUS_LABELS[meeting.status])}
        </Badge>
        {isLocked(meeting.status) && (
          <Badge color="dark" data-testid="meeting-locked">
            {t('mtg.locked')}
          </Badge>
        )}
        {meeting.version > 1 && <Badge variant="outline">{t('mtg.version', { version: meeting.version })}</Badge>}
      </Group>
      <Table maw={640} withTableBorder>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={140}>{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {late.length > 0 && (
        <Alert color="orange" role="alert" title={t('mtg.lateEdits.title')}>
          {t('mtg.lateEdits.body', { paths: late.map((path) => lateEditLabel(t, meeting, path)).join('、') })}
        </Alert>
      )}
    </Stack>
  );
}

function DetailsEditor({ ctx }: { ctx: MeetingContext }) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  if (!ctx.may('edit-details')) return null;
  if (editing) return <EditDetails ctx={ctx} onDone={() => setEditing(false)} />;
  return (
    <Group>
      <Button size="xs" variant="default" onClick={() => setEditing(true)}>
        {t('mtg.details.edit')}
      </Button>
    </Group>
  );
}

/** The buttons that move the meeting on, shown only when the machine allows them and the person may edit. */
function Workflow({ ctx }: { ctx: MeetingContext }) {
  const t = useT();
  const [, navigate] = useLocation();
  const { meeting, commands, may } = ctx;
  const today = chinaDate(new Date());
  const [noticeOn, setNoticeOn] = useState(today);
  const [publishedOn, setPublishedOn] = useState(today);
  const [reason, setReason] = useState('');
  const [warnings, setWarnings] = useState<readonly MeetingWarning[]>([]);
  // Starting before the scheduled day is asked first (the machine knows when a start is early).
  const [confirmEarly, setConfirmEarly] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  // The question takes the focus, so a keyboard user answers it with Enter (or Tab to 取消).
  useEffect(() => {
    if (confirmEarly) confirmButton.current?.focus();
  }, [confirmEarly]);
  const ref = { meetingId: meeting.id };
  const start = (early: boolean) => {
    setConfirmEarly(false);
    void commands.runWithRegistry(startMeeting, { meetingId: meeting.id, early }).then(after);
  };
  const after = (result: { warnings: readonly MeetingWarning[] } | null) => {
    if (result) setWarnings(result.warnings);
  };
  const print = (kind: string) => navigate(`/m/${ctx.year}/${meeting.id}/print/${kind}`);

  return (
    <Stack gap="xs" component="section" aria-label={t('mtg.workflow')}>
      <Group align="end" wrap="wrap">
        {may('publish-notice') && (
          <>
            <DateField label={t('mtg.notice.date')} value={noticeOn} onChange={setNoticeOn} />
            <Button
              onClick={() =>
                void commands.run(publishNotice, { meetingId: meeting.id, publishedOn: noticeOn }).then(after)
              }
            >
              {t('mtg.action.publishNotice')}
            </Button>
          </>
        )}
        {may('start') && (
          <Button onClick={() => (startsEarly(meeting, new Date()) ? setConfirmEarly(true) : start(false))}>
            {t('mtg.action.start')}
          </Button>
        )}
        {may('finish') && (
          <Button onClick={() => void commands.run(finishMeeting, ref).then(after)}>{t('mtg.action.finish')}</Button>
        )}
        {may('submit-for-review') && (
          <Button onClick={() => void commands.run(submitForReview, ref).then(after)}>
            {t('mtg.action.submitForReview')}
          </Button>
        )}
        {may('return-to-draft') && (
          <Button variant="default" onClick={() => void commands.run(returnToDraft, ref).then(after)}>
            {t('mtg.action.returnToDraft')}
          </Button>
        )}
        {may('publish-resolutions') && (
          <>
            <DateField label={t('mtg.resolutions.date')} value={publishedOn} onChange={setPublishedOn} />
            <Button
              onClick={() => void commands.run(publishResolutions, { meetingId: meeting.id, publishedOn }).then(after)}
            >
              {t('mtg.action.publishResolutions')}
            </Button>
          </>
        )}
        {may('archive') && (
          <Button variant="default" onClick={() => void commands.run(archiveMeeting, ref).then(after)}>
            {t('mtg.action.archive')}
          </Button>
        )}
      </Group>
      {may('start') && confirmEarly && (
        <Alert color="orange" role="alertdialog" aria-labelledby="mtg-start-early" data-testid="start-early">
          <Stack gap="xs">
            <Text size="sm" id="mtg-start-early">
              {t('mtg.start.early', { day: dayOf(meeting.startsAt), today: chinaDate(new Date()) })}
            </Text>
            <Group gap="xs">
              <Button ref={confirmButton} size="xs" color="orange" onClick={() => start(true)}>
                {t('mtg.start.earlyConfirm')}
              </Button>
              <Button size="xs" variant="default" onClick={() => setConfirmEarly(false)}>
                {t('mtg.cancel')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {may('amend') && (
        <Group align="end">
          <TextInput
            label={t('mtg.amend.reason')}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            style={{ flex: '1 1 320px' }}
          />
          <Button
            variant="default"
            disabled={reason.trim() === ''}
            onClick={() =>
              void commands
                .run(amendMeeting, { meetingId: meeting.id, reason })
                .then((v) => v !== null && setReason(''))
            }
          >
            {t('mtg.action.amend')}
          </Button>
        </Group>
      )}
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          {t('mtg.print.label')}
        </Text>
        <Button size="xs" variant="light" onClick={() => print('notice')}>
          {t('mtg.print.notice')}
        </Button>
        <Button size="xs" variant="light" onClick={() => print('sign-in')}>
          {t('mtg.print.signIn')}
        </Button>
        <Button size="xs" variant="light" onClick={() => print('minutes')}>
          {t('mtg.print.minutes')}
        </Button>
        <Button size="xs" variant="light" onClick={() => print('resolutions')}>
          {t('mtg.print.resolutions')}
        </Button>
      </Group>
      {warnings.length > 0 && (
        <Alert color="yellow" role="status">
          {warnings.map((w) => warningText(t, w)).join(' ')}
        </Alert>
      )}
      <ErrorLine error={commands.error} />
    </Stack>
  );
}
