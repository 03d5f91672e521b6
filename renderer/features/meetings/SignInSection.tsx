import { Alert, Badge, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState, type SyntheticEvent } from 'react';
import { addGuest, signIn } from '@shared/domain/meetings/commands';
import { hasStarted } from '@shared/domain/meetings/machine';
import { quorum, ruleFor, sheetOf } from '@shared/domain/meetings/rules';
import type { Attendance, Attendee } from '@shared/domain/meetings/types';
import { useT } from '../../i18n';
import { useMeetingCommand } from './data';
import { ErrorLine } from './ErrorLine';
import { ATTENDANCE_LABELS, QUORUM_REASON_LABELS, thresholdText, warningText } from './labels';
import type { MeetingContext } from './meetingContext';
import { SignInPhotos } from './SignInPhotos';

/** 应到 / 实到 / 缺席 / 列席 of a sheet, as the minutes count them. */
export function attendanceCounts(sheet: readonly Attendee[]) {
  const expected = sheet.filter((a) => a.expected);
  return {
    expected: expected.length,
    present: sheet.filter((a) => a.voting && (a.status === 'present' || a.status === 'late')).length,
    late: sheet.filter((a) => a.status === 'late').length,
    absent: sheet.filter((a) => a.status === 'absent').length,
    nonVoting: sheet.filter((a) => a.status === 'non-voting' || (!a.voting && a.status !== 'absent')).length,
  };
}

/**
 * The live quorum by the meeting type's rule (the domain's `quorum`), recomputed on every sign-in. Before the meeting
 * starts nobody has signed in, so the panel is a neutral preview of what will be needed, never a red alert.
 */
