import { Anchor, Badge, Card, Group, Image, List, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { DueDate } from '@shared/domain/calendar';
import { chinaMinute } from '@shared/domain/dates';
import { allowedActions } from '@shared/domain/tasks/machine';
import { clockOf, type TaskState } from '@shared/domain/tasks/state';
import type { CommunityId } from '@shared/ydoc/docName';
import { useCommunities } from '../../data/hooks';
import { useT } from '../../i18n';
import { FromEvent } from '../event-links';
import { useTaskCalendar, today as todayOf, useMe, useTask, useTaskCommand, useTaskFiles } from './data';
import { reportSchedule } from '@shared/domain/tasks/reports';
import { CARD_COLORS, cardReason, dueText, dueWord, eventText, STATUS_COLORS } from './labels';
import type { Me } from './mine';
import { TaskActions } from './TaskActions';

function Field({ label, children }: { label: string; children: ReactNode }) {
  const t = useT();
  return (
    <Text size="sm">
      <Text span c="dimmed" size="sm">
        {label}
        {t('places.colon')}
      </Text>
      {children}
    </Text>
  );
}

function DueLine({ label, due }: { label: string; due: DueDate }) {
  const t = useT();
  return (
    <Field label={label}>
      {due.date}{' '}
      {due.uncovered && (
        <Tooltip label={t('task.due.uncoveredHint')}>
          <Badge color="gray" variant="outline" size="xs" tabIndex={0}>
            {t('task.due.uncovered')}
          </Badge>
        </Tooltip>
      )}
    </Field>
  );
}

/** A task's page: its template, deadlines, milestones, cards, extensions, the actions offered and its timeline. */
export function TaskPage({ community, year, id }: { community: CommunityId; year: number; id: string }) {
  const t = useT();
  const state = useTask(community, year, id);
  const commands = useTaskCommand(community, year);
  const me = useMe(community);
  const back = (
    <Anchor component={Link} href="/" size="sm">
      {t('task.back')}
    </Anchor>
  );
  if (state === undefined) return <Text c="dimmed">{t('task.loading')}</Text>;
  if (state === null) {
    return (
      <Stack>
        {back}
        <Text>{t('task.notFound')}</Text>
      </Stack>
    );
  }
  return <TaskView community={community} state={state} me={me} back={back} commands={commands} />;
}

/** The photos and files of the reports, newest report first: an image shows small, every file downloads. */
function ReportFiles({ state }: { state: TaskState }) {
  const t = useT();
  const year = Number(state.period.slice(0, 4));
  const fileOf = useTaskFiles(state.community as CommunityId, year, state.id);
  const reports = [...state.reports].reverse().filter((r) => r.attachments.length > 0);
  if (reports.length === 0 || fileOf === undefined) return null;
  return (
    <Card withBorder data-testid="task-files">
      <Title order={3} size="h5" mb="xs">
        {t('task.field.attachments')}
      </Title>
      <Stack gap="xs">
        {reports.map((r) => (
          <Stack key={r.id} gap={4}>
            <Text size="xs" c="dimmed">
              {`${r.on} · ${r.by.userName}`}
            </Text>
            <Group gap="sm">
              {r.attachments.map((ref) => {
                const file = fileOf(ref);
                if (file === null) return null;
                return (
                  <Anchor key={ref} href={file.data} download={file.name} size="sm">
                    {file.type.startsWith('image/') ? (
                      <Image src={file.data} alt={file.name} h={72} w="auto" radius="sm" />
                    ) : (
                      file.name
                    )}
                  </Anchor>
                );
              })}
            </Group>
          </Stack>
        ))}
      </Stack>
    </Card>
  );
}

function TaskView({
  community,
  state,
  me,
  back,
  commands,
}: {
  /** The community whose document holds the task (from a street's list, maybe not the one the screens show). */
  community: CommunityId;
  state: TaskState;
  me: Me;
  back: ReactNode;
  commands: ReturnType<typeof useTaskCommand>;
}) {
  const t = useT();
  const held = useCommunities();
  const communityName = held?.find((row) => row.id === community)?.name ?? state.community;
  const today = todayOf();
  // Counted on the task's own community's calendar (docs/tasks-model.md, "screens").
  const calendar = useTaskCalendar(community);
  const tpl = state.template;
  const allowed = allowedActions(state, me, today);
  const clock = clockOf(state, today);
  const word = dueWord(state, today, calendar);
  const reports = reportSchedule(state, calendar, today);
  const latestProgress = [...state.reports].reverse().find((r) => r.progress !== null)?.progress ?? null;
  const reported = new Set(state.reports.map((r) => r.milestoneId).filter((m) => m !== null));
  const schedule =
    tpl.schedule.type === 'annual'
      ? t('task.schedule.annual')
      : t('task.schedule.standing', { repeat: t(`task.repeat.${tpl.schedule.repeat}`) });
  return (
    <Stack data-testid="task-page">
      {back}
      <Group justify="space-between" align="start">
        <Stack gap={2}>
          <Text size="sm" c="dimmed">
            {tpl.docNo}
          </Text>
          <Title order={2}>{tpl.title}</Title>
          <Text size="sm" c="dimmed">
            {t('task.page.period', { period: state.period, community: communityName })}
          </Text>
        </Stack>
        <Group gap={4}>
          <Badge color={STATUS_COLORS[state.status]} size="lg" data-testid="task-status">
            {t(`task.status.${state.status}`)}
          </Badge>
          {state.claimLate && (
            <Badge color="orange" variant="outline">
              {t('task.flag.claimLate')}
            </Badge>
          )}
          {clock.overdue && <Badge color="red">{t('task.flag.overdue')}</Badge>}
        </Group>
      </Group>

      <TaskActions state={state} allowed={allowed} me={me} commands={commands} />

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Stack gap={4}>
            <Title order={3} size="h5">
              {t('task.page.fields')}
            </Title>
            <Field label={t('task.field.category')}>{tpl.category}</Field>
            <Field label={t('task.field.kind')}>{t(`task.kind.${tpl.kind}`)}</Field>
            <Field label={t('task.field.basis')}>{tpl.basis || t('task.none')}</Field>
            <FromEvent community={community} link="task" year={Number(state.period.slice(0, 4))} id={state.id} />
            <Field label={t('task.field.lead')}>{tpl.lead}</Field>
            <Field label={t('task.field.coOwners')}>
              {tpl.coOwners.length > 0 ? tpl.coOwners.join('、') : t('task.none')}
            </Field>
            <Field label={t('task.field.responsible')}>{tpl.responsible.name}</Field>
            <Field label={t('task.field.schedule')}>{schedule}</Field>
            <Field label={t('task.field.reportFrequency')}>{t(`task.frequency.${tpl.reportFrequency}`)}</Field>
            <Field label={t('task.field.fundName')}>
              {tpl.fund === null
                ? t('task.none')
                : t('task.page.fund', { name: tpl.fund.name, amount: tpl.fund.amount.toLocaleString('zh-CN') })}
            </Field>
            <Field label={t('task.field.owner')}>{state.owner?.name ?? t('task.filter.unclaimed')}</Field>
            {latestProgress !== null && <Text size="sm">{t('task.page.progress', { progress: latestProgress })}</Text>}
          </Stack>
        </Card>
        <Card withBorder>
          <Stack gap={4}>
            <Title order={3} size="h5">
              {t('task.page.deadlines')}
            </Title>
            <Text size="sm">{t('task.page.limits', { claim: tpl.claimLimit, completion: tpl.completionLimit })}</Text>
            <Field label={t('task.field.publishedOn')}>{state.publishedOn}</Field>
            <DueLine label={t('task.field.claimDue')} due={state.deadlines.claimDue} />
            <DueLine label={t('task.field.warningOn')} due={state.deadlines.warningOn} />
            <DueLine label={t('task.field.due')} due={state.deadlines.completionDue} />
            <Text size="sm" c={word.kind === 'over' ? 'red' : undefined} data-testid="task-page-due">
              {dueText(t, word)}
            </Text>
            {reports !== null && (
              <Text size="sm" data-testid="task-page-reports">
                {reports.reportedNow
                  ? t('task.report.done', { due: reports.due })
                  : t('task.report.due', { due: reports.due })}
              </Text>
            )}
            {reports !== null && reports.missed.length > 0 && (
              <Text size="sm" c="red" data-testid="task-page-missed">
                {t('task.report.missedDates', { dates: reports.missed.join(t('places.enumSeparator')) })}
              </Text>
            )}
            {state.closure !== null && (
              <>
                <Text size="sm">
                  {t('task.page.closure', {
                    closure: t(`task.closure.${state.closure.closure}`),
                    reason: state.closure.reason,
                  })}
                </Text>
                <Text size="sm">
                  {t(state.closure.onTime ? 'task.flag.onTime' : 'task.flag.late')} ·{' '}
                  {t('task.page.workdaysTaken', { days: state.closure.workdaysTaken })}
                </Text>
              </>
            )}
          </Stack>
        </Card>
      </SimpleGrid>

      {tpl.milestones.length > 0 && (
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            {t('task.page.milestones')}
          </Title>
          <List size="sm" spacing={2}>
            {tpl.milestones.map((m) => (
              <List.Item key={m.id}>
                {t('task.page.milestoneLine', { title: m.title, weight: m.weight })}
                {m.evidence && ` · ${m.evidence}`}
                {reported.has(m.id) && (
                  <Badge ml={6} size="xs" color="green" variant="light">
                    {t('task.page.milestoneDone')}
                  </Badge>
                )}
              </List.Item>
            ))}
          </List>
        </Card>
      )}

      {state.cards.length > 0 && (
        <Card withBorder data-testid="task-cards">
          <Title order={3} size="h5" mb="xs">
            {t('task.page.cards')}
          </Title>
          <Stack gap="xs">
            {state.cards.map((c) => (
              <Stack key={c.id} gap={0} data-testid="task-card-line">
                <Group gap={6}>
                  <Badge color={CARD_COLORS[c.level]}>{t(`task.card.${c.level}`)}</Badge>
                  <Text size="sm" td={c.cancelled !== null ? 'line-through' : undefined}>
                    {cardReason(t, c)}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  {t('task.cardLine.issued', { issuer: c.issuer.userName, on: c.raisedOn, due: c.replyDue.date })}
                </Text>
                {c.reply !== null && (
                  <Text size="xs">
                    {t('task.cardLine.reply', { by: c.reply.by.userName, on: c.reply.on, text: c.reply.text })}
                  </Text>
                )}
                {c.cancelled !== null && (
                  <Text size="xs">
                    {t('task.cardLine.cancelled', {
                      by: c.cancelled.by.userName,
                      on: c.cancelled.on,
                      reason: c.cancelled.reason,
                    })}
                  </Text>
                )}
              </Stack>
            ))}
          </Stack>
        </Card>
      )}

      {state.extensions.length > 0 && (
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            {t('task.page.extensions')}
          </Title>
          <Stack gap={4}>
            {state.extensions.map((x) => (
              <Stack key={x.requestId} gap={0}>
                <Text size="sm">
                  {t('task.extLine', { days: x.days, by: x.by.userName, on: x.requestedOn, reason: x.reason })}
                </Text>
                <Text size="xs" c="dimmed">
                  {x.decision === null
                    ? t('task.extPending')
                    : t('task.extDecided', {
                        granted: x.decision.granted,
                        by: x.decision.approver.userName,
                        on: x.decision.on,
                        reason: x.decision.reason,
                      })}
                </Text>
              </Stack>
            ))}
          </Stack>
        </Card>
      )}

      <ReportFiles state={state} />

      <Card withBorder>
        <Title order={3} size="h5" mb="xs">
          {t('task.page.timeline')}
        </Title>
        <Table striped aria-label={t('task.page.timeline')} data-testid="task-timeline">
          <Table.Tbody>
            {[...state.history].reverse().map((e, i) => (
              <Table.Tr key={i} data-testid="task-event">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{chinaMinute(new Date(e.at))}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{e.by.userName || e.by.userId}</Table.Td>
                <Table.Td>{eventText(t, e)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}
