import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import '@mantine/dates/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, preloadWorkbench, type StoreWorkspace } from './App';
import { Vault, type Session } from './data/vault';
import type { MigrationProgress } from './features/account';
import { detectPlatform } from './platform';
import { StartupFailure } from './ui/StartupFailure';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);
const platform = detectPlatform();

/**
 * The store, the case guards and the sync client are needed only once someone has signed in: they load apart from
 * the sign-in screen (see renderer/App.tsx, `Workbench`), fetched as soon as that screen has painted.
 */
const importWorkspaceParts = () =>
  Promise.all([
    import('./data/store'),
    import('./sync/manager'),
    import('./data/cases'),
    // The crypto worker starts while the passphrase is typed, not when the first big bucket waits for it.
    import('./data/aesThread').then(({ pageAesThread }) => pageAesThread()?.warm()),
  ]);
let workspaceParts: ReturnType<typeof importWorkspaceParts> | null = null;
function loadWorkspaceParts() {
  workspaceParts ??= importWorkspaceParts();
  workspaceParts.catch(() => (workspaceParts = null)); // a failed load is tried again at the next sign-in
  return workspaceParts;
}

/**
 * What a sign-in opens: the store (its rows sealed with the session's keys) acting as the signed-in account, the case
 * guards, and the sync client. `close` is the lock: it writes out what is pending and closes the store, after which
 * the session forgets its keys (renderer/features/account/AccountGate.tsx).
 */
async function openWorkspace(
  session: Session,
  onProgress: (progress: MigrationProgress) => void,
): Promise<StoreWorkspace> {
  const [{ WorkstationStore }, { browserEnvironment, SyncManager }, { installCaseGuards }] = await loadWorkspaceParts();
  // The session is the store's KeyRing: rows about people are sealed with its keys, and nothing opens without them.
  const store = await WorkstationStore.open(undefined, { keys: session });
  // A store from before sign-in existed is encrypted in place on the first sign-in, with its progress on screen.
  if (!store.sealed) await store.migrateToSealed((done, total) => onProgress({ done, total }));
  performance.mark('cgw:store-open');
  // Every audit entry names the signed-in account, never a typed name; the account's role narrows what it may do.
  store.actAs(session.account);
  store.setAccountRole(session.account.role);
  // Signed case records and case numbers are guarded from the moment a cases document opens, also when only the
  // sync manager opens it (no mediation screen shown yet).
  installCaseGuards(store);
  const manager = new SyncManager(store, platform, browserEnvironment());
  // Removing a community's data (leaving sync) forgets its key in the vault too.
  manager.setKeyRing(session);
  // Before the window goes away, write out whatever is still pending (it is usually on disk already).
  const flush = () => void store.flush();
  window.addEventListener('pagehide', flush);
  return {
    store,
    manager,
    close: async () => {
      window.removeEventListener('pagehide', flush);
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
      // Once the sign-in is on screen, the rest of the app loads while the passphrase is typed.
      requestAnimationFrame(() =>
        setTimeout(() => {
          void loadWorkspaceParts().catch(() => undefined);
          void preloadWorkbench();
        }, 0),
      );
    },
    (error: unknown) => {
      root.render(<StartupFailure error={error} />);
    },
  );