export function QuorumPanel({ ctx }: { ctx: MeetingContext }) {
  const t = useT();
  const { meeting } = ctx;
  const q = quorum(meeting, ctx.registry);
  const rule = ruleFor(meeting.type, meeting.rules);
  const { headcount, area } = q.detail;
  const started = hasStarted(meeting.status);
  const title = !started
    ? 'mtg.quorum.title.preview'
    : q.reached
      ? 'mtg.quorum.title.reached'
      : 'mtg.quorum.title.short';
  return (
    <Alert
      color={!started ? 'gray' : q.reached ? 'green' : q.binding ? 'red' : 'yellow'}
      title={t(title)}
      data-started={started}
      data-testid="quorum"
      data-reached={q.reached}
      role="status"
      aria-live="polite"
    >
      <Stack gap={2}>
        <Text size="sm">
          {t('mtg.quorum.headcount', {
            present: headcount.present,
            expected: headcount.expected,
            needed: headcount.needed,
            rule: thresholdText(t, rule.quorum),
          })}
        </Text>
        {area && (
          <Text size="sm">
            {t('mtg.quorum.area', { present: area.present, total: area.total, needed: area.needed })}
          </Text>
        )}
        {started && <Text size="sm">{t(QUORUM_REASON_LABELS[q.reason])}</Text>}
        {q.warnings.map((w) => (
          <Text size="sm" key={w.code}>
            {warningText(t, w)}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

/** 签到: every line of the sheet with its status; absence needs a reason; guests attend as 列席. */
export function SignInSection({ ctx }: { ctx: MeetingContext }) {
  const t = useT();
  const commands = useMeetingCommand(ctx.community, ctx.year);
  const { meeting } = ctx;
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [guest, setGuest] = useState('');
  const sheet = sheetOf(meeting, ctx.registry);
  const started = hasStarted(meeting.status);
  const counts = attendanceCounts(sheet);
  const [reasonMissing, setReasonMissing] = useState<string | null>(null);
  const mark = (key: string, status: Attendance) => {
    const reason = status === 'absent' ? (reasons[key] ?? '').trim() : '';
    // The domain refuses an absence without a reason too; saying so here names the person.
    if (status === 'absent' && reason === '') {
      setReasonMissing(sheet.find((a) => a.key === key)?.name ?? key);
      return;
    }
    setReasonMissing(null);
    void commands.run(signIn, { meetingId: meeting.id, key, status, reason });
  };
  const invite = async (event: SyntheticEvent) => {
    event.preventDefault();
    const key = await commands.run(addGuest, { meetingId: meeting.id, name: guest });
    if (key !== null) setGuest('');
  };
  return (
    <Stack component="section" aria-labelledby="mtg-signin">
      <Title order={3} id="mtg-signin">
        {t('mtg.signIn.title')}
      </Title>
      {!started && <Text c="dimmed">{t('mtg.signIn.preview')}</Text>}
      <QuorumPanel ctx={ctx} />
      {started && (
        <Text size="sm" data-testid="attendance-counts">
          {t('mtg.signIn.counts', counts)}
        </Text>
      )}
      <Table.ScrollContainer minWidth={640}>
        <Table striped aria-label={t('mtg.signIn.sheet')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('mtg.signIn.name')}</Table.Th>
              <Table.Th>{t('mtg.signIn.status')}</Table.Th>
              {ctx.may('sign-in') && <Table.Th>{t('mtg.signIn.mark')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sheet.map((a) => (
              <Table.Tr key={a.key} data-testid="attendee-row" data-key={a.key}>
                <Table.Td>
                  {a.name}
                  {!a.voting && (
                    <Badge ml="xs" size="xs" variant="outline">
                      {t('mtg.signIn.noVote')}
                    </Badge>
                  )}
                  {a.area !== null && (
                    <Text span size="xs" c="dimmed" ml="xs">
                      {t('mtg.signIn.areaOf', { area: a.area })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td data-testid="attendee-status">
                  {started ? t(ATTENDANCE_LABELS[a.status]) : t('mtg.signIn.notStarted')}
                  {a.status === 'absent' && a.reason !== '' && ` · ${a.reason}`}
                </Table.Td>
                {ctx.may('sign-in') && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button
                        size="compact-xs"
                        variant={started && a.status === 'present' ? 'filled' : 'light'}
                        aria-pressed={started && a.status === 'present'}
                        onClick={() => mark(a.key, 'present')}
                        aria-label={t('mtg.signIn.markAs', { name: a.name, status: t('mtg.att.present') })}
                      >
                        {t('mtg.att.present')}
                      </Button>
                      <Button
                        size="compact-xs"
                        variant={started && a.status === 'late' ? 'filled' : 'light'}
                        aria-pressed={started && a.status === 'late'}
                        onClick={() => mark(a.key, 'late')}
                        aria-label={t('mtg.signIn.markAs', { name: a.name, status: t('mtg.att.late') })}
                      >
                        {t('mtg.att.late')}
                      </Button>
                      <Button
                        size="compact-xs"
                        variant={started && a.status === 'non-voting' ? 'filled' : 'light'}
                        aria-pressed={started && a.status === 'non-voting'}
                        onClick={() => mark(a.key, 'non-voting')}
                        aria-label={t('mtg.signIn.markAs', { name: a.name, status: t('mtg.att.non-voting') })}
                      >
                        {t('mtg.att.non-voting')}
                      </Button>
                      <TextInput
                        size="xs"
                        placeholder={t('mtg.signIn.reason')}
                        aria-label={t('mtg.signIn.reasonOf', { name: a.name })}
                        value={reasons[a.key] ?? ''}
                        onChange={(event) => {
                          const value = event.currentTarget.value;
                          setReasons((r) => ({ ...r, [a.key]: value }));
                        }}
                        w={120}
                      />
                      <Button
                        size="compact-xs"
                        variant={a.status === 'absent' && a.reason !== '' ? 'filled' : 'default'}
                        aria-pressed={a.status === 'absent' && a.reason !== ''}
                        onClick={() => mark(a.key, 'absent')}
                        aria-label={t('mtg.signIn.markAs', { name: a.name, status: t('mtg.att.absent') })}
                      >
                        {t('mtg.att.absent')}
                      </Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {ctx.may('sign-in') && (
        <form onSubmit={(event) => void invite(event)}>
          <Group align="end">
            <TextInput
              required
              label={t('mtg.signIn.guest')}
              value={guest}
              onChange={(e) => setGuest(e.currentTarget.value)}
            />
            <Button type="submit" variant="default">
              {t('mtg.signIn.addGuest')}
            </Button>
          </Group>
        </form>
      )}
      {started && <SignInPhotos ctx={ctx} />}
      {reasonMissing !== null && (
        <Alert color="red" role="alert" p="xs">
          {t('mtg.signIn.reasonRequired', { name: reasonMissing })}
        </Alert>
      )}
      <ErrorLine error={commands.error} />
    </Stack>
  );
}
