/**
 * 社情民意 end to end (issue 20), through the real sync server: a grid worker records an event offline with a photo in
 * the field; back online it syncs; the office accepts it and hands it to a building head of the registry, asks to
 * close it and closes it; the call-back is rated 不满意, which reopens it; it is closed again, and the worker's device
 * sees the outcome.
 */
import { expect, join, test } from './support/syncServer';

const XIHE = 'xihe-a';
const TITLE = '楼道堆放杂物堵塞消防通道';
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

test.describe('events', () => {
  test('events: recorded offline with a photo, synced, handed to a building head, closed, rated 不满意, reopened, closed again', async ({
    browser,
    syncServer,
  }) => {
    test.setTimeout(420_000);
    await syncServer.addCommunity(XIHE, '西河社区');
    const seed = await syncServer.issue('seed', XIHE);
    await syncServer.seedRegistry(XIHE, seed.token, 40);
    const workerToken = await syncServer.issue('网格员王芳', XIHE);
    const officeToken = await syncServer.issue('社区干部李明', XIHE);
    const workerContext = await browser.newContext();
    const officeContext = await browser.newContext();
    const worker = await workerContext.newPage();
    const office = await officeContext.newPage();
    await join(worker, syncServer, workerToken.token);
    await join(office, syncServer, officeToken.token);

    // The grid worker opens 登记 while online (the screen's code is loaded), then loses the network in the grid.
    await worker.goto('/#/events/new');
    const form = worker.getByTestId('incident-report-form');
    await expect(form).toBeVisible({ timeout: 30_000 });
    await expect(form.getByLabel('楼栋').locator('option')).not.toHaveCount(1, { timeout: 30_000 });
    await workerContext.setOffline(true);
    await expect(worker.getByTestId('sync-badge')).toHaveAttribute('data-state', 'offline');

    // Submitting empty says what is missing, beside each field.
    await form.getByRole('button', { name: '提交' }).click();
    await expect(form.getByText('标题必须填写')).toBeVisible();
    await form.getByLabel('标题').fill(TITLE);
    await form.getByLabel('内容').fill('3单元楼道堆放纸箱和旧家具，居民反映有消防隐患。');
    await form.getByLabel('楼栋').selectOption({ index: 1 });
    await expect(form.getByLabel('小区')).not.toHaveValue('');
    await form.getByLabel('诉求类型').selectOption('complaint');
    await form.getByRole('textbox', { name: '反映人' }).fill('刘阿姨');
    const chooser = worker.waitForEvent('filechooser');
    await form.getByRole('button', { name: '添加照片或附件…' }).click();
    await (await chooser).setFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: TINY_PNG });
    await expect(form.getByTestId('incident-report-file')).toHaveCount(1);
    await form.getByRole('button', { name: '提交' }).click();
    await expect(worker.getByTestId('incident-reported')).toContainText(`已登记：${TITLE}。`);
    await worker.getByRole('link', { name: '查看事件' }).click();
    await expect(worker.getByTestId('incident-status')).toHaveText('待受理');
    await expect(worker.getByTestId('incident-file')).toHaveCount(1);

    // Back online, it syncs.
    await workerContext.setOffline(false);
    await expect(worker.getByTestId('sync-badge')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });

    // The office sees it in its queue, past nothing yet, and opens it by keyboard.
    await office.goto('/#/events');
    const row = office.getByTestId('incident-row').filter({ hasText: TITLE });
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(row.getByTestId('incident-status')).toHaveText('待受理');
    await row.focus();
    await office.keyboard.press('Enter');
    const status = office.getByTestId('incident-status');
    await expect(status).toHaveText('待受理');
    await expect(office.getByTestId('incident-file').locator('img')).toBeVisible({ timeout: 30_000 });

    await office.getByRole('button', { name: '受理', exact: true }).click();
    await expect(status).toHaveText('已受理');
    // 交办 to the building's head, from the registry.
    await office.getByRole('button', { name: '交办', exact: true }).click();
    const to = office.getByLabel('交办给');
    await expect(to.locator('option')).not.toHaveCount(1, { timeout: 30_000 });
    await to.selectOption({ index: 1 });
    const chosen = (await to.locator('option:checked').textContent()) ?? '';
    const headName = chosen.split(' · ').at(-1) ?? '';
    expect(chosen).toContain('楼栋长');
    await office.getByLabel('抄告').fill('小区物业');
    await office.getByRole('button', { name: '提交' }).click();
    await expect(status).toHaveText('处置中');
    await expect(office.getByTestId('incident-assignee')).toContainText(headName);

    const close = async (note: string) => {
      await office.getByRole('button', { name: '申请结案' }).click();
      await office.getByLabel('处置情况').fill(note);
      await office.getByRole('button', { name: '提交' }).click();
      await expect(status).toHaveText('待核查');
      await office.getByRole('button', { name: '核查通过并结案' }).click();
      await expect(status).toHaveText('已结案');
    };
    await close('楼栋长已组织清理，物业加强巡查');

    // The call-back: 不满意 needs the resident's words, and reopens it.
    await office.getByRole('button', { name: '回访' }).click();
    await office.getByLabel('满意度').selectOption('2');
    await office.getByRole('button', { name: '提交' }).click();
    await expect(office.getByText('评价为不满意时，请记下群众的意见。')).toBeVisible();
    await office.getByLabel('群众意见').fill('纸箱又堆回来了');
    await office.getByRole('button', { name: '提交' }).click();
    await expect(status).toHaveText('处置中');
    await expect(office.getByText('返工 1 次')).toBeVisible();
    await expect(office.getByTestId('incident-due')).toHaveText('处置剩15个工作日');

    await close('已清走杂物并张贴禁止堆放提示');
    const timeline = office.getByTestId('incident-timeline');
    await expect(timeline).toContainText('电话回访：不满意，重新办理。群众意见：纸箱又堆回来了');
    await expect(timeline.getByText(/结案（按期/)).toHaveCount(2);

    // The worker's device sees the outcome.
    await worker.goto('/#/events');
    await worker.getByLabel('状态').selectOption('');
    const mine = worker.getByTestId('incident-row').filter({ hasText: TITLE });
    await expect(mine.getByTestId('incident-status')).toHaveText('已结案', { timeout: 30_000 });

    await workerContext.close();
    await officeContext.close();
  });
});
