import { Anchor, Badge, Card, Group, Stack, Text } from '@mantine/core';
import { Link } from 'wouter';
import { chinaDate } from '@shared/domain/dates';
import { isUpcoming } from '@shared/domain/meetings/machine';
import { useCommunityId } from '../../data/hooks';
import { useT } from '../../i18n';
import { isMine, LinkHint, useMe, useOpenActionItems } from './ActionItemsList';
import { useMeetingList } from './data';
import { dayOf, formatWhen } from './labels';

const UPCOMING_DAYS = 14;

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The meetings card of the dashboard: meetings of the next two weeks and open action items, the person's own first. */
export function MeetingsDashboard() {
  const t = useT();
  const community = useCommunityId();
  const meetings = useMeetingList(community);
  const items = useOpenActionItems(community);
  const me = useMe(community);
  if (!community) return null;
  const today = chinaDate(new Date());
  const until = addDays(today, UPCOMING_DAYS);
  const upcoming = (meetings ?? [])
    // Still to come (not started), within two weeks: a meeting started early is no longer upcoming.
    .filter((e) => isUpcoming(e.meeting, today) && dayOf(e.meeting.startsAt) <= until)
    .sort((a, b) => (a.meeting.startsAt < b.meeting.startsAt ? -1 : 1))
    .slice(0, 5);
  const open = [...(items ?? [])].sort((a, b) => Number(isMine(b, me)) - Number(isMine(a, me))).slice(0, 6);
  return (
    <Card withBorder padding="md" data-testid="meetings-dashboard">
      <Stack gap="xs">
        <Text fw={600}>{t('mtg.dashboard.title')}</Text>
        <Text size="sm" fw={500}>
          {t('mtg.dashboard.upcoming')}
        </Text>
        {upcoming.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('mtg.calendar.none')}
          </Text>
        ) : (
          upcoming.map((e) => (
            <Anchor key={e.meeting.id} component={Link} href={`/meetings/m/${e.year}/${e.meeting.id}`} size="sm">
              {`${formatWhen(e.meeting.startsAt)} ${e.meeting.title}`}
            </Anchor>
          ))
        )}
        <Text size="sm" fw={500}>
          {t('mtg.dashboard.actions', { count: items?.length ?? 0 })}
        </Text>
        {open.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('mtg.actions.none')}
          </Text>
        ) : (
          open.map((item) => (
            <Group key={item.actionItem.id} gap="xs" data-testid="dashboard-action-item">
              <Anchor component={Link} href={`/meetings/m/${item.year}/${item.meetingId}`} size="sm">
                {t('mtg.dashboard.actionLine', {
                  title: item.actionItem.title,
                  owner: item.actionItem.owner.name,
                  deadline: item.actionItem.deadline,
                })}
              </Anchor>
              {isMine(item, me) && (
                <Badge size="xs" variant="light">
                  {t('mtg.dashboard.mine')}
                </Badge>
              )}
              {item.overdue && (
                <Badge size="xs" color="red">
                  {t('mtg.actions.overdue')}
                </Badge>
              )}
            </Group>
          ))
        )}
        {open.length > 0 && <LinkHint me={me} />}
        <Anchor component={Link} href="/meetings/actions" size="sm">
          {t('mtg.dashboard.all')}
        </Anchor>
      </Stack>
    </Card>
  );
}
