import { Stack, Tabs, Text, Title } from '@mantine/core';
import { Route, Switch, useLocation, useParams } from 'wouter';
import { useCommunityId } from '../../data/hooks';
import { useT } from '../../i18n';
import { ActionItemsList } from './ActionItemsList';
import { CreateMeeting } from './CreateMeeting';
import { MeetingCalendar } from './MeetingCalendar';
import { MeetingList } from './MeetingList';
import { MeetingPage } from './MeetingPage';
import { PrintView, type PrintKind } from './print/PrintView';

const TABS = ['/', '/calendar', '/actions'] as const;

/** The meetings area (会议记录): list, calendar, my action items, new meeting, a meeting's page and its prints. */
export function MeetingsScreen() {
  const t = useT();
  const community = useCommunityId();
  const [location, navigate] = useLocation();
  if (!community) {
    return (
      <Stack>
        <Title order={2}>{t('meetings.title')}</Title>
        <Text c="dimmed">{t('mtg.noCommunity')}</Text>
      </Stack>
    );
  }
  const tab = (TABS as readonly string[]).includes(location) ? location : null;
  return (
    <Switch>
      <Route path="/new">
        <CreateMeeting community={community} />
      </Route>
      <Route path="/m/:year/:id/print/:kind">
        <PrintRoute community={community} />
      </Route>
      <Route path="/m/:year/:id">
        <MeetingRoute community={community} />
      </Route>
      <Route>
        <Stack>
          <Title order={2}>{t('meetings.title')}</Title>
          <Tabs value={tab ?? '/'} onChange={(value) => navigate(value ?? '/')} keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="/">{t('mtg.tab.list')}</Tabs.Tab>
              <Tabs.Tab value="/calendar">{t('mtg.tab.calendar')}</Tabs.Tab>
              <Tabs.Tab value="/actions">{t('mtg.tab.actions')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="/" pt="md">
              <MeetingList community={community} />
            </Tabs.Panel>
            <Tabs.Panel value="/calendar" pt="md">
              <MeetingCalendar community={community} />
            </Tabs.Panel>
            <Tabs.Panel value="/actions" pt="md">
              <ActionItemsList community={community} />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      </Route>
    </Switch>
  );
}

function MeetingRoute({ community }: { community: NonNullable<ReturnType<typeof useCommunityId>> }) {
  const params = useParams<{ year: string; id: string }>();
  return <MeetingPage community={community} year={Number(params.year)} id={params.id} />;
}

function PrintRoute({ community }: { community: NonNullable<ReturnType<typeof useCommunityId>> }) {
  const params = useParams<{ year: string; id: string; kind: string }>();
  return <PrintView community={community} year={Number(params.year)} id={params.id} kind={params.kind as PrintKind} />;
}
