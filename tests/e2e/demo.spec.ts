import { signIn } from './support/account';
import { expect, test } from './support/fixtures';

test.describe('the demo community', () => {
  test('载入示范社区 fills the mediation and meeting screens and 今天要办 with every stage', async ({ page }) => {
    test.setTimeout(150_000);
    await page.goto('/#/registry');
    await signIn(page);
    await page.getByRole('button', { name: '载入示范社区' }).click();
    await expect(page.getByTestId('resident-row').first()).toBeVisible({ timeout: 90_000 });
    // The community's rows were sealed in the crypto worker (renderer/data/aesThread.ts), not on the main thread.
    expect(await page.evaluate("performance.getEntriesByName('cgw:aes-worker').length")).toBe(1);
    const nav = page.getByRole('navigation', { name: '主导航' });

    // 案件列表: the demo's cases, overdue and near their limit among them.
    await nav.getByRole('link', { name: /调解/ }).click();
    await page.getByRole('navigation', { name: '调解功能' }).getByRole('link', { name: '案件列表' }).click();
    const cases = page.getByTestId('case-row');
    await expect(cases.first()).toBeVisible({ timeout: 30_000 });
    expect(await cases.count()).toBeGreaterThanOrEqual(10);
    await expect(page.locator('[data-testid="case-row"][data-deadline="red"]').first()).toBeVisible();
    await expect(page.locator('[data-testid="case-row"][data-deadline="yellow"]').first()).toBeVisible();
    // A case escalated to the committee opens on its page with its steps up the chain.
    await cases.filter({ hasText: '社区调委会' }).first().click();
    await expect(page.getByTestId('case-steps')).toContainText('上报理由');

    // 会议记录: planned, held and locked meetings.
    await nav.getByRole('link', { name: /会议记录/ }).click();
    const meetings = page.getByTestId('meeting-row');
    await expect(meetings.first()).toBeVisible({ timeout: 30_000 });
    for (const status of ['议题征集', '已发通知', '与会人员审阅', '已签字锁定', '决议已公示', '已归档']) {
      await expect(meetings.filter({ hasText: status })).toHaveCount(1);
    }
    // The locked meeting's action items: open ones and the answered one.
    await meetings.filter({ hasText: '已签字锁定' }).click();
    await expect(page.getByText('台账已汇总报社区，共6起。')).toBeVisible({ timeout: 30_000 });

    // 工作台's 今天要办: the follow-up due and the cases near or past their limit.
    await nav.getByRole('link', { name: /工作台/ }).click();
    const today = page.getByTestId('today-card');
    await expect(today.getByTestId('today-follow-up')).toHaveCount(1, { timeout: 30_000 });
    expect(await today.getByTestId('today-deadline').count()).toBeGreaterThanOrEqual(2);
  });
});
