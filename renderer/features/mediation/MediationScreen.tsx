import { Alert, Anchor, CloseButton, Group, Stack, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, Route, Switch } from 'wouter';
import type { CommunityId } from '@shared/ydoc/docName';
import { useCurrentCommunity } from '../../data/hooks';
import { isCommunityId } from '@shared/ydoc/docName';
import { useT, type MessageKey } from '../../i18n';
import { SubNav } from '../../ui/SubNav';
import { CaseList } from './CaseList';
import { CasePage } from './CasePage';
import { IntakeForm } from './IntakeForm';
import { AgreementPrint, DossierPrint } from './PrintViews';
import { RefusedChangesView } from './RefusedChangesView';
import { StatsPage } from './StatsPage';
import { onCaseNotice } from '../../data/cases';
import { useStore } from '../../data/hooks';
import { useCaseGuards } from './useCases';

const LINKS: readonly { path: string; label: MessageKey }[] = [
  { path: '/', label: 'case.nav.list' },
  { path: '/mine', label: 'case.nav.mine' },
  { path: '/new', label: 'case.nav.new' },
  { path: '/stats', label: 'case.nav.stats' },
  { path: '/refused', label: 'case.nav.refused' },
];

function CaseNav() {
  const t = useT();
  return (
    <SubNav label={t('case.nav.label')} links={LINKS.map((link) => ({ path: link.path, label: t(link.label) }))} />
  );
}

/**
 * What the guards did while this screen was open: edits of signed records refused (for an admin to review) and cases
 * renumbered after a sync. The renumbering itself also stays on each case ("原第 5 号，现第 7 号").
 */
function CaseNotices() {
  const t = useT();
  const store = useStore();
  const [refused, setRefused] = useState(0);
  const [renumbered, setRenumbered] = useState(0);
  useEffect(
    () =>
      onCaseNotice((notice) => {
        if (notice.kind === 'refused') setRefused((n) => n + notice.changes.length);
        else setRenumbered((n) => n + notice.count);
      }),
    [],
  );
  const admin = store.permissions().has('admin');
  return (
    <>
      {refused > 0 && (
        <Alert color="orange" role="status" withCloseButton={false} data-testid="refused-notice">
          <Group justify="space-between" wrap="nowrap">
            <span>
              {t('case.notice.refused', { count: refused })}{' '}
              {admin && (
                <Anchor component={Link} href="/refused">
                  {t('case.nav.refused')}
                </Anchor>
              )}
            </span>
            <CloseButton aria-label={t('case.notice.dismiss')} onClick={() => setRefused(0)} />
          </Group>
        </Alert>
      )}
      {renumbered > 0 && (
        <Alert color="yellow" role="status">
          <Group justify="space-between" wrap="nowrap">
            <span>{t('case.notice.renumbered', { count: renumbered })}</span>
            <CloseButton aria-label={t('case.notice.dismiss')} onClick={() => setRenumbered(0)} />
          </Group>
        </Alert>
      )}
    </>
  );
}

function Routes({ community }: { community: CommunityId }) {
  const year = (value: string) => Number(value);
  return (
    <Switch>
      <Route path="/new">
        <IntakeForm community={community} />
      </Route>
      <Route path="/mine">
        <CaseList key="mine" community={community} mine />
      </Route>
      <Route path="/stats">
        <StatsPage community={community} />
      </Route>
      <Route path="/refused">
        <RefusedChangesView community={community} />
      </Route>
      <Route path="/case/:year/:id/agreement/:agreementId">
        {(params) => (
          <AgreementPrint
            community={community}
            year={year(params.year)}
            id={params.id}
            agreementId={params.agreementId}
          />
        )}
      </Route>
      <Route path="/case/:year/:id/dossier">
        {(params) => <DossierPrint community={community} year={year(params.year)} id={params.id} />}
      </Route>
      <Route path="/case/:year/:id">
        {(params) => <CasePage key={params.id} community={community} year={year(params.year)} id={params.id} />}
      </Route>
      <Route>
        <CaseList key="all" community={community} />
      </Route>
    </Switch>
  );
}

/** The mediation area (调解): case list, my cases, intake, case page, printed documents, statistics. */
export function MediationScreen() {
  const t = useT();
  const { community: row, loading } = useCurrentCommunity();
  useCaseGuards();
  const community = row && isCommunityId(row.id) ? row.id : null;
  if (loading) return null;
  if (!community) {
    return (
      <Stack>
        <Title order={2}>{t('mediation.title')}</Title>
        <Alert color="blue">{t('case.noCommunity')}</Alert>
      </Stack>
    );
  }
  return (
    <Stack>
      <CaseNav />
      <CaseNotices />
      <Routes community={community} />
    </Stack>
  );
}
