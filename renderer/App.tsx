import { MantineProvider, localStorageColorSchemeManager } from '@mantine/core';
import { useCallback, useEffect, useRef } from 'react';
import { AccountGate, type OpenWorkspace } from './features/account';
import { I18nProvider } from './i18n';
import type { Account, Vault } from './data/vault';
import { PlatformProvider, type Platform } from './platform';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { LazyBoundary, lazyNamed } from './ui/lazy';
import { theme } from './ui/theme';
import type { RegisterClose, StoreWorkspace } from './Workbench';

export type { StoreWorkspace } from './Workbench';

const colorSchemeManager = localStorageColorSchemeManager({ key: 'cgw.color-scheme' });

/**
 * The workstation behind the sign-in, in its own chunk (renderer/Workbench.tsx): the start bundle holds only what the
 * sign-in screen needs, so it shows sooner; `preloadWorkbench` fetches the rest once the sign-in is on screen.
 */
const Workbench = lazyNamed(() => import('./Workbench'), 'Workbench');

/** Starts loading the workstation's code (renderer/main.tsx calls it once the sign-in has painted). */
export const preloadWorkbench: () => Promise<void> = Workbench.preload;

interface AppProps {
  platform: Platform;
  vault: Vault;
  /** The device's accounts at start: none shows the first-account screen, else the sign-in screen. */
  initialAccounts: readonly Account[];
  openWorkspace: OpenWorkspace<StoreWorkspace>;
}

/**
 * The app: the sign-in in front of everything (renderer/features/account), then the workstation of whoever signed in.
 * The store exists only between sign-in and lock.
 */
export function App({ platform, vault, initialAccounts, openWorkspace }: AppProps) {
  const onClose = useRef<(() => Promise<void>) | null>(null);
  const registerClose = useCallback<RegisterClose>((handler) => {
    onClose.current = handler;
  }, []);
  // One subscription for the app's life: a window closing while locked has nothing to write and closes at once.
  useEffect(
    () =>
      platform.onCloseRequested(async () => {
        await onClose.current?.();
      }),
    [platform],
  );
  return (
    <MantineProvider theme={theme} colorSchemeManager={colorSchemeManager} defaultColorScheme="light">
      <PlatformProvider platform={platform}>
        <I18nProvider>
          <AccountGate
            vault={vault}
            initialAccounts={initialAccounts}
            openWorkspace={openWorkspace}
            platform={platform}
          >
            {(workspace) => (
              <ErrorBoundary>
                <LazyBoundary>
                  <Workbench workspace={workspace} registerClose={registerClose} />
                </LazyBoundary>
              </ErrorBoundary>
            )}
          </AccountGate>
        </I18nProvider>
      </PlatformProvider>
    </MantineProvider>
  );
}
