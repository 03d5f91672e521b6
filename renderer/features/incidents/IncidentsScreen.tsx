import { Alert, Stack, Title } from '@mantine/core';
import { Route, Switch } from 'wouter';
import { hasPermission } from '@shared/domain/kernel';
import { isCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { useCurrentCommunity } from '../../data/hooks';
import { useT, type MessageKey } from '../../i18n';
import { SubNav } from '../../ui/SubNav';
import { usePermissions } from '../sync';
import { IncidentPage } from './IncidentPage';
import { IncidentQueue } from './IncidentQueue';
import { ReportForm } from './ReportForm';

interface SubLink {
  readonly path: string;
  readonly label: MessageKey;
  /** Shown only to those who may record events (`incidents.edit`). */
  readonly edit?: boolean;
}

const LINKS: readonly SubLink[] = [
  { path: '/', label: 'incident.nav.queue' },
  { path: '/new', label: 'incident.nav.report', edit: true },
];

function Routes({ community, edit }: { community: CommunityId; edit: boolean }) {
  return (
    <Switch>
      {edit && (
        <Route path="/new">
          <ReportForm community={community} />
        </Route>
      )}
      <Route path="/e/:year/:id">
        {(params) => {
          const id = decodeURIComponent(params.id);
          return <IncidentPage key={id} community={community} year={Number(params.year)} id={id} />;
        }}
      </Route>
      <Route>
        <IncidentQueue community={community} />
      </Route>
    </Switch>
  );
}

/** The grid-events area (社情民意): the office queue, 登记 in the field, an event's page with its actions. */
export function IncidentsScreen() {
  const t = useT();
  const { community: row, loading } = useCurrentCommunity();
  const community = row && isCommunityId(row.id) ? row.id : null;
  const permissions = usePermissions(community);
  const edit = community !== null && hasPermission(permissions, 'incidents.edit');
  if (loading) return null;
  if (!community) {
    return (
      <Stack>
        <Title order={2}>{t('nav.events')}</Title>
        <Alert color="blue">{t('incident.noCommunity')}</Alert>
      </Stack>
    );
  }
  return (
    <Stack>
      <Title order={2}>{t('nav.events')}</Title>
      <SubNav
        label={t('incident.nav.label')}
        links={LINKS.filter((link) => edit || !link.edit).map((link) => ({ ...link, label: t(link.label) }))}
      />
      <Routes community={community} edit={edit} />
    </Stack>
  );
}
