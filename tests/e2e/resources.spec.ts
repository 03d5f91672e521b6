/**
 * 阵地, 项目化 and 三项资金 end to end (issue 21), through the real sync server: two offline devices book one room for
 * the same hour; back online, both bookings are kept and both devices show the conflict until one is moved; a need
 * goes through consultation, a refused 拒签 without reason, approval and a contract printed to PDF; a care payment to
 * a party member of the registry reduces the care fund and appears in the yearly report.
 */
import type { Page } from '@playwright/test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { expect, join, test } from './support/syncServer';
import { tokenUser } from './support/account';

const XIHE = 'shunqing-xihe';
const YEAR = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
// A day late in this year (the sync keeps this year's activities document of every community in step).
const DAY = `${YEAR}-12-20`;

async function pdfText(pdf: Buffer): Promise<string> {
  const document = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
  }
  await document.destroy();
  return pages.join('\n');
}

async function book(page: Page, start: string, end: string, purpose: string, organiser: string) {
  const form = page.getByTestId('booking-form');
  await form.getByLabel('日期').fill(DAY);
  await form.getByLabel('开始时间').fill(start);
  await form.getByLabel('结束时间').fill(end);
  await form.getByLabel('活动内容').fill(purpose);
  await form.getByLabel('组织方').fill(organiser);
  await form.getByLabel('预计人数').fill('20');
  await form.getByRole('button', { name: '预约' }).click();
  await expect(page.getByRole('heading', { name: '多功能活动室' })).toBeVisible();
}

