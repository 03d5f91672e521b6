import { signIn } from './support/account';
import { expect, test } from './support/fixtures';

test.describe('registry: residents', () => {
  test('demo community: pinyin search, audited reveal, a new resident, and everything survives a reload', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.goto('/#/registry');
    await signIn(page);
    await expect(page.getByRole('heading', { name: '欢迎使用社区治理工作台' })).toBeVisible();
    await page.getByRole('button', { name: '载入示范社区' }).click();
    await expect(page.getByTestId('resident-row').first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('community-name')).toContainText('西河社区');
    await expect(page.getByTestId('resident-count')).toContainText(/共 \d+ 人/);

    // Pinyin initials: every row found by "zs" has a name whose initials start with z, s.
    await page.getByLabel('查找居民').fill('zs');
    await expect(page.getByTestId('resident-count')).toHaveText(/^共 \d+ 人$/);
    const names = await page.getByTestId('resident-row').locator('td:first-child').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name.length).toBeGreaterThanOrEqual(2);

    // ID numbers are masked in the list; revealing one is logged in the resident's history.
    const firstRow = page.getByTestId('resident-row').first();
    await expect(firstRow.locator('td').nth(3)).toHaveText(/^\d{4}\*{10}[\dX]{4}$/);
    await firstRow.click();
    const masked = await page.getByTestId('resident-idNumber').textContent();
    expect(masked).toMatch(/\*{10}/);
    await page.getByRole('button', { name: '查看完整身份证号' }).click();
    await expect(page.getByTestId('resident-idNumber')).toHaveText(/^\d{17}[\dX]$/);
    const history = page.getByTestId('resident-history');
    await expect(history).toContainText('查看完整号码');
    await expect(history).toContainText('身份证号');
    const residentName = (await page.getByRole('dialog').getByRole('heading').first().textContent()) ?? '';
    await page.keyboard.press('Escape');

    // Register a new resident in an existing household; a wrong check digit is refused first.
    await page.getByRole('button', { name: '登记居民' }).click();
    const form = page.getByRole('dialog', { name: '登记居民' });
    await form.getByLabel('姓名').fill('测试居民');
    await form.getByLabel('身份证号').fill('110101199003074515'); // wrong check digit (valid: ...4514)
    await form.getByRole('combobox', { name: '住户（门牌）' }).click();
    await page.getByRole('option').first().click();
    await form.getByRole('button', { name: '保存' }).click();
    await expect(form.getByRole('alert')).toContainText('校验位错误');
    await form.getByLabel('身份证号').fill('110101199003074514');
    await form.getByRole('button', { name: '保存' }).click();
    await expect(form).toBeHidden();
    await page.keyboard.press('Escape');

    // Reload: the new resident and the reveal entry are still there (IndexedDB, no server).
    await page.reload();
    await signIn(page);
    await page.getByLabel('查找居民').fill('测试居民');
    await expect(page.getByTestId('resident-row')).toHaveCount(1);
    await page.getByLabel('查找居民').fill(residentName);
    // Wait for the list to follow the new query before opening its first row.
    await expect(page.getByTestId('resident-row').first().locator('td').first()).toHaveText(residentName);
    await page.getByTestId('resident-row').first().click();
    await expect(page.getByTestId('resident-history')).toContainText('查看完整号码');
  });
});
