import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { Link } from 'wouter';
import { chinaDate } from '@shared/domain/dates';
import { casesNearDeadline, followUpsDue } from '@shared/domain/mediation/due';
import type { MediationCase } from '@shared/domain/mediation/types';
import { useCommunityId } from '../../data/hooks';
import { useT } from '../../i18n';
import { LazyBoundary } from '../../ui/lazy';
import { caseNumberText, partiesLine, useAllCases, useRegistryInfo, type RegistryInfo } from '../mediation';
import { MyTasks } from '../tasks';
import { useMyActionItems } from './useToday';

/** One kind of thing due today: a heading with its count, then one line per item, each a link to its page. */
function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode[] }) {
  const t = useT();
  return (
    <Stack gap={4} data-testid={testId}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      {children.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('home.today.nothing')}
        </Text>
      ) : (
        <Stack gap={2} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {children}
        </Stack>
      )}
    </Stack>
  );
}

/** The case as the case list names it: its number, then applicants / respondents. */
function CaseLink({ c, info }: { c: MediationCase; info: RegistryInfo | undefined }) {
  return (
    <Anchor component={Link} href={`/mediation/case/${c.year}/${c.id}`} size="sm">
      {`${caseNumberText(c, info)} ${partiesLine(c)}`}
    </Anchor>
  );
}

/**
 * 今天要办: what the worker has to do today, each line a link to its page. Follow-up visits whose day has come and
 * cases near or past their time limit (the domain's rules, shared/domain/mediation/due.ts), and the person's open meeting
 * action items (`openActionItems`, matched to the person linked in 设置; ./useToday.ts).
 *
 * Then 我的任务: the tasks waiting for the person (to claim, held, to verify, an extension to decide), with their
 * working days left or over and their open cards (renderer/features/tasks `MyTasks`, loaded with the tasks' code).
 */
export function TodayCard() {
  const t = useT();
  const community = useCommunityId();
  const cases = useAllCases(community);
  const info = useRegistryInfo(community);
  const items = useMyActionItems(community);
  const today = chinaDate(new Date());
  const followUps = useMemo(() => followUpsDue(cases ?? [], today), [cases, today]);
  const deadlines = useMemo(() => casesNearDeadline(cases ?? [], today), [cases, today]);
  const mine = items ?? [];
  if (!community) return null;
  const loading = cases === undefined || items === undefined;
  const nothing = !loading && followUps.length === 0 && deadlines.length === 0 && mine.length === 0;
  return (
    <Card withBorder data-testid="today-card" aria-labelledby="today-title">
      <Stack gap="sm">
        <Title order={3} size="h4" id="today-title">
          {t('home.today.title')}
        </Title>
        {loading ? (
          <Text size="sm" c="dimmed">
            {t('home.today.loading')}
          </Text>
        ) : (
          <>
            {nothing && <Text size="sm">{t('home.today.none')}</Text>}
            <Section title={t('home.today.followUps', { count: followUps.length })} testId="today-follow-ups">
              {followUps.map(({ case: c, due }) => (
                <Group key={c.id} gap={6} component="li" data-testid="today-follow-up">
                  <CaseLink c={c} info={info} />
                  <Text size="xs" c={due < today ? 'red' : 'dimmed'}>
                    {t('home.today.followUpLine', { date: due })}
                  </Text>
                </Group>
              ))}
            </Section>
            <Section title={t('home.today.deadlines', { count: deadlines.length })} testId="today-deadlines">
              {deadlines.map(({ case: c, state, due }) => (
                <Group key={c.id} gap={6} component="li" data-testid="today-deadline">
                  <Badge size="sm" color={state === 'red' ? 'red' : 'yellow'}>
                    {t(`case.deadline.${state}`)}
                  </Badge>
                  <CaseLink c={c} info={info} />
                  <Text size="xs" c="dimmed">
                    {t('home.today.deadlineLine', { date: due })}
                  </Text>
                </Group>
              ))}
            </Section>
            <Section title={t('home.today.actions', { count: mine.length })} testId="today-actions">
              {mine.map((item) => (
                <Group key={item.actionItem.id} gap={6} component="li" data-testid="today-action">
                  <Anchor component={Link} href={`/meetings/m/${item.year}/${item.meetingId}`} size="sm">
                    {t('home.today.actionLine', {
                      title: item.actionItem.title,
                      deadline: item.actionItem.deadline,
                      meeting: item.meetingTitle,
                    })}
                  </Anchor>
                  {item.overdue && (
                    <Badge size="xs" color="red">
                      {t('home.today.overdue')}
                    </Badge>
                  )}
                </Group>
              ))}
            </Section>
            <LazyBoundary>
              <MyTasks />
            </LazyBoundary>
          </>
        )}
      </Stack>
    </Card>
  );
}
