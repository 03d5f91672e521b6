import { Stack } from '@mantine/core';
import { Route, Switch, useLocation } from 'wouter';
import type { CommunityId } from '@shared/ydoc/docName';
import { useT, type MessageKey } from '../../i18n';
import { SubNav } from '../../ui/SubNav';
import { ConcernsPage } from './ConcernsPage';
import { shownYear } from './focus';
import { PatrolsPage } from './PatrolsPage';
import { SessionsPage } from './SessionsPage';
import { VolunteersPage } from './VolunteersPage';

const PAGES: readonly { path: string; label: MessageKey }[] = [
  { path: '/', label: 'party.sanhong.nav.patrols' },
  { path: '/concerns', label: 'party.sanhong.nav.concerns' },
  { path: '/volunteers', label: 'party.sanhong.nav.volunteers' },
  { path: '/sessions', label: 'party.sanhong.nav.sessions' },
];

/** 三红三百 (docs/party-model.md): 红袖标 patrols, 红马褂 concerns, 小红帽 hours, and the 百姓 lecture hall, stage and teahouse. */
export function SanhongSection({ community }: { community: CommunityId }) {
  const t = useT();
  const [location] = useLocation();
  return (
    <Stack>
      <SubNav
        label={t('party.sanhong.nav.label')}
        links={PAGES.map((page) => ({ path: page.path, label: t(page.label) }))}
        current={location.startsWith('/patrols/') ? '/' : undefined}
      />
      <Switch>
        {/* A record another area links back to (SourceLink): its year, the record marked. */}
        <Route path="/patrols/:year/:record">
          {(p) => <PatrolsPage community={community} year={shownYear(p.year)} focus={p.record} />}
        </Route>
        <Route path="/concerns/:year/:record">
          {(p) => <ConcernsPage community={community} year={shownYear(p.year)} focus={p.record} />}
        </Route>
        <Route path="/sessions/:year/:record">
          {(p) => <SessionsPage community={community} year={shownYear(p.year)} focus={p.record} />}
        </Route>
        <Route path="/concerns">
          <ConcernsPage community={community} />
        </Route>
        <Route path="/volunteers">
          <VolunteersPage community={community} />
        </Route>
        <Route path="/sessions">
          <SessionsPage community={community} />
        </Route>
        <Route>
          <PatrolsPage community={community} />
        </Route>
      </Switch>
    </Stack>
  );
}
