import { Stack, Text, Title } from '@mantine/core';
import { Route, Switch, useParams } from 'wouter';
import { useCommunityId } from '../../data/hooks';
import { useT, type MessageKey } from '../../i18n';
import { SubNav } from '../../ui/SubNav';
import { ActionItemsList } from './ActionItemsList';
import { CreateMeeting } from './CreateMeeting';
import { MeetingCalendar } from './MeetingCalendar';
import { MeetingList } from './MeetingList';
import { MeetingPage } from './MeetingPage';
import { PrintView, type PrintKind } from './print/PrintView';

const LINKS: readonly { path: string; label: MessageKey }[] = [
  { path: '/', label: 'mtg.tab.list' },
  { path: '/calendar', label: 'mtg.tab.calendar' },
  { path: '/actions', label: 'mtg.tab.actions' },
];

/** The meetings area (会议记录): list, calendar, my action items, new meeting, a meeting's page and its prints. */
export function MeetingsScreen() {
  const t = useT();
  const community = useCommunityId();
  if (!community) {
    return (
      <Stack>
        <Title order={2}>{t('meetings.title')}</Title>
        <Text c="dimmed">{t('mtg.noCommunity')}</Text>
      </Stack>
    );
  }
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
          <SubNav label={t('mtg.nav.label')} links={LINKS.map((link) => ({ path: link.path, label: t(link.label) }))} />
          <Switch>
            <Route path="/calendar">
              <MeetingCalendar community={community} />
            </Route>
            <Route path="/actions">
              <ActionItemsList community={community} />
            </Route>
            <Route>
              <MeetingList community={community} />
            </Route>
          </Switch>
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
