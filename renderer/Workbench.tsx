/**
 * The workstation of a signed-in person: the store and sync providers, the shell and its screens. Loaded apart from
 * the sign-in (renderer/App.tsx): the window shows the sign-in as soon as React, Mantine and the account screens are
 * evaluated, and this part (the store, the sync client, the registry's list) loads while the passphrase is typed.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { Route, Router, Switch, useLocation } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { AccountMenu, TokenAccountOffer, type Workspace } from './features/account';
import { CommunitySwitcher, WelcomePanel } from './features/community';
import { DashboardScreen } from './features/dashboard';
import { MediationScreen } from './features/mediation';
import { MeetingsScreen } from './features/meetings';
import { RegistryScreen } from './features/registry';
import { SettingsScreen } from './features/settings';
import { SyncBadge, SyncScreen, useRole, ViewerBanner } from './features/sync';
import { TasksScreen } from './features/tasks';
import { IncidentsScreen } from './features/incidents';
import { ServicesScreen } from './features/services';
import { OverviewScreen, prepareDashboard } from './features/overview';
import { PartyAreaScreen } from './features/party-area';
import { useI18n } from './i18n';
import { chinaDate } from '@shared/domain/dates';
import { StoreProvider, useCurrentCommunity, useStore } from './data/hooks';
import type { WorkstationStore } from './data/store';
import { usePlatform } from './platform';
import type { SyncManager } from './sync/manager';
import { SyncProvider, useSyncManager } from './sync/react';
import { AppLayout } from './ui/AppLayout';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { LazyBoundary, preloadAll, preloadDelay } from './ui/lazy';

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
            <TasksScreen />
          </Route>
          <Route path="/events" nest>
            <IncidentsScreen />
          </Route>
          <Route path="/services" nest>
            <ServicesScreen />
          </Route>
          <Route path="/party" nest>
            <PartyAreaScreen />
          </Route>
          <Route path="/overview" nest>
            <OverviewScreen />
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

function subscribeOnline(listener: () => void): () => void {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

/** Whether the browser says the network is there. */
function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine);
}

/** Seconds after the workstation opens before the dashboard's figures of the day are prepared. */
const PREPARE_DASHBOARD_AFTER_MS = 30_000;

/**
 * Prepares the dashboard's figures of the day in the background (renderer/features/overview/data.ts
 * `prepareDashboard`, docs/dashboard-model.md "per-community figures"): half a minute after the workstation opens,
 * when the thread is idle, and again when the day changes, for the periods drawn lately; so the first drawing of a
 * day finds them kept. The module is loaded only then (it is the dashboard's screen's chunk).
 */
function useDashboardPreparation(): void {
  const store = useStore();
  useEffect(() => {
    let alive = true;
    let prepared = '';
    let idle: number | null = null;
    const run = () => {
      const today = chinaDate(new Date());
      if (today === prepared || !alive) return;
      prepared = today;
      prepareDashboard(store, today, () => alive && store.db.isOpen()).catch((error: unknown) => {
        // Only a head start: the screen computes what is missing when it draws.
        if (alive) console.warn('dashboard not prepared', error);
      });
    };
    const first = setTimeout(() => {
      if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(run, { timeout: 10_000 });
      else run();
    }, PREPARE_DASHBOARD_AFTER_MS);
    const daily = setInterval(run, 3_600_000);
    return () => {
      alive = false;
      clearTimeout(first);
      clearInterval(daily);
      if (idle !== null && typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
    };
  }, [store]);
}

function ShellEffects() {
  useDashboardPreparation();
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
  const online = useOnline();
  const [mountedAt] = useState(() => Date.now());
  const [preloading, setPreloading] = useState(false);
  useEffect(() => {
    // The screens loaded on first use are fetched once the first list is up, so a laptop that goes into a basement
    // a minute after starting has every screen at hand (in Electron they come from app:// and never need a network).
    // Not at the first idle moment: that comes while the first list is still being read from disk, and evaluating
    // the screens' code then delays it (bench:store start profile). Two seconds on, then when the thread is idle;
    // and not while a sync brings documents in (a first sync: bench:sync), unless that takes more than half a minute.
    // In a browser, not while offline: a screen's code that fails to load is not tried again by the browser (until a
    // reload), so a preload then would break that screen for good; it waits for the network. (The desktop's screens
    // come from app:// and load offline.)
    if (preloading || (platform.kind === 'browser' && !online)) return;
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
  }, [syncBusy, online, preloading, mountedAt, platform]);
  return null;
}

function Shell() {
  const { community } = useCurrentCommunity();
  // The role in effect in the community shown (`store.roleIn`: the account's, the token's, a kept one, the narrowest),
  // not the sync token's alone: the token's is read from disk a moment after the first screen shows, and when it
  // changes nothing (an office account's role said the same) remounting would throw away what the person is typing
  // (bench:scale at 20,000 residents: the first keys typed into 查找居民 were lost; docs/bench-scale.md).
  const role = useRole(community?.id);
  return (
    <AppLayout
      communityName={community?.name ?? null}
      communitySwitcher={<CommunitySwitcher />}
      accountMenu={<AccountMenu />}
      syncBadge={<SyncBadge />}
    >
      <ViewerBanner />
      <TokenAccountOffer />
      {/* Screens read the store's permissions when they render: a role in effect that changes remounts them. */}
      <Screens key={role ?? 'local'} />
    </AppLayout>
  );
}

/** What a sign-in opens (renderer/main.tsx `openWorkspace`): the store with the session's keys, and the sync client. */
export interface StoreWorkspace extends Workspace {
  readonly store: WorkstationStore;
  readonly manager: SyncManager;
}

/** Who gets ready when the window closes: the open workstation, or nobody (`null`: locked, nothing is pending). */
export type RegisterClose = (handler: (() => Promise<void>) | null) => void;

/**
 * Runs the sync manager while the workstation is open (documents load from Dexie first; the network never holds the
 * screen), and lets a closing window wait a moment for changes in flight (renderer/sync `whenSaved`).
 */
function useSyncManagerRunning(manager: SyncManager, store: WorkstationStore, registerClose: RegisterClose): void {
  useEffect(() => {
    void manager.start();
    const flush = () => void manager.flush();
    window.addEventListener('pagehide', flush);
    registerClose(async () => {
      await manager.whenSaved();
      await store.flush();
    });
    return () => {
      window.removeEventListener('pagehide', flush);
      registerClose(null);
      void manager.stop();
    };
  }, [manager, store, registerClose]);
}

/** The workstation of the signed-in person: the store, the sync client, the screens. Mounted afresh at each sign-in. */
export function Workbench({ workspace, registerClose }: { workspace: StoreWorkspace; registerClose: RegisterClose }) {
  const { store, manager } = workspace;
  useSyncManagerRunning(manager, store, registerClose);
  return (
    <StoreProvider store={store}>
      <SyncProvider manager={manager}>
        <Router hook={useHashLocation}>
          <ShellEffects />
          <Shell />
        </Router>
      </SyncProvider>
    </StoreProvider>
  );
}
