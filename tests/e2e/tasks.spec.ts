/**
 * 任务督办 end to end (issue 19), through the real sync server: the street (an admin token for two communities)
 * publishes a task to both and imports a task list into one; the card rules raise a 黄牌 when the street opens the tasks again; each community's worker
 * (an editor token for one community) claims, reports progress and asks to close while offline; back online, the street
 * verifies one and returns the other with a reason, which the worker sees; the figures page shows.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, join, test } from './support/syncServer';
import { makeXlsx } from './support/xlsx';

const XIHE = 'xihe-a';
const DONGHU = 'donghu-b';
const TITLE = '背街小巷环境整治';

async function openCommunity(page: Page, id: string): Promise<void> {
  await page.getByTestId('community-switcher').click();
  await page.getByRole('menuitem', { name: id }).click();
  await expect(page.getByTestId('community-name')).toContainText(id);
}

/** Opens the area's list (a fresh mount: a supervising device runs the card rules as it opens). */
async function openTasks(page: Page): Promise<void> {
  await page.goto('/#/');
  await page.goto('/#/tasks');
  await expect(page.getByRole('navigation', { name: '任务督办' })).toBeVisible();
}

function row(page: Page) {
  return page.getByTestId('task-row').filter({ hasText: TITLE });
}

/** A community worker, offline: claims, reports and asks to close; the page says so at each step. */
async function workOffline(
  context: BrowserContext,
  page: Page,
  { note, reason, card }: { note: string; reason: string; card: boolean },
): Promise<void> {
  await openTasks(page);
  await expect(row(page)).toBeVisible({ timeout: 30_000 });
  // The street's rule card (raised where the street has opened the tasks) has come too, before the network goes.
  if (card) await expect(row(page).getByTestId('task-card')).toHaveText('黄牌', { timeout: 30_000 });
  // The worker's role offers neither publishing nor importing.
  await expect(page.getByRole('link', { name: '发布任务' })).toHaveCount(0);
  await context.setOffline(true);
  await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-state', 'offline');
  await row(page).focus();
  await page.keyboard.press('Enter');
  const status = page.getByTestId('task-status');
  await expect(status).toHaveText('待领办');
  await expect(page.getByRole('button', { name: '核验通过' })).toHaveCount(0);
  await page.getByRole('button', { name: '领办', exact: true }).click();
  await expect(status).toHaveText('办理中');
  await page.getByRole('button', { name: '报告进展' }).click();
  await page.getByLabel('进展情况').fill(note);
  await page.getByLabel('进度（%）').fill('80');
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('task-timeline')).toContainText(`报告进展：${note}`);
  if (card) {
    // The 黄牌 raised by rule is answered.
    await page.getByRole('button', { name: '回复督办' }).click();
    await page.getByRole('textbox', { name: '回复', exact: true }).fill(`已加快进度：${note}`);
    await page.getByRole('button', { name: '提交' }).click();
    await expect(page.getByTestId('task-cards')).toContainText(`已加快进度：${note}`);
  }
  await page.getByRole('button', { name: '申请办结' }).click();
  await page.getByLabel('办结类型').selectOption('substantive');
  await page.getByLabel('理由').fill(reason);
  await page.getByRole('button', { name: '提交' }).click();
  await expect(status).toHaveText('待核验');
}

