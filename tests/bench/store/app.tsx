/**
 * The app's start for the store benchmark: renderer/main.tsx, with `openWorkspace` opening the store the benchmark
 * chose (`?mode=sealed|plain&db=…`): sealed with the signed-in person's keys as the app does, or rows in clear to
 * measure what sealing costs. The app itself never opens a store in clear, so the benchmark needs this page of its
 * own; the same App and sign-in, built with the same settings as the web app (tests/bench/store/vite.config.ts).
 * When renderer/main.tsx changes how it starts the App, this follows.
 */
import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, preloadWorkbench, type StoreWorkspace } from '../../../renderer/App';
import { Vault, type Session } from '../../../renderer/data/vault';
import type { MigrationProgress } from '../../../renderer/features/account';
import { detectPlatform } from '../../../renderer/platform';
import { StartupFailure } from '../../../renderer/ui/StartupFailure';
import type { StoreMode } from './modes';

const container = document.getElementById('root');
if (!container) throw new Error('app.html has no #root element');
const root = createRoot(container);
const platform = detectPlatform();
const mode: StoreMode = new URLSearchParams(location.search).get('mode') === 'plain' ? 'plain' : 'sealed';

/** As renderer/main.tsx: the store, the case guards and the sync client load apart, once the sign-in has painted. */
const importWorkspaceParts = () =>
  Promise.all([
    import('../../../renderer/data/store'),
    import('../../../renderer/sync/manager'),
    import('../../../renderer/data/cases'),
    import('./modes'),
  ]);
let workspaceParts: ReturnType<typeof importWorkspaceParts> | null = null;
const loadWorkspaceParts = () => (workspaceParts ??= importWorkspaceParts());

/** renderer/main.tsx `openWorkspace`, the store being the benchmark's. */
async function openWorkspace(
  session: Session,
  onProgress: (progress: MigrationProgress) => void,
): Promise<StoreWorkspace> {
  performance.mark('cgw:signed-in');
  const [{ WorkstationStore }, { browserEnvironment, SyncManager }, { installCaseGuards }, { dbNameOf, storeOptions }] =
    await loadWorkspaceParts();
  const store = await WorkstationStore.open(dbNameOf(mode), storeOptions(mode, session));
  if (mode === 'sealed' && !store.sealed) {
    await store.migrateToSealed((done, total) => onProgress({ done, total }));
  }
  performance.mark('cgw:store-open');
  store.actAs(session.account);
  store.setAccountRole(session.account.role);
  installCaseGuards(store);
  const manager = new SyncManager(store, platform, browserEnvironment());
  manager.setKeyRing(session);
  return {
    store,
    manager,
    close: async () => {
      await manager.stop();
      manager.setKeyRing(null);
      await store.flush();
      await store.close();
    },
  };
}

performance.mark('cgw:bundle');
Vault.open()
  .then(async (vault) => ({ vault, accounts: await vault.accounts() }))
  .then(
    ({ vault, accounts }) => {
      root.render(
        <StrictMode>
          <App platform={platform} vault={vault} initialAccounts={accounts} openWorkspace={openWorkspace} />
        </StrictMode>,
      );
      requestAnimationFrame(() =>
        setTimeout(() => {
          void loadWorkspaceParts();
          void preloadWorkbench();
        }, 0),
      );
    },
    (error: unknown) => {
      root.render(<StartupFailure error={error} />);
    },
  );
