import { Stack, Title } from '@mantine/core';
import { useParams } from 'wouter';
import { useCommunityId } from '../../data/hooks';
import { useT } from '../../i18n';
import { SubNav } from '../../ui/SubNav';
import { LazyBoundary, lazyNamed } from '../../ui/lazy';
import { WelcomePanel } from '../community';
import { PlacesPanel } from './places/PlacesPanel';
import { ResidentsPanel } from './residents/ResidentsPanel';

const TABS = ['residents', 'places', 'excel'] as const;
type Tab = (typeof TABS)[number];

function isTab(value: string | undefined): value is Tab {
  return (TABS as readonly (string | undefined)[]).includes(value);
}

// Excel (exceljs, about 1 MB) loads when its tab is opened.
const ExcelPanel = lazyNamed(() => import('./excel/ExcelPanel'), 'ExcelPanel');

/** 居民与楼栋: residents, places and the five heads, Excel import and export. The tab is part of the address. */
export function RegistryScreen() {
  const t = useT();
  const community = useCommunityId();
  const params = useParams<{ tab?: string }>();
  const tab: Tab = isTab(params.tab) ? params.tab : 'residents';
  if (!community) return <WelcomePanel />;
  return (
    <Stack>
      <Title order={2}>{t('registry.title')}</Title>
      <SubNav
        label={t('registry.nav.label')}
        links={TABS.map((path) => ({ path: `/${path}`, label: t(`registry.tab.${path}`) }))}
        current={`/${tab}`}
      />
      {tab === 'residents' && <ResidentsPanel community={community} />}
      {tab === 'places' && <PlacesPanel community={community} />}
      {tab === 'excel' && (
        <LazyBoundary>
          <ExcelPanel community={community} />
        </LazyBoundary>
      )}
    </Stack>
  );
}
