import type { Page } from '@playwright/test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { signIn } from './support/account';
import { expect, join, test } from './support/syncServer';

const XIHE = 'shunqing-xihe';
// The generated registry (seed 20260601, 40 residents) gives 锦江花园 this owners' committee.
const COMMITTEE = ['王琳欣', '李宇刚', '孙梅', '姚峰浩', '刘平刚'] as const;

/** A 4×4 PNG, as a phone would hand over a photo (decoded and shrunk to JPEG by the app). */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGM4UaEBRwzEcQBTUhaBGaoOzwAAAABJRU5ErkJggg==';

/** `YYYY-MM-DD` in China, `days` from now. */
function chinaDay(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

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

/** Types at the end of a textarea, as a person does: click, go to the end, type. */
async function typeAtEnd(page: Page, label: string, text: string): Promise<void> {
  const box = page.getByLabel(label);
  await box.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

/** The accessible name of the focused element, as a screen reader would read it (label, aria-label or text). */
async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '';
    const aria = el.getAttribute('aria-label');
    if (aria) return aria;
    const by = el.getAttribute('aria-labelledby');
    if (by)
      return by
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
    const labels = (el as HTMLInputElement).labels;
    if (labels && labels.length > 0) return [...labels].map((l) => l.textContent).join(' ');
    return el.textContent;
  });
}

/**
 * Presses Tab until the focused control is called `name` (a required field's " *" ignored): proves the control is
 * reachable by keyboard, in the page's own tab order (`back`: Shift+Tab, for a control above). Fails after `max`
 * presses.
 */
async function tabTo(page: Page, name: string | RegExp, options: { back?: boolean; max?: number } = {}): Promise<void> {
  const { back = false, max = 150 } = options;
  const matches = (text: string) => {
    const clean = text.replace(/\s*\*\s*$/, '').trim();
    return typeof name === 'string' ? clean === name : name.test(clean);
  };
  for (let i = 0; i < max; i++) {
    if (matches(await focusedName(page))) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`"${String(name)}" not reached with ${max} presses of Tab`);
}

