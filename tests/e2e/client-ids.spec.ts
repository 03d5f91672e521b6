/**
 * Bounded Yjs client ids in real Chromium on a profile on disk (docs/sync-client.md, "Client ids"): a reload reuses
 * the registry's id, a second tab of the same profile gets another one (its own slot, kept for the next second tab),
 * and a tab that crashes right after an edit (its write possibly still in flight) leaves its id unused from then on.
 * The id each document got is read from the app's User Timing mark `cgw:client-id <document>`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { signIn } from './support/account';
import { expect, test } from './support/fixtures';

interface ChosenId {
  readonly doc: string;
  readonly id: number;
  readonly reused: boolean;
}

function launch(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The id the registry got in this page (the first `cgw:client-id …/registry` mark), once it is open. */
async function registryId(page: Page): Promise<ChosenId> {
  const read = () =>
    page.evaluate(() =>
      performance
        .getEntriesByType('mark')
        .filter((mark) => mark.name.startsWith('cgw:client-id ') && mark.name.endsWith('/registry'))
        .map((mark): ChosenId => {
          const detail = (mark as PerformanceMark).detail as { id: number; reused: boolean };
          return { doc: mark.name.slice('cgw:client-id '.length), id: detail.id, reused: detail.reused };
        })
        .at(0),
    );
  await expect.poll(read, { timeout: 180_000 }).toBeDefined();
  const chosen = await read();
  if (chosen === undefined) throw new Error('no client id mark');
  expect(Number.isInteger(chosen.id)).toBe(true);
  return chosen;
}

/** A local change of the registry: revealing a resident's ID number appends an access-log entry. */
async function revealFirst(page: Page): Promise<void> {
  await page.getByTestId('resident-row').first().click();
  await page.getByRole('button', { name: '查看完整身份证号' }).click();
  await expect(page.getByTestId('resident-idNumber')).toHaveText(/^\d{17}[\dX]$/);
  await page.keyboard.press('Escape');
}

async function openApp(page: Page, baseURL: string): Promise<void> {
  await page.goto(`${baseURL}/#/registry`);
  await signIn(page);
}

test.describe('client ids', () => {
  test('a reload reuses the id, a second tab gets its own, a crash with a write in flight retires the id', async ({
    baseURL,
  }) => {
    test.setTimeout(600_000);
    if (baseURL === undefined) throw new Error('no baseURL');
    const profile = mkdtempSync(join(tmpdir(), 'e2e-client-ids-'));
    let context = await launch(profile);
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await openApp(page, baseURL);
      await page.getByRole('button', { name: '载入示范社区' }).click();
      await expect(page.getByTestId('resident-row').first()).toBeVisible({ timeout: 180_000 });
      const first = await registryId(page);
      expect(first.reused).toBe(false);
      await revealFirst(page);
      // The entry is written within a task or two; a reload with the write still in flight would (rightly) not
      // keep the id.
      await page.waitForTimeout(1_500);

      // A reload: the same id, its content on disk.
      await page.reload();
      await signIn(page);
      const reloaded = await registryId(page);
      expect(reloaded).toEqual({ doc: first.doc, id: first.id, reused: true });
      await expect(page.getByTestId('resident-row').first()).toBeVisible({ timeout: 180_000 });

      // A second tab of the same profile while the first is open: another slot, another id.
      const second = await context.newPage();
      await openApp(second, baseURL);
      const secondId = await registryId(second);
      expect(secondId.doc).toBe(first.doc);
      expect(secondId.reused).toBe(false);
      expect(secondId.id).not.toBe(first.id);
      await expect(second.getByTestId('resident-row').first()).toBeVisible({ timeout: 180_000 });
      await second.close();

      // The first tab makes a change and crashes at once: its session never ends clean.
      await revealFirst(page);
      const cdp = await context.newCDPSession(page);
      const crashed = page.waitForEvent('crash');
      void cdp.send('Page.crash').catch(() => undefined);
      await crashed;
      await context.close();

      // The browser again, on the same profile: the crashed tab's slot gives a new id; the second tab's slot its id.
      context = await launch(profile);
      const after = context.pages()[0] ?? (await context.newPage());
      await openApp(after, baseURL);
      const afterCrash = await registryId(after);
      expect(afterCrash.reused).toBe(false);
      expect(afterCrash.id).not.toBe(first.id);
      expect(afterCrash.id).not.toBe(secondId.id);
      await expect(after.getByTestId('resident-row').first()).toBeVisible({ timeout: 180_000 });
      const another = await context.newPage();
      await openApp(another, baseURL);
      expect(await registryId(another)).toEqual({ doc: first.doc, id: secondId.id, reused: true });
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
