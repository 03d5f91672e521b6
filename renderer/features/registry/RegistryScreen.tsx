import { Stack, Tabs, Title } from '@mantine/core';
import { useLocation, useParams } from 'wouter';
import { useCommunityId } from '../../data/hooks';
import { useT } from '../../i18n';
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
  const [, navigate] = useLocation();
  const tab: Tab = isTab(params.tab) ? params.tab : 'residents';
  if (!community) return <WelcomePanel />;
  return (
    <Stack>
      <Title order={2}>{t('registry.title')}</Title>
      <Tabs value={tab} onChange={(value) => navigate(`/${value ?? 'residents'}`)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="residents">{t('registry.tab.residents')}</Tabs.Tab>
          <Tabs.Tab value="places">{t('registry.tab.places')}</Tabs.Tab>
          <Tabs.Tab value="excel">{t('registry.tab.excel')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="residents" pt="md">
          <ResidentsPanel community={community} />
        </Tabs.Panel>
        <Tabs.Panel value="places" pt="md">
          <PlacesPanel community={community} />
        </Tabs.Panel>
        <Tabs.Panel value="excel" pt="md">
          <LazyBoundary>
            <ExcelPanel community={community} />
          </LazyBoundary>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
