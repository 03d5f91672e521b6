import type { Page } from '@playwright/test';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { generateDemoCases } from '../../shared/domain/mediation/demo';
import { generateDemoCommunity } from '../../shared/domain/registry/demo';
import { signIn } from './support/account';
import { expect, join, test, type SyncServerFixture } from './support/syncServer';

const XIHE = 'shunqing-xihe';
const DEMO = 'demo-xihe';

interface Rows {
  docUpdates: number;
  residentBuckets: number;
  recordBuckets: number;
  projections: number;
  settings: number;
  communities: number;
}

/**
 * The rows of one community in each table of the workstation's IndexedDB, read from the page (the real database, not
 * the app's memory): by document name for the documents and projections, by key for settings.
 */
function rowsOf(page: Page, community: string): Promise<Rows> {
  return page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('community-workstation');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('cannot open the database'));
    });
    const ask = <T>(request: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('request failed'));
      });
    const range = IDBKeyRange.bound(`${id}/`, `${id}/\uffff`);
    const byDocName = (table: string) => {
      const store = db.transaction(table).objectStore(table);
      return ask(store.keyPath === 'docName' ? store.count(range) : store.index('docName').count(range));
    };
    try {
      const settingKeys = (await ask(db.transaction('settings').objectStore('settings').getAllKeys())).map(String);
      return {
        docUpdates: await byDocName('docUpdates'),
        residentBuckets: await byDocName('residentBuckets'),
        recordBuckets: await byDocName('recordBuckets'),
        projections: await byDocName('projections'),
        settings: settingKeys.filter(
          (key) => key.endsWith(`.${id}`) || key.includes(`.${id}/`) || key.split(':').slice(1).includes(id),
        ).length,
        communities: await ask(db.transaction('communities').objectStore('communities').count(id)),
      };
    } finally {
      db.close();
    }
  }, community);
}

/** The update rows of one document in the workstation's IndexedDB (the real database). */
function docRows(page: Page, docName: string): Promise<number> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('community-workstation');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('cannot open the database'));
    });
    try {
      return await new Promise<number>((resolve, reject) => {
        const request = db.transaction('docUpdates').objectStore('docUpdates').index('docName').count(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('request failed'));
      });
    } finally {
      db.close();
    }
  }, docName);
}

/** Whether the vault holds a community's data key (the vault's own IndexedDB database, renderer/data/vault.ts). */
function hasKey(page: Page, community: string): Promise<boolean> {
  return page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('community-workstation-vault');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('cannot open the vault'));
    });
    try {
      const count = await new Promise<number>((resolve, reject) => {
        const request = db.transaction('keys').objectStore('keys').count(id);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('request failed'));
      });
      return count > 0;
    } finally {
      db.close();
    }
  }, community);
}

async function openFirstResident(page: Page): Promise<void> {
  await page.goto('/#/registry');
  const first = page.getByTestId('resident-row').first();
  await expect(first).toBeVisible({ timeout: 30_000 });
  await first.click();
  await expect(page.getByRole('dialog')).toBeVisible();
}

/** Leaves sync on the 同步 page; `remove`: the name of the community whose data goes too. */
async function leave(page: Page, remove?: string): Promise<void> {
  await page.goto('/#/sync');
  await page.getByRole('button', { name: '退出同步' }).click();
  const panel = page.getByTestId('sync-leave');
  if (remove === undefined) {
    await panel.getByRole('button', { name: '退出同步' }).click();
  } else {
    // Keyboard: the panel opens on its first choice; Space ticks it, Tab reaches the name and the button.
    const option = panel.getByRole('checkbox', { name: `从本机删除本社区数据（${remove}）` });
    await expect(option).toBeFocused();
    await page.keyboard.press('Space');
    const confirm = panel.getByRole('button', { name: '退出同步并删除' });
    await expect(confirm).toBeDisabled();
    await page.keyboard.press('Tab');
    await expect(panel.getByLabel(`请输入社区名称“${remove}”以确认删除`)).toBeFocused();
    await page.keyboard.type(remove.slice(0, -1));
    await expect(confirm).toBeDisabled();
    await page.keyboard.type(remove.slice(-1));
    await expect(confirm).toBeEnabled();
    await confirm.click();
    await expect(page.getByTestId('sync-removed')).toContainText(`已从本机删除“${remove}”的数据`);
  }
  await expect(page.getByRole('button', { name: '加入' })).toBeVisible();
  await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-state', 'local');
}

/** 西河社区 on the server with 20 residents (written by a seed editor), and a token of `role` for `user`. */
/**
 * Writes the demo's cases of a year into the server as an editor (its full values: parties' phones and ID numbers),
 * and waits until they are stored.
 */
