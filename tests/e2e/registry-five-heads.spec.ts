import type { Page } from '@playwright/test';
import { signIn } from './support/account';
import { expect, test } from './support/fixtures';

async function openPlaces(page: Page) {
  await page
    .getByRole('navigation', { name: '主导航' })
    .getByRole('link', { name: /居民与楼栋/ })
    .click();
  await page.getByRole('navigation', { name: '居民与楼栋的栏目' }).getByRole('link', { name: '楼栋与五长' }).click();
  await expect(page.getByRole('tree', { name: '五长体系' }).or(page.getByText(/还没有片区/))).toBeVisible();
}

async function addChild(page: Page, name: string) {
  await page.getByLabel('下级名称').fill(name);
  await page.getByRole('button', { name: '添加下级' }).click();
  await expect(page.getByRole('treeitem', { name: new RegExp(name) })).toBeVisible();
}

test.describe('registry: five heads', () => {
  test('builds a five-heads tree, and the courtyard head steps in for an empty building head after a reload', async ({
    page,
  }) => {
    await page.goto('/#/registry');
    await signIn(page);
    await page.getByLabel('社区名称').fill('五长测试社区');
    await page.getByLabel('社区编号').fill('e2e-five-heads');
    await page.getByRole('button', { name: '新建社区' }).click();
    await openPlaces(page);

    // 片区 → 街 → 巷 → 院落: each new node is selected, so the next one goes under it.
    await page.getByRole('textbox', { name: '名称', exact: true }).fill('东片区');
    await page.getByRole('button', { name: '新建', exact: true }).click();
    await expect(page.getByRole('treeitem', { name: /东片区/ })).toBeVisible();
    await addChild(page, '和平街');
    await addChild(page, '和平一巷');
    await addChild(page, '1号院');
    const courtyard = page.getByRole('treeitem', { name: /1号院/ });
    await expect(courtyard).toHaveAttribute('aria-level', '4');

    // A compound to put the building in.
    await page.locator('label', { hasText: '小区与楼栋' }).click();
    await page.getByLabel('小区名称').fill('北湖老院');
    await page.getByLabel('物业公司').fill('顺庆物业');
    await page.getByRole('button', { name: '新建小区' }).click();
    await expect(page.getByRole('heading', { name: '北湖老院' })).toBeVisible();

    // Back in the tree: the courtyard gets a volunteer head, then a building with no head of its own.
    await page.locator('label', { hasText: '五长体系' }).click();
    await page.getByRole('treeitem', { name: /1号院/ }).click();
    await page.locator('label', { hasText: '新志愿者' }).click();
    await page.getByLabel('姓名').fill('刘院长');
    await page.getByLabel('联系电话').fill('13900001111');
    await page.getByRole('button', { name: '登记并设为院长' }).click();
    await expect(page.getByTestId('zone-head')).toHaveText('院长：刘院长 13900001111');
    await page.getByLabel('楼栋名称').fill('3栋');
    await page.getByRole('button', { name: '新建楼栋' }).click();

    const stepsIn = '楼栋长空缺，由院长（1号院）刘院长 13900001111 代为负责';
    await expect(page.getByTestId('acting-head')).toHaveText(stepsIn);
    await expect(page.getByTestId('head-chain').getByRole('listitem')).toHaveCount(5);

    await page.reload();
    await signIn(page);
    await page.getByRole('navigation', { name: '居民与楼栋的栏目' }).getByRole('link', { name: '楼栋与五长' }).click();
    const tree = page.getByRole('tree', { name: '五长体系' });
    for (const name of ['东片区', '和平街', '和平一巷', '1号院', '3栋']) {
      await expect(tree.getByRole('treeitem', { name: new RegExp(name) })).toBeVisible();
    }
    // Keyboard: focus the tree, walk down to the building and select it with Enter.
    await tree.getByRole('treeitem', { name: /东片区/ }).focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    await expect(tree.getByRole('treeitem', { name: /3栋/ })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('acting-head')).toHaveText(stepsIn);
  });
});