test.describe('tasks', () => {
  test('publish to two communities and import, yellow card by rule, offline claim and report, verify one and return one, figures', async ({
    browser,
    syncServer,
  }) => {
    test.setTimeout(420_000);
    await syncServer.addCommunity(XIHE, '西河社区');
    await syncServer.addCommunity(DONGHU, '东湖社区');
    const streetToken = await syncServer.issue('街道督办员', `${XIHE},${DONGHU}`, 'admin');
    const xiheToken = await syncServer.issue('西河王五', XIHE, 'editor');
    const donghuToken = await syncServer.issue('东湖赵六', DONGHU, 'editor');
    const contexts = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
    const [streetContext, xiheContext, donghuContext] = contexts;
    const street = await streetContext.newPage();
    const xihe = await xiheContext.newPage();
    const donghu = await donghuContext.newPage();
    await join(street, syncServer, streetToken.token);
    await join(xihe, syncServer, xiheToken.token);
    await join(donghu, syncServer, donghuToken.token);

    // The street publishes one annual task to both communities: done within one working day, so its warning day (70 %
    // of the limit) is today.
    await openCommunity(street, XIHE);
    await openTasks(street);
    await street.getByRole('link', { name: '发布任务' }).click();
    const form = street.getByTestId('task-publish');
    await form.getByLabel('文号').fill('中街督〔2026〕8号');
    await form.getByLabel('任务名称').fill(TITLE);
    await form.getByLabel('任务类别').fill('城市管理');
    await form.getByLabel('牵头单位').fill('社区党委');
    await form.getByLabel('责任人').fill('周书记');
    await form.getByLabel('领办时限（工作日）').fill('1');
    await form.getByLabel('办结时限（工作日）').fill('1');
    await form.getByRole('checkbox', { name: DONGHU }).check();
    await expect(form.getByRole('checkbox', { name: XIHE })).toBeChecked();
    await form.getByRole('button', { name: '发布' }).click();
    await expect(street.getByTestId('task-published')).toHaveText('已发布2项任务实例。');

    // It imports a task list into 西河 too (导入): checked first, then handed down.
    const workbook = await makeXlsx(
      [
        ['文号', '任务名称', '任务类别', '牵头单位', '责任人', '领办时限', '办结时限', '任务周期'],
        ['中街督〔2026〕9号', '防汛物资清点', '应急管理', '社区居委会', '吴主任', 3, 20, '年度'],
      ],
      { sheetName: '任务清单' },
    );
    await street.getByRole('link', { name: '导入' }).click();
    const chooser = street.waitForEvent('filechooser');
    await street.getByRole('button', { name: '选择表格并检查…' }).click();
    await (
      await chooser
    ).setFiles({ name: '任务清单.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from(workbook) });
    await expect(street.getByTestId('task-import-summary')).toContainText('新增 1 项');
    await street.getByRole('button', { name: '确认导入 1 项' }).click();
    await expect(street.getByTestId('task-import-done')).toBeVisible({ timeout: 30_000 });

    // Opening the tasks again runs the card rules: a 黄牌 on the task, raised by rule. The street's list spans both
    // communities it supervises: narrowed to 西河 here.
    await openTasks(street);
    await street.getByLabel('社区').selectOption(XIHE);
    await expect(row(street).getByTestId('task-card')).toHaveText('黄牌', { timeout: 15_000 });
    await expect(street.getByTestId('task-row').filter({ hasText: '防汛物资清点' })).toContainText('待领办');
    await row(street).click();
    await expect(street.getByTestId('task-cards')).toContainText('已到预警日');
    await expect(street.getByTestId('task-timeline')).toContainText('（按规则自动）');

    // Both communities' workers work offline.
    // The street's device ran the card rules in both communities it supervises as it opened its list; 西河's worker
    // waits for the 黄牌 and answers it, 东湖's goes on without.
    await workOffline(xiheContext, xihe, { note: '已清理卫生死角14处', reason: '整治完成，照片已上传', card: true });
    await workOffline(donghuContext, donghu, { note: '已清运垃圾3车', reason: '整治完成', card: false });
    await xiheContext.setOffline(false);
    await donghuContext.setOffline(false);
    for (const page of [xihe, donghu]) {
      await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
    }

    // The street verifies 西河's request...
    await openTasks(street);
    await street.getByLabel('社区').selectOption(XIHE);
    await expect(row(street)).toContainText('待核验', { timeout: 30_000 });
    await row(street).click();
    await expect(street.getByTestId('task-timeline')).toContainText('报告进展：已清理卫生死角14处');
    await expect(street.getByTestId('task-timeline')).toContainText('西河王五');
    await expect(street.getByTestId('task-cards')).toContainText('已加快进度：已清理卫生死角14处');
    await street.getByRole('button', { name: '核验通过' }).click();
    await expect(street.getByTestId('task-status')).toHaveText('已办结');

    // ...and returns 东湖's with a reason.
    await openCommunity(street, DONGHU);
    await openTasks(street);
    await street.getByLabel('社区').selectOption(DONGHU);
    await expect(row(street)).toContainText('待核验', { timeout: 30_000 });
    await row(street).click();
    await street.getByRole('button', { name: '退回' }).click();
    await street.getByLabel('理由').fill('缺少整治前后对比照片');
    await street.getByRole('button', { name: '提交' }).click();
    await expect(street.getByTestId('task-status')).toHaveText('办理中');

    // Each worker sees the street's decision on its own device.
    await openTasks(donghu);
    await row(donghu).click();
    await expect(donghu.getByTestId('task-status')).toHaveText('办理中', { timeout: 30_000 });
    await expect(donghu.getByTestId('task-timeline')).toContainText('退回：缺少整治前后对比照片');
    await openTasks(xihe);
    await expect(row(xihe)).toContainText('已办结', { timeout: 30_000 });

    // 工作台's 我的任务 on 东湖's device lists the returned task.
    await donghu.goto('/#/');
    await expect(donghu.getByTestId('today-tasks')).toContainText(TITLE);

    // The figures page shows.
    await street.goto('/#/tasks/figures');
    await expect(street.getByRole('heading', { name: '任务统计' })).toBeVisible();
    // 东湖 (the open community): one task handed down this month, none closed (its request was returned).
    await expect(street.getByTestId('tf-published')).toHaveText('1');
    await expect(street.getByTestId('tf-closed')).toHaveText('0');

    for (const context of contexts) await context.close();
  });
});