test.describe('meeting records', () => {
  test('two writers, quorum, votes, sign-off, printed minutes and action items through the real sync server', async ({
    browser,
    syncServer,
  }) => {
    test.setTimeout(150_000);
    await syncServer.addCommunity(XIHE, '西河社区');
    const seed = await syncServer.issue('seed', XIHE);
    await syncServer.seedRegistry(XIHE, seed.token, 40);
    const tokenA = await syncServer.issue('甲', XIHE);
    const tokenB = await syncServer.issue('乙', XIHE);
    const contextA = await browser.newContext();
    const contextB = await browser.newContext();
    const a = await contextA.newPage();
    const b = await contextB.newPage();
    await join(a, syncServer, tokenA.token);
    await join(b, syncServer, tokenB.token);

    // A creates an owners' committee meeting of 锦江花园 for tomorrow: the committee is expected.
    await a.goto('/#/meetings/new');
    await a.getByLabel('会议类型').selectOption({ label: '业委会会议' });
    await a.getByLabel('会议名称').fill('业委会第三次会议');
    await a.getByLabel('会议时间').fill(`${chinaDay(1)}T09:30`);
    await a.getByLabel('会议地点').fill('锦江花园会议室');
    await a.getByLabel('小区').selectOption({ label: '锦江花园' });
    await a.getByLabel('主持人').fill('王琳欣');
    await expect(a.getByTestId('expected-preview')).toContainText('应到5人', { timeout: 30_000 });
    await a.getByRole('button', { name: '创建会议' }).click();
    await expect(a.getByRole('heading', { name: '业委会第三次会议', level: 2 })).toBeVisible();

    // Agenda, then the notice one day ahead: published, with the 2-days warning.
    await a.getByLabel(/^议题/).fill('加装电梯');
    await a.getByLabel('提议人').fill('刘平刚');
    await a.getByRole('button', { name: '添加议题' }).click();
    await expect(a.getByTestId('agenda-item')).toContainText('加装电梯');
    await a.getByRole('button', { name: '发布会议通知' }).click();
    await expect(a.getByRole('status').filter({ hasText: '通知只提前了1天发布' })).toBeVisible();
    await expect(a.getByTestId('meeting-status')).toHaveText('已发通知');

    // Before the start the quorum is a preview, not a red alert.
    await expect(a.getByTestId('quorum')).toHaveAttribute('data-started', 'false');
    await expect(a.getByTestId('quorum')).toContainText('会议开始后按签到计算出席人数');
    // Start: the meeting is set for tomorrow, so starting today is asked first; the actual start time is kept.
    await a.getByRole('button', { name: '开始会议（生成签到表）' }).click();
    await expect(a.getByRole('alertdialog')).toContainText(chinaDay(1));
    await expect(a.getByTestId('meeting-status')).toHaveText('已发通知');
    await a.getByRole('button', { name: '确定提前开始' }).click();
    await expect(a.getByRole('row', { name: /实际开始时间/ })).toContainText(chinaDay(0));
    // The sheet holds the five members. Two in (one late): no quorum, and a vote is refused.
    await expect(a.getByTestId('attendee-row')).toHaveCount(5);
    await a.getByRole('button', { name: `${COMMITTEE[0]}：到会` }).click();
    await a.getByRole('button', { name: `${COMMITTEE[1]}：迟到` }).click();
    await a.getByLabel(`${COMMITTEE[3]}的缺席原因`).fill('出差');
    await a.getByRole('button', { name: `${COMMITTEE[3]}：缺席` }).click();
    await expect(a.getByTestId('quorum')).toHaveAttribute('data-reached', 'false');
    await expect(a.getByTestId('quorum')).toContainText('实到2人');
    const voteForm = a.getByRole('form', { name: '“加装电梯”的表决' });
    await voteForm.getByLabel('赞成').fill('2');
    await voteForm.getByLabel('决议内容').fill('同意加装电梯，费用按面积分摊');
    await voteForm.getByRole('button', { name: '记录表决结果' }).click();
    await expect(voteForm.getByRole('alert').first()).toContainText('不能表决');
    await expect(a.getByTestId('result-badge')).toHaveText('未表决');

    // B opens the same meeting from the list (it arrived by sync) and both write the minutes.
    await b.goto('/#/meetings');
    await b.getByLabel('查找会议').fill('业委会第三次');
    await expect(b.getByTestId('meeting-row').first().locator('td').first()).toHaveText('业委会第三次会议', {
      timeout: 30_000,
    });
    await b.getByTestId('meeting-row').first().click();
    const minutesLabel = '讨论记录：加装电梯';
    await expect(b.getByLabel(minutesLabel)).toBeEditable();
    await typeAtEnd(a, minutesLabel, '甲记录：业主普遍支持。');
    await expect(b.getByLabel(minutesLabel)).toHaveValue('甲记录：业主普遍支持。');

    // B goes offline and keeps writing; A writes meanwhile; back online, both texts are in both.
    await contextB.setOffline(true);
    await expect(b.getByTestId('sync-badge')).toHaveAttribute('data-state', 'offline');
    await typeAtEnd(b, minutesLabel, '乙补记：一楼住户有异议。');
    await typeAtEnd(a, minutesLabel, '甲又记：物业愿意配合。');
    await contextB.setOffline(false);
    await expect(b.getByTestId('sync-badge')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
    for (const page of [a, b]) {
      await expect(page.getByLabel(minutesLabel)).toHaveValue(/甲记录：业主普遍支持。/);
      await expect(page.getByLabel(minutesLabel)).toHaveValue(/乙补记：一楼住户有异议。/);
      await expect(page.getByLabel(minutesLabel)).toHaveValue(/甲又记：物业愿意配合。/);
    }
    const merged = await a.getByLabel(minutesLabel).inputValue();
    await expect(b.getByLabel(minutesLabel)).toHaveValue(merged);

    // A third member signs in: quorum reached (more than half of 5), and 3 for passes (half of all 5 or more).
    await a.getByRole('button', { name: `${COMMITTEE[2]}：到会` }).click();
    await expect(a.getByTestId('quorum')).toHaveAttribute('data-reached', 'true');
    await voteForm.getByLabel('赞成').fill('3');
    await voteForm.getByRole('button', { name: '记录表决结果' }).click();
    await expect(a.getByTestId('result-badge')).toHaveText('通过');

    // An action item for A (the acting person) shows on A's own list.
    const actionForm = a.getByRole('form', { name: '添加落实事项' });
    await actionForm.getByLabel('事项').fill('联系电梯公司出方案');
    await expect(actionForm.getByLabel('责任人')).toHaveValue('甲');
    await actionForm.getByLabel('完成期限').fill(chinaDay(14));
    await actionForm.getByRole('button', { name: '添加落实事项' }).click();
    await expect(a.getByTestId('action-item')).toContainText('联系电梯公司出方案');

    // Finish, review, sign (host and recorder), sign off: locked, the minutes read-only on both devices.
    await a.getByRole('button', { name: '会议结束，起草纪要' }).click();
    await a.getByRole('button', { name: '提交与会人员审阅' }).click();
    await expect(a.getByTestId('missing-signatures')).toContainText('主持人');
    await a.getByRole('button', { name: '签字确认并锁定' }).click();
    await expect(a.getByRole('alert').filter({ hasText: '还缺少签字' }).first()).toBeVisible();
    const signForm = a.getByRole('form', { name: '登记签字' });
    await signForm.getByRole('button', { name: '签字' }).click();
    await signForm.getByLabel('签字身份').selectOption({ label: '记录人' });
    await signForm.getByRole('button', { name: '签字' }).click();
    await expect(a.getByTestId('missing-signatures')).toContainText('签字已齐');
    await a.getByRole('button', { name: '签字确认并锁定' }).click();
    await expect(a.getByTestId('meeting-status')).toHaveText('已签字锁定');
    await expect(a.getByTestId('meeting-locked')).toBeVisible();
    await expect(a.getByLabel(minutesLabel)).not.toBeEditable();
    await expect(b.getByTestId('meeting-status')).toHaveText('已签字锁定', { timeout: 15_000 });
    await expect(b.getByLabel(minutesLabel)).not.toBeEditable();
    await expect(a.getByRole('button', { name: `${COMMITTEE[4]}：到会` })).toHaveCount(0);

    // The printed minutes (A4, print media) list the attendees and the resolution.
    await a.getByRole('button', { name: '会议记录', exact: true }).click();
    await expect(a.getByTestId('print-page')).toContainText('同意加装电梯');
    await a.emulateMedia({ media: 'print' });
    // No heading may end a printed page (落实事项 was seen as the last line of a page, its list on the next).
    const headingBreaks = await a
      .getByTestId('print-page')
      .locator('h1, h2')
      .evaluateAll((hs) => hs.map((h) => getComputedStyle(h).breakAfter));
    expect(headingBreaks.length).toBeGreaterThan(3);
    expect(new Set(headingBreaks)).toEqual(new Set(['avoid']));
    const text = (await pdfText(await a.pdf({ format: 'A4' }))).replace(/\s+/g, '');
    await a.emulateMedia({ media: 'screen' });
    expect(text).toContain('业委会第三次会议');
    for (const name of COMMITTEE) expect(text).toContain(name);
    expect(text).toContain('实到（3人）');
    expect(text).toContain('出差');
    expect(text).toContain('同意加装电梯，费用按面积分摊');
    expect(text).toContain('通过');
    expect(text).toContain('甲记录：业主普遍支持。');
    expect(text).toContain('乙补记：一楼住户有异议。');
    // Only the document prints: nothing of the app's navigation.
    expect(text).not.toContain('打印/导出PDF');
    expect(text).not.toContain('居民与楼栋');
    // The signatures typed on screen print as the typed names with a caption in China time and Chinese, never the
    // English UTC caption of the stored picture; the record prints when it actually started.
    await expect(a.getByTestId('typed-signature')).toHaveCount(2);
    await expect(a.getByTestId('typed-signature').first()).toContainText(`电子签名 ${chinaDay(0)}`);
    expect(text).toContain('电子签名');
    expect(text).not.toMatch(/typed\d{4}-/);
    expect(text).toContain('实际开始时间');

    // The resolutions notice (决议公示) of the signed record: the resolution and how the vote went, counts included.
    await a.goto(a.url().replace(/\/print\/minutes$/, '/print/resolutions'));
    await expect(a.getByTestId('print-page')).toContainText('决议公示');
    await a.emulateMedia({ media: 'print' });
    const notice = (await pdfText(await a.pdf({ format: 'A4' }))).replace(/\s+/g, '');
    await a.emulateMedia({ media: 'screen' });
    expect(notice).toContain('业委会第三次会议决议公示');
    expect(notice).toContain('加装电梯：同意加装电梯，费用按面积分摊');
    expect(notice).toContain('赞成3票、反对0票、弃权0票');
    expect(notice).toContain('通过');
    expect(notice).not.toContain('甲记录：业主普遍支持。');

    // The action item is on its owner's list (and the dashboard) until answered.
    await a.goto('/#/meetings/actions');
    await expect(a.getByTestId('my-action-item')).toContainText('联系电梯公司出方案');
    await a.goto('/#/');
    await expect(a.getByTestId('dashboard-action-item')).toContainText('联系电梯公司出方案');
    await a.goto('/#/meetings/actions');
    await a.getByLabel('“联系电梯公司出方案”的落实情况').fill('已联系三家公司，下周报价');
    await a.getByRole('button', { name: '办结' }).click();
    await expect(a.getByTestId('my-action-item')).toHaveCount(0);
    await expect(a.getByText('没有待落实的事项。')).toBeVisible();

    await contextA.close();
    await contextB.close();
  });

  test('keyboard only: create a meeting, sign in two attendees, add an agenda item and record a vote', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    // Setting up a community is not part of the walk.
    await page.goto('/#/registry');
    await signIn(page);
    await page.getByLabel('社区名称').fill('北门社区');
    await page.getByLabel('社区编号').fill('shunqing-beimen');
    await page.getByRole('button', { name: '新建社区' }).click();
    await expect(page.getByTestId('community-name')).toContainText('北门社区');
    await expect(page.getByTestId('resident-count')).toHaveText('共 0 人');

    // From here on: Tab, Enter, Space and typing only.
    await page.goto('/#/meetings/new');
    await expect(page.getByRole('heading', { name: '新建会议' })).toBeVisible();
    const day = chinaDay(1);
    await tabTo(page, '会议名称');
    await page.keyboard.type('键盘议事会');
    await tabTo(page, '会议时间');
    // Typed in the Chinese order whatever the browser's language (en-US here: its own datetime field wanted
    // month/day/year and AM/PM); shown as the app writes a time once the field is left.
    await page.keyboard.type(`${day} 1430`);
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('会议时间')).toHaveValue(`${day} 14:30`);
    await tabTo(page, '会议地点');
    await page.keyboard.type('北门社区议事厅');
    await tabTo(page, '召集人');
    await page.keyboard.type('张主任');
    await tabTo(page, '主持人');
    await page.keyboard.type('李主持');
    await tabTo(page, '记录人');
    await page.keyboard.type('王记录');
    await tabTo(page, /^应到人员/);
    await page.keyboard.type('代表甲、代表乙、代表丙');
    await expect(page.getByTestId('expected-preview')).toContainText('应到3人');
    await tabTo(page, '创建会议');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: '键盘议事会', level: 2 })).toBeVisible();

    await tabTo(page, '议题');
    await page.keyboard.type('楼道堆物清理');
    await tabTo(page, '提议人');
    await page.keyboard.type('代表甲');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('agenda-item')).toContainText('楼道堆物清理');

    await tabTo(page, '发布会议通知', { back: true });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('meeting-status')).toHaveText('已发通知');
    await tabTo(page, '开始会议（生成签到表）');
    await page.keyboard.press('Enter');
    // Set for tomorrow: the question takes the focus, Enter confirms the early start.
    await expect(page.getByRole('button', { name: '确定提前开始' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('attendee-row')).toHaveCount(3);

    await tabTo(page, '代表甲：到会');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: '代表甲：到会' })).toHaveAttribute('aria-pressed', 'true');
    await tabTo(page, '代表乙：到会');
    await page.keyboard.press('Space');
    await expect(page.getByTestId('quorum')).toHaveAttribute('data-reached', 'true');
    await expect(page.getByTestId('attendance-counts')).toContainText('实到2人');

    await tabTo(page, '赞成', { back: true });
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2');
    await tabTo(page, '决议内容');
    await page.keyboard.type('本周六统一清理楼道堆物');
    await tabTo(page, '记录表决结果');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('result-badge')).toHaveText('通过');
    await expect(page.getByTestId('agenda-item')).toContainText('本周六统一清理楼道堆物');

    // The photo of the signed paper sheet: picked (the file dialog answered by the test), shrunk, viewed, and
    // counted on the minutes.
    await tabTo(page, '上传签到表照片');
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Enter');
    await (await chooser).setFiles({ name: 'sheet.png', mimeType: 'image/png', buffer: Buffer.from(PNG, 'base64') });
    await expect(page.getByTestId('sign-in-photo')).toHaveCount(1);
    await tabTo(page, '签到表照片 第1张', { back: true });
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: '签到表照片 第1张' });
    await expect(dialog.getByRole('img', { name: '键盘议事会纸质签到表照片第1张' })).toHaveAttribute(
      'src',
      /^data:image\/jpeg;base64,/,
    );
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await page.goto(`${page.url()}/print/minutes`);
    await expect(page.getByTestId('print-sign-in-photos')).toHaveText('纸质签到表照片1张（附后）');
  });
});
