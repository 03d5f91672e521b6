import { Stack } from '@mantine/core';
import { Route, Switch } from 'wouter';
import type { CommunityId } from '@shared/ydoc/docName';
import { useCurrentCommunity } from '../../data/hooks';
import { useT, type MessageKey } from '../../i18n';
import { SubNav } from '../../ui/SubNav';
import { AppraisalPage } from './AppraisalPage';
import { CheckInsPage } from './CheckInsPage';
import { ExcelPage } from './ExcelPage';
import { FeedbackPage } from './FeedbackPage';
import { ListsPage } from './ListsPage';
import { PostsPage } from './PostsPage';
import { ServicesPage } from './ServicesPage';
import { UnitsPage } from './UnitsPage';

const PAGES: readonly { path: string; label: MessageKey }[] = [
  { path: '/', label: 'party.members.nav.checkIns' },
  { path: '/units', label: 'party.members.nav.units' },
  { path: '/posts', label: 'party.members.nav.posts' },
  { path: '/services', label: 'party.members.nav.services' },
  { path: '/lists', label: 'party.members.nav.lists' },
  { path: '/appraisal', label: 'party.members.nav.appraisal' },
  { path: '/excel', label: 'party.members.nav.excel' },
];

/** The community's name as printed on its documents. */
export function useCommunityName(): string {
  return useCurrentCommunity().community?.name ?? '';
}

/**
 * 双报到 (docs/party-model.md): party members' check-ins and re-check-ins, the units with their 共建协议 and 兼职委员,
 * the service posts and their claims, service records, the 三清单, the 民主评议 input and each member's quarterly
 * feedback sheet for the employer.
 */
export function MembersSection({ community }: { community: CommunityId }) {
  const t = useT();
  const name = useCommunityName();
  return (
    <Stack>
      <SubNav
        label={t('party.members.nav.label')}
        links={PAGES.map((page) => ({ path: page.path, label: t(page.label) }))}
      />
      <Switch>
        <Route path="/units">
          <UnitsPage community={community} />
        </Route>
        <Route path="/posts">
          <PostsPage community={community} />
        </Route>
        <Route path="/services">
          <ServicesPage community={community} />
        </Route>
        <Route path="/lists">
          <ListsPage community={community} communityName={name} />
        </Route>
        <Route path="/excel">
          <ExcelPage community={community} communityName={name} />
        </Route>
        <Route path="/appraisal">
          <AppraisalPage community={community} communityName={name} />
        </Route>
        <Route path="/feedback/:member">
          {(params) => (
            <FeedbackPage community={community} communityName={name} memberId={decodeURIComponent(params.member)} />
          )}
        </Route>
        <Route>
          <CheckInsPage community={community} />
        </Route>
      </Switch>
    </Stack>
  );
}
