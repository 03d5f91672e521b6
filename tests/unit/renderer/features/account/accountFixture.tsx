// Test files import 'fake-indexeddb/auto' first: Dexie looks for IndexedDB when it is first imported.
import type { ReactElement } from 'react';
import { afterEach, beforeEach, vi } from 'vitest';
import { Vault, type Session, type VaultResult } from '../../../../../renderer/data/vault';
import { AccountProvider, type AccountValue } from '../../../../../renderer/features/account/AccountContext';
import { PlatformProvider, type Platform } from '../../../../../renderer/platform';
import { renderUi } from '../../render';

/** Far fewer rounds than the app's 600,000: the tests sign in dozens of times. */
export const TEST_ITERATIONS = 1_000;
export const ADMIN = '王芳';
export const ADMIN_PASSPHRASE = 'xihe-2026';

/** A fresh vault (its own database) for each test of the calling file, closed after it. */
export function useTestVault(): () => Vault {
  let vault: Vault | undefined;
  beforeEach(async () => {
    vault = await Vault.open(`vault-${Math.random().toString(36).slice(2)}`, { iterations: TEST_ITERATIONS });
  });
  afterEach(() => {
    vault?.close();
  });
  return () => {
    if (!vault) throw new Error('the test vault is only there inside a test');
    return vault;
  };
}

export function must<T>(result: VaultResult<T>): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

/** The device's first account, an admin, signed in. */
export async function admin(vault: Vault): Promise<Session> {
  return must(await vault.createFirstAccount({ name: ADMIN, passphrase: ADMIN_PASSPHRASE }));
}

/** A platform for screens that only read `onSystemLock` (and what a test passes). */
export function testPlatform(overrides: Partial<Platform> = {}): Platform {
  return { kind: 'browser', ...overrides } as unknown as Platform;
}

/** Renders `ui` for a signed-in `session`, as the gate does; `lock` and `switchUser` are spies. */
export function renderSignedIn(ui: ReactElement, vault: Vault, session: Session, platform = testPlatform()) {
  const value: AccountValue = {
    vault,
    session,
    account: session.account,
    lock: vi.fn(),
    switchUser: vi.fn(),
  };
  const result = renderUi(
    <PlatformProvider platform={platform}>
      <AccountProvider value={value}>{ui}</AccountProvider>
    </PlatformProvider>,
  );
  return { ...result, value };
}
