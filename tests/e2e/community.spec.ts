import { signIn } from './support/account';
import { expect, test } from './support/fixtures';

test.describe('communities on one device', () => {
  test('create one, add the demo as a second, and switch between them at once', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/#/');
    await signIn(page);
    await page
      .getByRole('navigation', { name: '主导航' })
      .getByRole('link', { name: /居民与楼栋/ })
      .click();
    await page.getByLabel('社区名称').fill('北门社区');
    await page.getByLabel('社区编号').fill('shunqing-beimen');
    await page.getByRole('button', { name: '新建社区' }).click();
    await expect(page.getByTestId('community-name')).toContainText('北门社区');
    await expect(page.getByTestId('resident-count')).toHaveText('共 0 人');

    await page.getByTestId('community-switcher').click();
    await page.getByRole('menuitem', { name: '添加社区' }).click();
    await page.getByRole('button', { name: '载入示范社区' }).click();
    await expect(page.getByTestId('community-name')).toContainText('西河社区', { timeout: 60_000 });
    await expect(page.getByTestId('resident-count')).toContainText(/共 [1-9]\d* 人/);

    await page.getByTestId('community-switcher').click();
    await page.getByRole('menuitem', { name: '北门社区' }).click();
    await expect(page.getByTestId('community-name')).toContainText('北门社区');
    await expect(page.getByTestId('resident-count')).toHaveText('共 0 人');

    // The choice is remembered on this device.
    await page.reload();
    await signIn(page);
    await expect(page.getByTestId('community-name')).toContainText('北门社区');
  });
});
