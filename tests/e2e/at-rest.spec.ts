/**
 * Encryption at rest (docs/security.md): after the demo community is loaded and the person signs out, nothing the
 * page can read from IndexedDB holds a resident's ID number or mobile in clear: every database and object store of
 * the origin is read from the page itself, strings and byte arrays alike (bytes decoded as UTF-8, as a curious
 * colleague's DevTools or a copied profile folder would show them).
 */
import { chinaDate } from '@shared/domain/dates';
import { generateDemoCommunity } from '@shared/domain/registry/demo';
import { listRecords } from '@shared/ydoc/registry';
import { signIn } from './support/account';
import { expect, test } from './support/fixtures';

/** The demo the app generates (renderer/data/demo.ts): the same seed, size and day give the same people. */
const DEMO_SEED = 20261126;
const DEMO_RESIDENTS = 3000;

function demoSecrets(): { ids: string[]; phones: string[] } {
  const { doc } = generateDemoCommunity(DEMO_SEED, { residents: DEMO_RESIDENTS, today: chinaDate(new Date()) });
  const residents = listRecords(doc, 'residents');
  return {
    ids: residents.map((r) => r.idNumber).filter((id) => id.length === 18),
    phones: residents.flatMap((r) => (r.phone === null ? [] : [r.phone])).filter((p) => /^1\d{10}$/.test(p)),
  };
}

test.describe('residents data at rest', () => {
  test('at-rest: after loading the demo and signing out, no ID number or mobile of it is readable in IndexedDB', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const { ids, phones } = demoSecrets();
    expect(ids.length).toBeGreaterThan(1000);
    expect(phones.length).toBeGreaterThan(1000);

    await page.goto('/#/');
    await signIn(page);
    await page
      .getByRole('navigation', { name: '主导航' })
      .getByRole('link', { name: /居民与楼栋/ })
      .click();
    await page.getByRole('button', { name: '载入示范社区' }).click();
    await expect(page.getByTestId('community-name')).toContainText('西河社区', { timeout: 90_000 });
    await expect(page.getByTestId('resident-count')).toContainText(/共 [1-9]\d* 人/);

    // Sign out: the workstation closes, its keys are forgotten.
    await page.getByTestId('account-menu').click();
    await page.getByRole('menuitem', { name: '锁定' }).click();
    await expect(page.getByTestId('sign-in')).toBeVisible({ timeout: 30_000 });

    const found = await page.evaluate(
      async ({ ids, phones }) => {
        const wanted = new Set([...ids, ...phones]);
        const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        const checks = '10X98765432';
        /** An 18-digit ID number with a valid check character (GB 11643). */
        const validId = (id: string): boolean => {
          let sum = 0;
          for (let i = 0; i < 17; i++) sum += Number(id[i]) * (weights[i] ?? 0);
          return checks[sum % 11] === id[17]?.toUpperCase();
        };
        const hits: string[] = [];
        const scan = (text: string, where: string): void => {
          for (const match of text.matchAll(/\d{17}[\dXx]/g)) {
            if (validId(match[0])) hits.push(`${where}: ID ${match[0]}`);
          }
          for (const match of text.matchAll(/1\d{10}/g)) {
            if (wanted.has(match[0])) hits.push(`${where}: mobile ${match[0]}`);
          }
        };
        const decoder = new TextDecoder('utf-8', { fatal: false });
        const walk = (value: unknown, where: string, depth: number): void => {
          if (depth > 12 || value === null || value === undefined) return;
          if (typeof value === 'string') scan(value, where);
          else if (value instanceof ArrayBuffer) scan(decoder.decode(new Uint8Array(value)), where);
          else if (ArrayBuffer.isView(value)) {
            scan(decoder.decode(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)), where);
          } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`, depth + 1));
          else if (typeof value === 'object') {
            for (const [k, v] of Object.entries(value)) walk(v, `${where}.${k}`, depth + 1);
          }
        };
        const request = <T>(r: IDBRequest<T>): Promise<T> =>
          new Promise((resolve, reject) => {
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(new Error(String(r.error)));
          });
        // A control: one ID number as a string and one mobile as bytes, in a database of their own, must be found
        // (the scan reads what a person would), and nothing else may be.
        const control = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('at-rest-control', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('rows', { autoIncrement: true });
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(new Error(String(open.error)));
        });
        await request(
          control
            .transaction('rows', 'readwrite')
            .objectStore('rows')
            .add({ text: `居民 ${ids[0] ?? ''}`, bytes: new TextEncoder().encode(`tel:${phones[0] ?? ''}`) }),
        );
        control.close();
        const databases = await indexedDB.databases();
        const stores: string[] = [];
        for (const { name } of databases) {
          if (name === undefined) continue;
          const db = await request(indexedDB.open(name));
          for (const storeName of Array.from(db.objectStoreNames)) {
            stores.push(`${name}/${storeName}`);
            const rows = await request(db.transaction(storeName, 'readonly').objectStore(storeName).getAll());
            rows.forEach((row, i) => walk(row, `${name}/${storeName}#${i}`, 0));
          }
          db.close();
        }
        return { hits: hits.slice(0, 20), count: hits.length, stores };
      },
      { ids, phones },
    );
    // The scan saw the workstation's tables and found the control's two values (so an empty result means something).
    expect(found.stores.some((s) => s.endsWith('/docUpdates'))).toBe(true);
    expect(found.stores.some((s) => s.endsWith('/residentBuckets'))).toBe(true);
    const control = found.hits.filter((hit) => hit.startsWith('at-rest-control/'));
    expect(control).toEqual([
      `at-rest-control/rows#0.text: ID ${ids[0]}`,
      `at-rest-control/rows#0.bytes: mobile ${phones[0]}`,
    ]);
    expect(found.hits.filter((hit) => !hit.startsWith('at-rest-control/'))).toEqual([]);
    expect(found.count).toBe(2);
  });
});
