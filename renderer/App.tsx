import { MantineProvider, localStorageColorSchemeManager } from '@mantine/core';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { Route, Router, Switch, useLocation } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { CommunitySwitcher } from './features/community/CommunitySwitcher';
import { WelcomePanel } from './features/community/WelcomePanel';
import { DashboardScreen } from './features/dashboard/DashboardScreen';
import { RegistryScreen } from './features/registry/RegistryScreen';
import { ViewerBanner } from './features/sync/ViewerBanner';
import { I18nProvider, useI18n } from './i18n';
import { StoreProvider, useCurrentCommunity } from './data/hooks';
import type { WorkstationStore } from './data/store';
import { PlatformProvider, usePlatform, type Platform } from './platform';
import { browserEnvironment, SyncManager } from './sync/manager';
import { SyncProvider, useSync, useSyncManager } from './sync/react';
import { AppLayout } from './ui/AppLayout';
import { AreaPlaceholder } from './ui/AreaPlaceholder';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { LazyBoundary, lazyNamed, preloadAll, preloadDelay } from './ui/lazy';
import { theme } from './ui/theme';

const MediationScreen = lazyNamed(() => import('./features/mediation/MediationScreen'), 'MediationScreen');
const MeetingsScreen = lazyNamed(() => import('./features/meetings/MeetingsScreen'), 'MeetingsScreen');
const SettingsScreen = lazyNamed(() => import('./features/settings/SettingsScreen'), 'SettingsScreen');
const SyncScreen = lazyNamed(() => import('./features/sync/SyncScreen'), 'SyncScreen');

const colorSchemeManager = localStorageColorSchemeManager({ key: 'cgw.color-scheme' });

function Screens() {
  const [location] = useLocation();
  return (
    // One boundary per screen, reset when the location changes: an error stays inside the screen that threw it.
    <ErrorBoundary key={location}>
      <LazyBoundary>
        <Switch>
          <Route path="/" component={DashboardScreen} />
          <Route path="/registry" nest>
            <Route path="/:tab?" component={RegistryScreen} />
          </Route>
          <Route path="/mediation" nest>
            <MediationScreen />
          </Route>
          <Route path="/meetings" nest>
            <MeetingsScreen />
          </Route>
          <Route path="/tasks" nest>
            <AreaPlaceholder title="tasks.title" summary="tasks.summary" />
          </Route>
          <Route path="/sync" component={SyncScreen} />
          <Route path="/settings" component={SettingsScreen} />
          <Route path="/community/new">
            <WelcomePanel adding />
          </Route>
          <Route component={DashboardScreen} />
        </Switch>
      </LazyBoundary>
    </ErrorBoundary>
  );
}

/** Keeps `<html lang>` and the window title in the chosen language, and follows the application menu. */

/** Whether the sync manager is busy connecting or bringing documents in (a first sync moves megabytes). */
function useSyncBusy(): boolean {
  const manager = useSyncManager();
  return useSyncExternalStore(manager.subscribe, () => {
    const { state } = manager.getSnapshot();
    return state === 'connecting' || state === 'syncing';
  });
}

function ShellEffects() {
  const { language, t } = useI18n();
  const platform = usePlatform();
  const [, navigate] = useLocation();
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('app.title');
  }, [language, t]);
  useEffect(() => platform.onNavigate((path) => navigate(path)), [platform, navigate]);
  useEffect(() => void performance.mark('cgw:shell'), []);
  const syncBusy = useSyncBusy();
  const [mountedAt] = useState(() => Date.now());
  const [preloading, setPreloading] = useState(false);
  useEffect(() => {
    // The screens loaded on first use are fetched once the first list is up, so a laptop that goes into a basement
    // a minute after starting has every screen at hand (in Electron they come from app:// and never need a network).
    // Not at the first idle moment: that comes while the first list is still being read from disk, and evaluating
    // the screens' code then delays it (bench:store start profile). Two seconds on, then when the thread is idle;
    // and not while a sync brings documents in (a first sync: bench:sync), unless that takes more than half a minute.
    if (preloading) return;
    let handle: number | null = null;
    const start = () => {
      setPreloading(true);
      void preloadAll();
    };
    const timer = setTimeout(
      () => {
        if (typeof requestIdleCallback === 'function') handle = requestIdleCallback(start, { timeout: 3_000 });
        else start();
      },
      preloadDelay(syncBusy, mountedAt, Date.now()),
    );
    return () => {
      clearTimeout(timer);
      if (handle !== null) cancelIdleCallback(handle);
    };
  }, [syncBusy, preloading, mountedAt]);
  return null;
}

function Shell() {
  const { community } = useCurrentCommunity();
  const { role } = useSync();
  return (
    <AppLayout communityName={community?.name ?? null} communitySwitcher={<CommunitySwitcher />}>
      <ViewerBanner />
      {/* Screens read the store's permissions when they render: a new role remounts them. */}
      <Screens key={role ?? 'local'} />
    </AppLayout>
  );
}

/**
 * Starts the sync manager once the app is up (documents load from Dexie first; the network never holds the screen),
 * and lets a closing window wait a moment for changes in flight (renderer/sync `whenSaved`).
 */
function useSyncManagerOf(platform: Platform, store: WorkstationStore): SyncManager {
  const [manager] = useState(() => new SyncManager(store, platform, browserEnvironment()));
  useEffect(() => {
    void manager.start();
    const flush = () => void manager.flush();
    window.addEventListener('pagehide', flush);
    const unsubscribe = platform.onCloseRequested(async () => {
      await manager.whenSaved();
      await store.flush();
    });
    return () => {
      window.removeEventListener('pagehide', flush);
      unsubscribe();
      void manager.stop();
    };
  }, [manager, platform, store]);
  return manager;
}

export function App({ platform, store }: { platform: Platform; store: WorkstationStore }) {
  const manager = useSyncManagerOf(platform, store);
  return (
    <MantineProvider theme={theme} colorSchemeManager={colorSchemeManager} defaultColorScheme="light">
      <PlatformProvider platform={platform}>
        <StoreProvider store={store}>
          <SyncProvider manager={manager}>
            <I18nProvider>
              <Router hook={useHashLocation}>
                <ShellEffects />
                <Shell />
              </Router>
            </I18nProvider>
          </SyncProvider>
        </StoreProvider>
      </PlatformProvider>
    </MantineProvider>
  );
}
