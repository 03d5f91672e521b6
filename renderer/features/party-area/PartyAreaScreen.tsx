import { Alert, Stack, Title } from '@mantine/core';
import { Redirect, Route, Switch } from 'wouter';
import { isCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { useCurrentCommunity } from '../../data/hooks';
import { useT, type MessageKey } from '../../i18n';
import { SubNav } from '../../ui/SubNav';
import { MembersSection, PlatformsSection, SanhongSection } from '../party';
import { FundsSection, ProjectsSection, VenuesSection } from '../resources';

interface Section {
  readonly path: string;
  readonly label: MessageKey;
  readonly Component: (props: { community: CommunityId }) => React.ReactNode;
}

/** The area's sections, in the order of the source article: party building first, then the community's resources. */
const SECTIONS: readonly Section[] = [
  { path: '/members', label: 'partyArea.nav.members', Component: MembersSection },
  { path: '/sanhong', label: 'partyArea.nav.sanhong', Component: SanhongSection },
  { path: '/platforms', label: 'partyArea.nav.platforms', Component: PlatformsSection },
  { path: '/venues', label: 'partyArea.nav.venues', Component: VenuesSection },
  { path: '/projects', label: 'partyArea.nav.projects', Component: ProjectsSection },
  { path: '/funds', label: 'partyArea.nav.funds', Component: FundsSection },
];

/**
 * 党建与资源: 双报到, 三红三百, 三平台 (docs/party-model.md), venues, projects and the three funds
 * (docs/resources-model.md). Each section owns its pages under its path (`/party/venues/...`).
 */
export function PartyAreaScreen() {
  const t = useT();
  const { community: row, loading } = useCurrentCommunity();
  const community: CommunityId | null = row && isCommunityId(row.id) ? row.id : null;
  if (loading) return null;
  if (!community) {
    return (
      <Stack>
        <Title order={2}>{t('nav.party')}</Title>
        <Alert color="blue">{t('partyArea.noCommunity')}</Alert>
      </Stack>
    );
  }
  return (
    <Stack>
      <Title order={2}>{t('nav.party')}</Title>
      <SubNav
        label={t('partyArea.nav.label')}
        links={SECTIONS.map((section) => ({ path: section.path, label: t(section.label) }))}
      />
      <Switch>
        {SECTIONS.map(({ path, Component }) => (
          <Route key={path} path={path} nest>
            <Component community={community} />
          </Route>
        ))}
        <Route>
          <Redirect to="/members" replace />
        </Route>
      </Switch>
    </Stack>
  );
}
