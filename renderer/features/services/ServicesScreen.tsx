import { Alert, Stack, Title } from '@mantine/core';
import { Route, Switch } from 'wouter';
import { hasPermission } from '@shared/domain/kernel';
import { isCommunityId, type CommunityId } from '@shared/ydoc/docName';
import { useCurrentCommunity } from '../../data/hooks';
import { useT, type MessageKey } from '../../i18n';
import { SubNav } from '../../ui/SubNav';
import { usePermissions } from '../sync';
import { ApplicationList } from './ApplicationList';
import { ApplicationPage } from './ApplicationPage';
import { Catalogue } from './Catalogue';
import { NewApplication } from './NewApplication';

interface SubLink {
  readonly path: string;
  readonly label: MessageKey;
  /** Shown only to those who may accept applications (`services.edit`). */
  readonly edit?: boolean;
}

const LINKS: readonly SubLink[] = [
  { path: '/', label: 'service.nav.list' },
  { path: '/new', label: 'service.nav.new', edit: true },
  { path: '/catalogue', label: 'service.nav.catalogue' },
];

/**
 * 便民服务 (docs/services-model.md): the applications by state with the working days left on their promise, the
 * window's new application, an application's page with its steps and 好差评, and the catalogue of service items.
 */
export function ServicesScreen() {
  const t = useT();
  const { community: row, loading } = useCurrentCommunity();
  const community: CommunityId | null = row && isCommunityId(row.id) ? row.id : null;
  const permissions = usePermissions(community);
  const edit = community !== null && hasPermission(permissions, 'services.edit');
  const admin = community !== null && hasPermission(permissions, 'admin');
  if (loading) return null;
  if (!community) {
    return (
      <Stack>
        <Title order={2}>{t('nav.services')}</Title>
        <Alert color="blue">{t('service.noCommunity')}</Alert>
      </Stack>
    );
  }
  return (
    <Stack>
      <Title order={2}>{t('nav.services')}</Title>
      <SubNav
        label={t('service.nav.label')}
        links={LINKS.filter((link) => edit || !link.edit).map((link) => ({ ...link, label: t(link.label) }))}
      />
      <Switch>
        {edit && (
          <Route path="/new">
            <NewApplication community={community} />
          </Route>
        )}
        <Route path="/catalogue">
          <Catalogue community={community} admin={admin} />
        </Route>
        <Route path="/a/:year/:id">
          {(params) => {
            const id = decodeURIComponent(params.id);
            return <ApplicationPage key={id} community={community} year={Number(params.year)} id={id} edit={edit} />;
          }}
        </Route>
        <Route>
          <ApplicationList community={community} />
        </Route>
      </Switch>
    </Stack>
  );
}
