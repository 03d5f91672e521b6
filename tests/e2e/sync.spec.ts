import type { BrowserContext, Page } from '@playwright/test';
import { signIn } from './support/account';
import { expect, join, test, type SyncServerFixture } from './support/syncServer';

const XIHE = 'shunqing-xihe';

async function closeDrawer(page: Page): Promise<void> {
  if (await page.getByRole('dialog').isVisible()) {
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toBeHidden();
  }
}

async function openResident(page: Page, name: string): Promise<void> {
  await closeDrawer(page);
  await page.goto('/#/registry');
  await page.getByLabel('查找居民').fill(name);
  // Wait for the list to follow the query (search is debounced) before opening its first row.
  await expect(page.getByTestId('resident-row').first().locator('td').first()).toHaveText(name);
  await page.getByTestId('resident-row').first().click();
  await expect(page.getByRole('dialog').getByRole('heading', { name, level: 3 })).toBeVisible();
}

async function setNote(page: Page, name: string, note: string): Promise<void> {
  await openResident(page, name);
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: '修改', exact: true }).click();
  await dialog.getByLabel('备注').fill(note);
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog.getByRole('button', { name: '修改', exact: true })).toBeVisible();
  await closeDrawer(page);
}

async function noteOf(page: Page, name: string): Promise<string> {
  await openResident(page, name);
  const row = page.getByRole('dialog').getByRole('row').filter({ hasText: '备注' });
  const note = ((await row.locator('td').textContent()) ?? '').trim();
  await closeDrawer(page);
  return note;
}

/**
 * Reloads while the sync server stays out of reach (the page itself comes from the local static server), and signs
 * `user` in again (a reload locks: the keys live in memory only).
 */
async function reloadCutOff(
  context: BrowserContext,
  page: Page,
  server: SyncServerFixture,
  user: string,
): Promise<void> {
  const port = server.address.split(':')[1] ?? '';
  let cut = true;
  // Websocket routes stay installed for the context's life: once the reload is done they pass through to the server.
  await context.routeWebSocket(new RegExp(`:${port}/`), (ws) => {
    if (cut) void ws.close({ code: 1006 });
    else ws.connectToServer();
  });
  await context.route(new RegExp(`:${port}/auth/check`), (route) =>
    cut ? route.abort('internetdisconnected') : route.continue(),
  );
  await context.setOffline(false);
  await page.reload();
  await signIn(page, { name: user });
  await context.setOffline(true);
  cut = false;
}