test.describe('resources', () => {
  test('resources: a room booked for the same hour on two offline devices shows the conflict on both after sync until one is moved', async ({
    browser,
    syncServer,
  }) => {
    test.setTimeout(300_000);
    await syncServer.addCommunity(XIHE, '西河社区');
    const seed = await syncServer.issue('seed', XIHE);
    await syncServer.seedRegistry(XIHE, seed.token, 40);
    const aToken = (await syncServer.issue('社区干部李明', XIHE)).token;
    const bToken = (await syncServer.issue('网格员赵敏', XIHE)).token;
    const aContext = await browser.newContext();
    const bContext = await browser.newContext();
    const a = await aContext.newPage();
    const b = await bContext.newPage();
    await join(a, syncServer, aToken);
    await join(b, syncServer, bToken);

    // Device A adds the room; it reaches B.
    await a.goto('/#/party/venues');
    const venueForm = a.getByTestId('venue-form');
    await venueForm.getByLabel('名称').fill('多功能活动室');
    await venueForm.getByLabel('容纳人数').fill('60');
    await venueForm.getByLabel('设备').fill('投影仪、音响');
    await venueForm.getByRole('button', { name: '保存' }).click();
    await expect(a.getByTestId('venue-row')).toContainText('60座');
    for (const page of [a, b]) {
      await page.goto('/#/party/venues/book');
      await expect(page.getByTestId('booking-form').getByLabel('场地').locator('option')).toHaveText(
        ['多功能活动室（60座）'],
        { timeout: 30_000 },
      );
    }

    // Both lose the network and each books an overlapping afternoon; each device alone sees no clash.
    await aContext.setOffline(true);
    await bContext.setOffline(true);
    await expect(a.getByTestId('sync-badge')).toHaveAttribute('data-state', 'offline');
    await book(a, '14:00', '16:00', '主题党日活动', '第一党支部');
    await book(b, '15:00', '17:00', '网格员培训', '社区网格站');
    await expect(a.getByTestId('venue-conflicts')).toHaveCount(0);
    await expect(b.getByTestId('venue-conflicts')).toHaveCount(0);

    // On this device the same hour is refused at once.
    await a.goto('/#/party/venues/book');
    const again = a.getByTestId('booking-form');
    await again.getByLabel('日期').fill(DAY);
    await again.getByLabel('开始时间').fill('15:30');
    await again.getByLabel('结束时间').fill('16:30');
    await again.getByLabel('活动内容').fill('书法班');
    await again.getByLabel('组织方').fill('老年协会');
    await again.getByRole('button', { name: '预约' }).click();
    await expect(a.getByTestId('resources-error')).toHaveText(
      `该场地${DAY} 14:00-16:00已预约（主题党日活动），不能重复预约。`,
    );

    // Back online: both bookings are kept and both devices show the conflict.
    await aContext.setOffline(false);
    await bContext.setOffline(false);
    for (const page of [a, b]) {
      await expect(page.getByTestId('sync-badge')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
    }
    for (const page of [a, b]) {
      await page.goto('/#/party/venues');
      const conflicts = page.getByTestId('venue-conflict');
      await expect(conflicts).toHaveCount(1, { timeout: 30_000 });
      await expect(conflicts).toContainText(`多功能活动室 ${DAY}：`);
      await expect(conflicts).toContainText(`主题党日活动（14:00-16:00，${tokenUser(aToken)}）`);
      await expect(conflicts).toContainText(`网格员培训（15:00-17:00，${tokenUser(bToken)}）`);
      await expect(page.getByTestId('venue-row')).toContainText('冲突 2');
    }

    // A person resolves it on device A, by keyboard: the training moves to 16:00-18:00.
    await a.getByRole('link', { name: '去处理冲突' }).focus();
    await a.keyboard.press('Enter');
    const rows = a.getByTestId('booking-row');
    await expect(rows).toHaveCount(2);
    const training = rows.filter({ hasText: '社区网格站' });
    await expect(training.getByTestId('booking-conflict')).toHaveText('冲突：与“主题党日活动”');
    await training.getByRole('button', { name: '调整' }).click();
    await a.getByLabel('开始时间').fill('16:00');
    await a.getByLabel('结束时间').fill('18:00');
    await a.getByRole('button', { name: '确认调整' }).click();
    await expect(a.getByTestId('venue-conflicts')).toHaveCount(0);
    await expect(a.getByText('没有预约。')).toBeVisible();

    // Device B sees it resolved, both bookings kept.
    await b.goto('/#/party/venues/bookings');
    await expect(b.getByTestId('venue-conflicts')).toHaveCount(0, { timeout: 30_000 });
    await expect(b.getByTestId('booking-row')).toHaveCount(2);
    await expect(b.getByTestId('booking-row').filter({ hasText: '网格员培训' })).toContainText(`${DAY} 16:00-18:00`);

    await aContext.close();
    await bContext.close();
  });

  test('resources: a project from need to contract PDF, and a care payment that reduces the fund and shows in the yearly report', async ({
    browser,
    syncServer,
  }) => {
    test.setTimeout(300_000);
    await syncServer.addCommunity(XIHE, '西河社区');
    const seed = await syncServer.issue('seed', XIHE);
    await syncServer.seedRegistry(XIHE, seed.token, 40);
    const token = (await syncServer.issue('社区书记王红', XIHE, 'admin')).token;
    const context = await browser.newContext();
    const page = await context.newPage();
    await join(page, syncServer, token);

    // The need is published.
    await page.goto('/#/party/projects/new');
    const form = page.getByTestId('project-form');
    await form.getByLabel('项目名称').fill('社区老年助餐点');
    await form.getByLabel('居民需求').fill('独居和高龄老人午餐难，希望在日间照料中心开设助餐点。');
    await form.getByRole('button', { name: '发布' }).click();
    const status = page.getByTestId('project-status');
    await expect(status).toHaveText('征求意见中');

    // A resident of the registry votes and comments.
    const consult = page.getByTestId('project-consult');
    await expect(consult.getByLabel('居民', { exact: true }).locator('option').first()).not.toHaveText('没有找到居民', {
      timeout: 30_000,
    });
    await consult.getByLabel('表决意见').selectOption('agree');
    await consult.getByRole('button', { name: '登记表决' }).click();
    await expect(page.getByTestId('project-tally')).toHaveText('同意1，反对0，弃权0');
    await consult.getByLabel('意见', { exact: true }).fill('价格要实惠');
    await consult.getByRole('button', { name: '登记意见' }).click();
    await expect(page.getByTestId('project-comments')).toContainText('价格要实惠');

    // 拒签 needs a reason; it is approved instead.
    await page.getByRole('button', { name: '拒签' }).click();
    await expect(page.getByTestId('resources-error')).toHaveText('拒签理由必须填写');
    await page.getByRole('button', { name: '通过' }).click();
    await expect(status).toHaveText('已通过');

    // The contract from the template, printed to PDF.
    const contract = page.getByTestId('contract-form');
    await contract.getByLabel('服务机构').fill('幸福里养老服务有限公司');
    await contract.getByLabel('联系人及电话').fill('周经理 028-88886666');
    await contract.getByLabel('年租金（元）').fill('12000');
    await contract.getByRole('button', { name: '签订协议' }).click();
    await expect(status).toHaveText('已签约');
    await page.getByRole('link', { name: '打印协议 / 存为PDF' }).click();
    await expect(page.getByTestId('contract-page')).toContainText('乙方：幸福里养老服务有限公司');
    await page.emulateMedia({ media: 'print' });
    const text = (await pdfText(await page.pdf({ format: 'A4' }))).replace(/\s+/g, '');
    await page.emulateMedia({ media: 'screen' });
    expect(text).toContain('社区项目服务协议');
    expect(text).toContain('甲方：西河社区居民委员会');
    expect(text).toContain('乙方：幸福里养老服务有限公司');
    expect(text).toContain('年租金12,000.00元');
    expect(text).toContain('第三条服务承诺');
    expect(text).toContain('收费项目调价提前30天征求居民意见');
    // Only the contract prints: nothing of the app's navigation.
    expect(text).not.toContain('党建与资源');
    await page.keyboard.press('Escape');

    // The care fund receives its allocation, then pays a party member's visit.
    await page.goto('/#/party/funds/new');
    const entry = page.getByTestId('fund-form');
    await entry.getByLabel('资金').selectOption('care');
    await entry.getByLabel('金额（元）').fill('2000');
    await entry.getByRole('button', { name: '记账' }).click();
    await expect(page.getByTestId('fund-balance-care')).toHaveText('¥2,000.00');
    await page.goto('/#/party/funds/new');
    await entry.getByLabel('资金').selectOption('care');
    await entry.getByRole('radio', { name: '支出' }).check();
    await entry.getByLabel('金额（元）').fill('3000');
    const member = entry.getByLabel('慰问党员', { exact: true });
    await expect(member.locator('option').first()).not.toHaveText('没有找到居民', { timeout: 30_000 });
    const memberName = (await member.locator('option:checked').textContent()) ?? '';
    await entry.getByLabel('慰问事由').fill('春节走访慰问老党员');
    await entry.getByRole('button', { name: '记账' }).click();
    await expect(page.getByTestId('resources-error')).toHaveText('支出超过资金余额（余额2,000.00元）。');
    await entry.getByLabel('金额（元）').fill('500');
    await entry.getByRole('button', { name: '记账' }).click();
    await expect(page.getByTestId('fund-balance-care')).toHaveText('¥1,500.00');
    await expect(page.getByTestId('fund-row').first()).toContainText(`慰问：${memberName}；春节走访慰问老党员`);

    // The yearly report of the care fund.
    await page.goto('/#/party/funds/report');
    await page.getByLabel('资金', { exact: true }).selectOption('care');
    const report = page.getByTestId('fund-report');
    await expect(page.getByRole('heading', { name: `党员关爱基金${YEAR}年度收支报表` })).toBeVisible();
    await expect(report.getByTestId('report-income')).toHaveText('2,000.00');
    await expect(report.getByTestId('report-spending')).toHaveText('500.00');
    await expect(report.getByTestId('report-closing')).toHaveText('1,500.00');
    await expect(report.getByTestId('fund-report-entries')).toContainText(`慰问：${memberName}；春节走访慰问老党员`);
    // Exported to Excel as well.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出Excel' }).click();
    expect((await download).suggestedFilename()).toBe(`党员关爱基金${YEAR}年度收支报表.xlsx`);

    await context.close();
  });
});
