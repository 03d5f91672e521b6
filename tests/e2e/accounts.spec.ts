import type { Page } from '@playwright/test';
import { E2E_ADMIN, E2E_PASSPHRASE, signIn } from './support/account';
import { expect, test } from './support/fixtures';

const COLLEAGUE = '李四';
const COLLEAGUE_PASSPHRASE = 'li-si-2026';

async function openAccountMenu(page: Page, item: '锁定' | '切换用户'): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByRole('menuitem', { name: item }).click();
}

test.describe('accounts on a shared desktop', () => {
  test('sign-in: first start creates an account, signs out, a wrong passphrase is refused, and signs in again', async ({
    page,
  }) => {
    await page.goto('/#/settings');
    const first = page.getByTestId('first-account');
    await expect(first).toBeVisible();
    await expect(first).toContainText('没有后门');
    await first.getByRole('textbox', { name: '姓名' }).fill(E2E_ADMIN);
    await first.getByRole('textbox', { name: '新口令' }).fill(E2E_PASSPHRASE);
    await first.getByRole('textbox', { name: '再次输入口令' }).fill(`${E2E_PASSPHRASE}x`);
    await first.getByRole('button', { name: '创建账户并进入' }).click();
    await expect(first.getByRole('alert')).toContainText('两次输入的口令不一致');
    await first.getByRole('textbox', { name: '再次输入口令' }).fill(E2E_PASSPHRASE);
    await first.getByRole('textbox', { name: '再次输入口令' }).press('Enter');
    await expect(page.getByTestId('account-menu')).toHaveText(E2E_ADMIN);
    // The records' name is the account's, shown read-only in settings.
    await expect(page.getByTestId('settings-user-name')).toHaveText(`记录中的名字：${E2E_ADMIN}`);

    await openAccountMenu(page, '锁定');
    const signInScreen = page.getByTestId('sign-in');
    await expect(signInScreen).toBeVisible();
    await expect(page.getByTestId('account-menu')).toHaveCount(0);
    await expect(signInScreen.getByRole('radio', { name: E2E_ADMIN })).toBeChecked();
    const passphrase = signInScreen.getByLabel('口令', { exact: true });
    await expect(passphrase).toBeFocused();
    // "Remember on this computer" needs the OS keychain of the desktop app: a browser does not offer it.
    await expect(signInScreen.getByText('在这台电脑上记住我', { exact: false })).toHaveCount(0);

    await passphrase.fill('not-the-passphrase');
    await passphrase.press('Enter');
    await expect(page.getByTestId('sign-in-error')).toContainText('口令不正确');
    // Nothing is lost: the same account, the passphrase ready to be typed again.
    await expect(signInScreen.getByRole('radio', { name: E2E_ADMIN })).toBeChecked();
    await expect(passphrase).toBeFocused();

    await page.keyboard.type(E2E_PASSPHRASE);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('account-menu')).toHaveText(E2E_ADMIN);
    // Back where the person was.
    await expect(page).toHaveURL(/#\/settings$/);
    await expect(page.getByRole('heading', { name: '设置', level: 2 })).toBeVisible();
  });

  test('idle lock: after the idle time set in settings the app locks and needs the passphrase', async ({ page }) => {
    // The page's clock runs as usual and can be moved ahead: no waiting a real minute, no hook in the app.
    await page.clock.install();
    await page.goto('/#/settings');
    await signIn(page);
    await page.getByLabel('无操作多久后自动锁定').selectOption({ label: '1 分钟' });
    await page
      .getByRole('navigation', { name: '主导航' })
      .getByRole('link', { name: /会议记录/ })
      .click();
    await expect(page.getByRole('heading', { name: '会议记录', level: 2 })).toBeVisible();

    await page.clock.fastForward('00:30');
    await expect(page.getByTestId('account-menu')).toBeVisible();
    await page.clock.fastForward('00:31');
    const signInScreen = page.getByTestId('sign-in');
    await expect(signInScreen).toBeVisible();
    await expect(page.getByTestId('sign-in-reason')).toContainText('已因 1 分钟无操作自动锁定');
    await expect(page.getByRole('navigation', { name: '主导航' })).toHaveCount(0);
    await expect(signInScreen.getByRole('radio', { name: E2E_ADMIN })).toBeChecked();

    await signInScreen.getByLabel('口令', { exact: true }).fill(E2E_PASSPHRASE);
    await signInScreen.getByLabel('口令', { exact: true }).press('Enter');
    await expect(page.getByRole('heading', { name: '会议记录', level: 2 })).toBeVisible();
    await expect(page).toHaveURL(/#\/meetings$/);
  });

  test('user switch: an admin adds a colleague, switches user, and the history names the colleague', async ({
    page,
  }) => {
    test.setTimeout(90_000);
    await page.goto('/#/registry');
    await signIn(page);
    await page.getByLabel('社区名称').fill('北门社区');
    await page.getByLabel('社区编号').fill('shunqing-beimen');
    await page.getByRole('button', { name: '新建社区' }).click();
    await expect(page.getByTestId('community-name')).toContainText('北门社区');

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /设置/ }).click();
    await page.getByRole('button', { name: '添加账户' }).click();
    const add = page.getByRole('dialog', { name: '添加账户' });
    await add.getByLabel('姓名').fill(COLLEAGUE);
    await add.getByLabel('角色').selectOption({ label: '编辑者' });
    await add.getByLabel('初始口令').fill(COLLEAGUE_PASSPHRASE);
    await add.getByLabel('再次输入口令').fill(COLLEAGUE_PASSPHRASE);
    await add.getByRole('button', { name: '添加', exact: true }).click();
    await expect(add).toBeHidden();
    await expect(page.getByTestId('account-row').filter({ hasText: COLLEAGUE })).toContainText('编辑者');

    await openAccountMenu(page, '切换用户');
    const signInScreen = page.getByTestId('sign-in');
    await expect(signInScreen.getByRole('radio', { name: COLLEAGUE })).toBeChecked();
    await signIn(page, { name: COLLEAGUE, passphrase: COLLEAGUE_PASSPHRASE });
    // Another person starts from the dashboard, not on the admin's screen.
    await expect(page).toHaveURL(/#\/$/);

    // The colleague registers a case: the case's history names their account.
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /调解/ }).click();
    await page.getByRole('navigation', { name: '调解功能' }).getByRole('link', { name: '登记案件' }).click();
    const form = page.getByRole('form', { name: '登记案件' });
    await form.getByLabel('地址', { exact: true }).fill('北门路3号');
    await form.getByLabel('简要事实').fill('楼上漏水，楼下天花板受损。');
    for (const [role, name] of [
      ['申请人', '王建国'],
      ['被申请人', '李秀英'],
    ] as const) {
      await form.getByLabel('身份').selectOption({ label: role });
      await form.getByLabel('姓名', { exact: true }).fill(name);
      await form.getByLabel('姓名', { exact: true }).press('Enter');
    }
    await form.getByRole('button', { name: '登记', exact: true }).click();
    const timeline = page.getByTestId('case-timeline');
    await expect(timeline).toContainText(`· ${COLLEAGUE}`);
    await expect(timeline).not.toContainText(E2E_ADMIN);
  });
});
