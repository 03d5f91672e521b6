import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { Link } from 'wouter';
import type { WorkingCalendar } from '@shared/domain/calendar';
import { reportSchedule } from '@shared/domain/tasks/reports';
import { openCards, type TaskState } from '@shared/domain/tasks/state';
import { useCommunityId } from '../../data/hooks';
import { useT } from '../../i18n';
import { useTaskCalendar, taskHref, today as todayOf, useMe, useTaskList } from './data';
import { CARD_COLORS, dueText, dueWord, openCardLevel } from './labels';
import { mineReason, type MineReason } from './mine';

const REASON_KEYS = {
  claim: 'task.mine.toClaim',
  verify: 'task.mine.toVerify',
  decide: 'task.mine.toDecide',
} as const satisfies Partial<Record<MineReason, string>>;

/**
 * 我的任务 on 工作台 (inside 今天要办): the tasks waiting for the person at the keyboard, soonest due first, each with its
 * working days left or over and its open cards, a link to its page.
 */
/** The holder's next progress report by the task's frequency, and the reports missed (red). */
function ReportReminder({ state, calendar, today }: { state: TaskState; calendar: WorkingCalendar; today: string }) {
  const t = useT();
  const schedule = reportSchedule(state, calendar, today);
  if (schedule === null) return null;
  return (
    <>
      {!schedule.reportedNow && (
        <Text size="xs" c={schedule.due === today ? 'orange' : 'dimmed'} data-testid="today-task-report">
          {t('task.report.due', { due: schedule.due })}
        </Text>
      )}
      {schedule.missed.length > 0 && (
        <Text size="xs" c="red" data-testid="today-task-missed">
          {t('task.report.missed', { count: schedule.missed.length })}
        </Text>
      )}
    </>
  );
}

export function MyTasks() {
  const t = useT();
  const community = useCommunityId();
  const tasks = useTaskList(community);
  const today = todayOf();
  const calendar = useTaskCalendar(community);
  const me = useMe(community);
  const mine = useMemo(() => {
    return (tasks ?? [])
      .flatMap((entry) => {
        const reason = mineReason(entry.state, me, today);
        return reason === null ? [] : [{ ...entry, reason }];
      })
      .sort((a, b) =>
        a.state.deadlines.completionDue.date < b.state.deadlines.completionDue.date
          ? -1
          : a.state.deadlines.completionDue.date > b.state.deadlines.completionDue.date
            ? 1
            : 0,
      );
  }, [tasks, me, today]);
  if (!community || tasks === undefined) return null;
  return (
    <Stack gap={4} data-testid="today-tasks">
      <Text size="sm" fw={600}>
        {t('task.mine.title', { count: mine.length })}
      </Text>
      {mine.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('task.mine.none')}
        </Text>
      ) : (
        <Stack gap={2} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {mine.map(({ year, state, reason }) => {
            const word = dueWord(state, today, calendar);
            const level = openCardLevel(state);
            const cards = openCards(state).length;
            return (
              <Group key={state.id} gap={6} component="li" data-testid="today-task">
                {reason !== 'holder' && (
                  <Badge size="xs" variant="light">
                    {t(REASON_KEYS[reason])}
                  </Badge>
                )}
                <Anchor component={Link} href={`/tasks${taskHref(year, state.id)}`} size="sm">
                  {`${state.template.docNo} ${state.template.title}`}
                </Anchor>
                <Text size="xs" c={word.kind === 'over' ? 'red' : 'dimmed'}>
                  {dueText(t, word)}
                </Text>
                {reason === 'holder' && <ReportReminder state={state} calendar={calendar} today={today} />}
                {level !== null && (
                  <Badge size="xs" color={CARD_COLORS[level]}>
                    {t(`task.card.${level}`)}
                  </Badge>
                )}
                {cards > 0 && (
                  <Text size="xs" c="dimmed">
                    {t('task.mine.openCards', { count: cards })}
                  </Text>
                )}
              </Group>
            );
          })}
        </Stack>
      )}
    </Stack>
  );
}