async function seedCases(syncServer: SyncServerFixture, year: number): Promise<number> {
  const seed = await syncServer.issue('seed-cases', XIHE);
  const { doc: registry } = generateDemoCommunity(7, { residents: 200, today: `${year}-06-15` });
  const cases = generateDemoCases(7, { registry, today: `${year}-06-15` }).docs.get(year);
  if (cases === undefined) throw new Error(`the demo has no cases in ${year}`);
  const connect = (doc = new Y.Doc()) =>
    new WebsocketProvider(syncServer.url, `${XIHE}/cases/${year}`, doc, {
      params: { token: seed.token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
  const synced = (provider: WebsocketProvider) =>
    new Promise<void>((resolve) => {
      if (provider.synced) resolve();
      else provider.once('sync', () => resolve());
    });
  const writer = connect();
  await synced(writer);
  Y.applyUpdate(writer.doc, Y.encodeStateAsUpdate(cases));
  const wanted = Y.decodeStateVector(Y.encodeStateVector(cases));
  await expect
    .poll(
      async () => {
        const check = connect();
        try {
          await synced(check);
          const stored = Y.decodeStateVector(Y.encodeStateVector(check.doc));
          return [...wanted].every(([client, clock]) => (stored.get(client) ?? 0) >= clock);
        } finally {
          check.destroy();
        }
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  writer.destroy();
  return cases.getMap('cases').size;
}

async function seededXihe(
  syncServer: SyncServerFixture,
  user: string,
  role: 'editor' | 'viewer',
): Promise<{ token: string; jti: string }> {
  await syncServer.addCommunity(XIHE, '西河社区');
  const seed = await syncServer.issue('seed', XIHE);
  await syncServer.seedRegistry(XIHE, seed.token, 20);
  return syncServer.issue(user, XIHE, role);
}

test.describe('roles that stick, and removing a community from this computer', () => {
  test('a viewer who leaves sync still cannot edit, reveal or export full numbers, also after a restart, until an admin grants more', async ({
    page,
    syncServer,
  }) => {
    test.setTimeout(120_000);
    const viewer = await seededXihe(syncServer, '王', 'viewer');
    await join(page, syncServer, viewer.token);
    await expect(page.getByTestId('viewer-banner')).toBeVisible();

    await leave(page);
    // Left: the token is gone, the role the community came with is not.
    await expect(page.getByTestId('viewer-banner')).toContainText('退出同步后仍为只读');
    await expect(page.getByTestId('kept-role').filter({ hasText: '西河社区' })).toHaveAttribute('data-role', 'viewer');

    const checkReadOnly = async () => {
      await openFirstResident(page);
      const dialog = page.getByRole('dialog');
      await expect(dialog.getByRole('button', { name: '修改', exact: true })).toBeDisabled();
      await expect(dialog.getByRole('button', { name: '查看完整身份证号' })).toBeDisabled();
      await expect(dialog.getByTestId('resident-idNumber')).toHaveText(/\*{10}/);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('button', { name: '登记居民' })).toBeDisabled();
      await page.goto('/#/registry/excel');
      await expect(page.getByRole('radio', { name: '完整号码' })).toBeDisabled();
      await expect(page.getByText('您没有导出完整号码的权限')).toBeVisible();
    };
    await checkReadOnly();

    // After a restart (the role is kept on the device, not in memory).
    await page.reload();
    await signIn(page, { name: '王' });
    await expect(page.getByTestId('viewer-banner')).toContainText('退出同步后仍为只读');
    await checkReadOnly();

    // An admin of the device grants more: the community may be edited on this device again.
    await page.goto('/#/sync');
    const row = page.getByTestId('kept-role').filter({ hasText: '西河社区' });
    await row.getByLabel('调整“西河社区”的权限').click();
    await page.getByRole('option', { name: '编辑者' }).click();
    await row.getByRole('button', { name: '确定' }).click();
    await expect(row).toHaveAttribute('data-role', 'editor');
    await expect(page.getByTestId('viewer-banner')).toBeHidden();
    await openFirstResident(page);
    await expect(page.getByRole('dialog').getByRole('button', { name: '修改', exact: true })).toBeEnabled();
  });

  test("a viewer's browser syncs the masked registry and cases: no row of the full ones, screens and search work, numbers masked", async ({
    page,
    syncServer,
  }) => {
    test.setTimeout(180_000);
    const viewer = await seededXihe(syncServer, '王', 'viewer');
    // The viewer's device syncs this year's cases (and last year's): the demo's cases of this year, in full.
    const year = new Date().getFullYear();
    const caseCount = await seedCases(syncServer, year);
    await join(page, syncServer, viewer.token);
    await page.goto('/#/registry');
    const rows = page.getByTestId('resident-row');
    await expect(rows.first()).toBeVisible({ timeout: 30_000 });
    await expect.poll(() => docRows(page, `${XIHE}/registry-masked`), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await docRows(page, `${XIHE}/registry`)).toBe(0);
    // The server sent the viewer only the masked copy: its connections name no other registry.
    const docsOfViewer = syncServer.logs
      .filter((line) => line.msg === 'connected' && line.user === '王')
      .map((line) => String(line.doc));
    expect(docsOfViewer).toContain(`${XIHE}/registry-masked`);
    expect(docsOfViewer).not.toContain(`${XIHE}/registry`);
    // Cases, meetings and tasks likewise: only their masked twins were asked for, and stored.
    for (const collection of ['cases', 'meetings', 'tasks']) {
      expect(docsOfViewer).toContain(`${XIHE}/${collection}-masked/${year}`);
      expect(docsOfViewer).not.toContain(`${XIHE}/${collection}/${year}`);
      expect(await docRows(page, `${XIHE}/${collection}/${year}`)).toBe(0);
    }
    await expect.poll(() => docRows(page, `${XIHE}/cases-masked/${year}`), { timeout: 30_000 }).toBeGreaterThan(0);

    await rows.first().click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('resident-idNumber')).toHaveText(/^\d{4}\*{10}[\dX]{4}$/);
    const name = (await dialog.getByRole('heading').first().textContent())?.trim() ?? '';
    expect(name).not.toBe('');
    await page.keyboard.press('Escape');
    // Search by name works over the masked copy.
    await page.getByRole('searchbox', { name: '查找居民' }).fill(name);
    await expect(rows.filter({ hasText: name }).first()).toBeVisible();

    // The case list reads the cases from their twin.
    await page.goto('/#/mediation');
    await page.getByRole('navigation', { name: '调解功能' }).getByRole('link', { name: '案件列表' }).click();
    const cases = page.getByTestId('case-row');
    await expect(cases.first()).toBeVisible({ timeout: 30_000 });
    expect(await cases.count()).toBeGreaterThan(0);
    expect(await cases.count()).toBeLessThanOrEqual(caseCount);
  });

  test('leaving with 从本机删除本社区数据 removes every row of that community from IndexedDB and leaves the other', async ({
    page,
    syncServer,
  }) => {
    test.setTimeout(120_000);
    const editor = await seededXihe(syncServer, '李', 'editor');

    // A community of this device's own first (the demo), then the district's by sync.
    await page.goto('/#/registry');
    await signIn(page, { name: '李' });
    await page.getByRole('button', { name: '载入示范社区' }).click();
    await expect(page.getByTestId('resident-row').first()).toBeVisible({ timeout: 60_000 });
    await join(page, syncServer, editor.token);
    await expect.poll(async () => (await rowsOf(page, XIHE)).residentBuckets, { timeout: 30_000 }).toBeGreaterThan(0);
    const before = { xihe: await rowsOf(page, XIHE), demo: await rowsOf(page, DEMO) };
    expect(before.xihe.docUpdates).toBeGreaterThan(0);
    expect(before.xihe.projections).toBeGreaterThan(0);
    expect(before.xihe.settings).toBeGreaterThan(0);
    expect(before.xihe.communities).toBe(1);
    expect(before.demo.docUpdates).toBeGreaterThan(0);
    expect(await hasKey(page, XIHE)).toBe(true);

    await leave(page, '西河社区');

    expect(await rowsOf(page, XIHE)).toEqual({
      docUpdates: 0,
      residentBuckets: 0,
      recordBuckets: 0,
      projections: 0,
      settings: 0,
      communities: 0,
    });
    // Its data key is gone from the vault too: a copy of the database taken before no longer opens.
    expect(await hasKey(page, XIHE)).toBe(false);
    expect(await hasKey(page, DEMO)).toBe(true);
    const demo = await rowsOf(page, DEMO);
    expect(demo.docUpdates).toBe(before.demo.docUpdates);
    expect(demo.residentBuckets).toBe(before.demo.residentBuckets);
    expect(demo.communities).toBe(1);

    // Nothing comes back after a restart, and the demo community is still there to work on.
    await page.reload();
    await signIn(page, { name: '李' });
    await page.goto('/#/registry');
    await expect(page.getByTestId('resident-row').first()).toBeVisible({ timeout: 30_000 });
    expect((await rowsOf(page, XIHE)).docUpdates).toBe(0);
    expect((await rowsOf(page, XIHE)).communities).toBe(0);
  });
});