test.describe('sync between devices through the real server', () => {
  test('offline edits survive a reload, converge, keep both concurrent values in the history, and are stored on the server', async ({
    browser,
    syncServer,
  }) => {
    test.setTimeout(180_000);
    await syncServer.addCommunity(XIHE, '西河社区');
    const seed = await syncServer.issue('seed', XIHE);
    await syncServer.seedRegistry(XIHE, seed.token, 40);
    const tokenA = await syncServer.issue('甲', XIHE);
    const tokenB = await syncServer.issue('乙', XIHE);

    // Two devices with no community yet: the registry arrives by sync.
    const contextA = await browser.newContext();
    const contextB = await browser.newContext();
    const a = await contextA.newPage();
    const b = await contextB.newPage();
    await join(a, syncServer, tokenA.token);
    await join(b, syncServer, tokenB.token);
    await expect(a.getByTestId('community-name')).toContainText('西河社区');

    await a.goto('/#/registry');
    await expect(a.getByTestId('resident-row').first()).toBeVisible({ timeout: 30_000 });
    const names = (await a.getByTestId('resident-row').locator('td:first-child').allTextContents()).slice(0, 3);
    const [r1, r2, r3] = names as [string, string, string];

    // Both online: an edit on A shows up on B.
    await setNote(a, r1, '甲在线的备注');
    await expect.poll(() => noteOf(b, r1), { timeout: 15_000 }).toBe('甲在线的备注');

    // B goes offline; both edit the same resident and different ones.
    await contextB.setOffline(true);
    await expect(b.getByTestId('sync-badge')).toHaveAttribute('data-state', 'offline');
    await setNote(a, r1, '甲的备注');
    await setNote(a, r3, '甲改了第三人');
    await setNote(b, r1, '乙的备注');
    await setNote(b, r2, '乙改了第二人');
    // One pending change per saved form: two here (A's edits received earlier are not B's to upload).
    await expect(b.getByTestId('sync-badge')).toHaveAttribute('data-pending', '2');
    const pending = '2';

    // B reloads while still cut off from the server: its edits and their pending count survive.
    await reloadCutOff(contextB, b, syncServer, '乙');
    await expect(b.getByTestId('sync-badge')).toHaveAttribute('data-pending', pending);
    expect(await noteOf(b, r2)).toBe('乙改了第二人');

    // Back online: both converge, nothing lost.
    await contextB.setOffline(false);
    await expect(b.getByTestId('sync-badge')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
    await expect(b.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0');
    await expect.poll(() => noteOf(a, r2), { timeout: 15_000 }).toBe('乙改了第二人');
    expect(await noteOf(b, r3)).toBe('甲改了第三人');
    const winner = await noteOf(a, r1);
    expect(['甲的备注', '乙的备注']).toContain(winner);
    expect(await noteOf(b, r1)).toBe(winner);

    // The history shows both concurrent values with who; the other value can be restored.
    await openResident(b, r1);
    const history = b.getByTestId('resident-history');
    await expect(history).toContainText('甲的备注');
    await expect(history).toContainText('乙的备注');
    await expect(history).toContainText('甲');
    await expect(history).toContainText('乙');
    const loser = winner === '甲的备注' ? '乙的备注' : '甲的备注';
    await history
      .locator('div')
      .filter({ hasText: new RegExp(`^备注：${loser}`) })
      .getByRole('button', { name: '恢复此值' })
      .first()
      .click();
    await expect.poll(() => noteOf(b, r1)).toBe(loser);

    // "What changed while I was away": B lists the records A changed.
    await b.goto('/#/sync');
    await expect(b.getByTestId('away-change').filter({ hasText: r3 })).toBeVisible();

    // 0 pending means stored: kill the server the moment A shows 0, restart it, and a third device gets everything.
    await setNote(a, r2, '最后一笔');
    await expect(a.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0', { timeout: 15_000 });
    await syncServer.killAndRestart();
    const tokenC = await syncServer.issue('丙', XIHE);
    const contextC = await browser.newContext();
    const c = await contextC.newPage();
    await join(c, syncServer, tokenC.token);
    await expect.poll(() => noteOf(c, r2), { timeout: 30_000 }).toBe('最后一笔');
    expect(await noteOf(c, r1)).toBe(loser);
    expect(await noteOf(c, r3)).toBe('甲改了第三人');

    await contextA.close();
    await contextB.close();
    await contextC.close();
  });

  test('a revoked token shows what to do, stops retrying and keeps local data', async ({ page, syncServer }) => {
    test.setTimeout(90_000);
    await syncServer.addCommunity(XIHE, '西河社区');
    const seed = await syncServer.issue('seed', XIHE);
    await syncServer.seedRegistry(XIHE, seed.token, 10);
    const token = await syncServer.issue('李', XIHE);
    await join(page, syncServer, token.token);
    await page.goto('/#/registry');
    const first = page.getByTestId('resident-row').first();
    await expect(first).toBeVisible({ timeout: 30_000 });
    const name = ((await first.locator('td:first-child').textContent()) ?? '').trim();
    await setNote(page, name, '吊销前的修改');
    await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-pending', '0');

    await syncServer.revoke(token.jti);
    await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-state', 'refused', { timeout: 15_000 });
    await page.goto('/#/sync');
    await expect(page.getByTestId('sync-refusal')).toContainText('同步授权已被撤销');
    await expect(page.getByTestId('sync-refusal')).toContainText('联系区信息中心');
    // Local work goes on and is kept, also after a reload.
    await setNote(page, name, '吊销后的修改');
    await page.reload();
    await signIn(page, { name: '李' });
    expect(await noteOf(page, name)).toBe('吊销后的修改');
    await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-state', 'refused', { timeout: 15_000 });
  });

  test('a viewer token makes the app read-only with a banner', async ({ page, syncServer }) => {
    await syncServer.addCommunity(XIHE, '西河社区');
    const seed = await syncServer.issue('seed', XIHE);
    await syncServer.seedRegistry(XIHE, seed.token, 10);
    const viewer = await syncServer.issue('王', XIHE, 'viewer');
    await join(page, syncServer, viewer.token);
    await expect(page.getByTestId('viewer-banner')).toBeVisible();
    await page.goto('/#/registry');
    await page.getByTestId('resident-row').first().click();
    await expect(page.getByRole('dialog').getByRole('button', { name: '修改', exact: true })).toBeDisabled();
  });
});
