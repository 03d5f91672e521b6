/**
 * The account screens in front of the workstation (renderer/features/account): every spec signs in first. A fresh
 * browser context has no account: the first call creates the device's first account (an admin); later calls (after
 * a reload, the lock, or a switch of user) sign in to the named account. Works in either UI language: it finds the
 * screens by test id and the fields by type.
 */
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** The name of the device's first account in specs that do not name one. */
export const E2E_ADMIN = '测试管理员';
/** Every account of the specs has this passphrase unless one is given. */
export const E2E_PASSPHRASE = 'xihe-e2e-2026';

/** Sign-in costs PBKDF2 600,000 rounds, and opening the store follows: generous on a loaded machine. */
const SIGN_IN_TIMEOUT = 30_000;

export interface SignInOptions {
  /** The account to create (first start) or to sign in to. */
  readonly name?: string;
  readonly passphrase?: string;
}

/**
 * Gets past the account screens of a page showing the app (`page.goto` first), and waits for the workstation. Does
 * nothing when the workstation shows already.
 */
export async function signIn(page: Page, { name = E2E_ADMIN, passphrase = E2E_PASSPHRASE }: SignInOptions = {}) {
  const first = page.getByTestId('first-account');
  const signInScreen = page.getByTestId('sign-in');
  const workstation = page.getByTestId('account-menu');
  await expect(first.or(signInScreen).or(workstation)).toBeVisible({ timeout: SIGN_IN_TIMEOUT });
  if (await first.isVisible()) {
    await createFirstAccount(page, { name, passphrase });
  } else if (await signInScreen.isVisible()) {
    await signInScreen.getByRole('radio', { name, exact: true }).check();
    await signInScreen.locator('input[type=password]').fill(passphrase);
    await signInScreen.locator('input[type=password]').press('Enter');
  }
  await expect(workstation).toBeVisible({ timeout: SIGN_IN_TIMEOUT });
  await expect(workstation).toHaveText(name);
}

/**
 * Fills the first-account screen of a fresh device (an admin) and submits it; does not wait for the workstation.
 * Without `expect`, so that the benchmarks (plain scripts, not tests) can use it too.
 */
export async function createFirstAccount(
  page: Page,
  { name = E2E_ADMIN, passphrase = E2E_PASSPHRASE }: SignInOptions = {},
): Promise<void> {
  const first = page.getByTestId('first-account');
  await first.waitFor({ timeout: SIGN_IN_TIMEOUT });
  await first.locator('input:not([type=password])').fill(name);
  const passphrases = first.locator('input[type=password]');
  await passphrases.nth(0).fill(passphrase);
  await passphrases.nth(1).fill(passphrase);
  await passphrases.nth(1).press('Enter');
}

/** The user a sync token names (its `sub` claim), to name the account of the device that joins with it. */
export function tokenUser(token: string): string {
  const payload = token.split('.')[1] ?? '';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown };
  if (typeof claims.sub !== 'string') throw new Error('a sync token without a user');
  return claims.sub;
}
