import type { BrowserContext, Locator, Page } from '@playwright/test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { readFile } from 'node:fs/promises';
import { signIn } from './support/account';
import { expect, test } from './support/fixtures';
import { join, test as syncTest } from './support/syncServer';
import { ExcelJS } from './support/xlsx';

/** The text of each page of a PDF, whitespace removed (pdf.js, no rendering). */
async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str : ''))
        .join('')
        .replace(/\s+/g, ''),
    );
  }
  await pdf.destroy();
  return pages;
}

/** Every text item of every page of a PDF, joined. */
async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await pdfPages(bytes)).join('');
}

/** A 1×1 PNG a real browser decodes (the picker redraws photos smaller as JPEG). */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Signs with the signer's typed name (the keyboard alternative to drawing). */
async function signTyped(form: Locator, signer: string) {
  await form.getByLabel('签名人', { exact: true }).selectOption({ label: signer });
  await form.getByText('键盘确认').click();
  await form.getByLabel('由签名人本人输入姓名以确认').fill(signer);
  await form.getByRole('button', { name: '确认签名' }).click();
}

/** Signs by drawing on the pad with the mouse. */
async function signOnPad(page: Page, form: Locator, signer: string) {
  await form.getByLabel('签名人', { exact: true }).selectOption({ label: signer });
  await form.getByText('屏幕手写').click();
  const pad = form.getByTestId('signature-pad');
  const box = await pad.boundingBox();
  if (!box) throw new Error('no signature pad');
  await page.mouse.move(box.x + 30, box.y + 80);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 30 + i * 25, box.y + 80 + (i % 2 ? -30 : 30));
  await page.mouse.up();
  await form.getByRole('button', { name: '确认签名' }).click();
}

/** Registers a case at an address outside the registry, with two typed parties; returns the number shown. */
async function registerAtAddress(page: Page, address: string, applicant: string, respondent: string) {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /调解/ }).click();
  await page.getByRole('navigation', { name: '调解功能' }).getByRole('link', { name: '登记案件' }).click();
  const form = page.getByRole('form', { name: '登记案件' });
  await form.getByLabel('地址', { exact: true }).fill(address);
  await form.getByLabel('简要事实').fill('楼上漏水，楼下天花板受损。');
  for (const [role, name] of [
    ['申请人', applicant],
    ['被申请人', respondent],
  ] as const) {
    await form.getByLabel('身份').selectOption({ label: role });
    await form.getByLabel('姓名', { exact: true }).fill(name);
    await form.getByLabel('姓名', { exact: true }).press('Enter');
  }
  await form.getByRole('button', { name: '登记', exact: true }).click();
  const number = page.getByTestId('case-number');
  await expect(number).toHaveText(/第 \d+ 号$/);
  return (await number.textContent()) ?? '';
}

/** Today in China (the app's day), as a date input takes it. */
function chinaToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

const APPLICANT = '王建国';
const RESPONDENT = '李秀英';
const MEDIATOR = '赵调解';
const RECORDER = '楼栋长小周';

/**
 * Device B (offline) edits a draft session record while device A has every signer sign it; when B comes back, the
 * lock guard undoes B's edit on both devices and keeps it for the admin (A) to see.
 */
async function refusedThroughSync(a: Page, b: Page, contextB: BrowserContext) {
  const SIGNED = '双方同意由楼上修复防水。';
  const OFFLINE = '楼上拒绝修复，改日再调。';
  await registerAtAddress(a, '北湖路9号', APPLICANT, RESPONDENT);
  const actions = a.getByTestId('case-actions');
  await actions.getByRole('button', { name: '记录调解笔录', exact: true }).click();
  const session = actions.getByRole('form', { name: '记录调解笔录', exact: true });
  await session.getByLabel('调解员').fill(MEDIATOR);
  await session.getByLabel('记录人').fill(RECORDER);
  await session.getByLabel('调解结果').fill(SIGNED);
  await session.getByRole('button', { name: '保存笔录' }).click();
  const cardA = a.getByTestId('session-card');
  await expect(cardA).toContainText(SIGNED);

  // B opens the case while online, then goes offline and edits the draft record.
  await b.getByRole('navigation', { name: '调解功能' }).getByRole('link', { name: '案件列表' }).click();
  await b.getByTestId('case-row').filter({ hasText: APPLICANT }).click({ timeout: 30_000 });
  const cardB = b.getByTestId('session-card');
  await expect(cardB).toContainText(SIGNED, { timeout: 30_000 });
  await contextB.setOffline(true);
  await cardB.getByRole('button', { name: '修改笔录' }).click();
  const edit = cardB.getByRole('form', { name: '修改笔录' });
  await edit.getByLabel('调解结果').fill(OFFLINE);
  await edit.getByRole('button', { name: '保存修改' }).click();
  await expect(cardB).toContainText(`调解结果：${OFFLINE}`);

  // Meanwhile A has every party, the mediator and the recorder sign: the record locks with A's text.
  const signA = cardA.getByTestId('signature-form');
  for (const signer of [APPLICANT, RESPONDENT, MEDIATOR, RECORDER]) {
    await signTyped(signA, signer);
    await expect(cardA.getByTestId('session-signed')).toContainText(signer);
  }
  await expect(cardA).toHaveAttribute('data-locked', 'true');

  // B comes back: its edit arrives after the signatures and is undone on both devices, the signed text kept.
  await contextB.setOffline(false);
  await expect(b.getByTestId('sync-badge')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
  for (const card of [cardA, cardB]) {
    await expect(card).toHaveAttribute('data-locked', 'true', { timeout: 30_000 });
    await expect(card).toContainText(`调解结果：${SIGNED}`, { timeout: 30_000 });
    await expect(card).not.toContainText(OFFLINE);
  }
  await expect(cardB.getByRole('button', { name: '修改笔录' })).toHaveCount(0);

  // The admin sees what was refused (B's text), what was kept, and who edited from which device.
  await a.getByRole('navigation', { name: '调解功能' }).getByRole('link', { name: '被拒绝的修改' }).click();
  const refused = a.getByTestId('refused-change');
  await expect(refused).toHaveCount(1, { timeout: 30_000 });
  await expect(refused).toContainText(OFFLINE);
  await expect(refused.getByRole('cell', { name: '调解结果' })).toBeVisible();
  await expect(refused).toContainText(SIGNED);
  await expect(refused).toContainText(/乙（[^）]+）修改调解笔录/);
}

test.describe('mediation', () => {
  test('a water-leak dispute registered offline goes up to the courtyard head, is settled in writing, printed, followed up, closed and counted', async ({
    page,
    context,
  }) => {
    test.setTimeout(180_000);
    await page.goto('/#/registry');
    // The recorder is the signed-in account: records and their histories name it.
    await signIn(page, { name: RECORDER });
    await page.getByRole('button', { name: '载入示范社区' }).click();
    await expect(page.getByTestId('resident-row').first()).toBeVisible({ timeout: 60_000 });

    // From here on the device is offline: nothing of the case needs a network.
    await context.setOffline(true);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /调解/ }).click();
    await page.getByRole('navigation', { name: '调解功能' }).getByRole('link', { name: '登记案件' }).click();
    const form = page.getByRole('form', { name: '登记案件' });
    await expect(form).toBeVisible();

    // A building of an old compound whose own head takes the case, with a courtyard head above.
    const building = form.getByLabel('楼栋');
    const options = await building.locator('option').allTextContents();
    let courtyardHead = '';
    for (const label of options.slice(1)) {
      await building.selectOption({ label });
      const chain = page.getByTestId('intake-chain');
      // The chain follows the choice: wait for this building's own link before reading it.
      await expect(chain.locator(`[data-level="building"][data-node="${label.split(' ').pop() ?? ''}"]`)).toHaveCount(
        1,
      );
      const courtyard = chain.locator('[data-level="courtyard"]');
      const head = (await courtyard.count()) > 0 ? await courtyard.getAttribute('data-head') : null;
      const startsAt = (await page.getByTestId('intake-starts-at').textContent()) ?? '';
      if (startsAt.includes('楼栋长') && head) {
        courtyardHead = head;
        break;
      }
    }
    expect(courtyardHead).not.toBe('');

    await form.getByLabel('纠纷类别').selectOption({ label: '漏水纠纷' });
    await form.getByLabel('风险等级').selectOption({ label: '黄色（中风险）' });
    await form.getByLabel('身份').selectOption({ label: '申请人' });
    await form.getByLabel('姓名', { exact: true }).fill(APPLICANT);
    await form.getByLabel('电话').fill('13900002222');
    await form.getByLabel('住址').fill('3栋201');
    await form.getByLabel('姓名', { exact: true }).press('Enter');
    await form.getByLabel('身份').selectOption({ label: '被申请人' });
    await form.getByLabel('姓名', { exact: true }).fill(RESPONDENT);
    await form.getByLabel('住址').fill('3栋301');
    await form.getByRole('button', { name: '添加当事人' }).click();
    await expect(form.getByTestId('intake-party')).toHaveCount(2);
    await form.getByLabel('简要事实').fill('楼上卫生间漏水，楼下天花板发霉，双方就维修费用发生争执。');
    await form.getByRole('button', { name: '登记', exact: true }).click();

    const number = page.getByTestId('case-number');
    // Numbered after the demo community's own cases of the year.
    await expect(number).toHaveText(/^\(\d{4}\)顺人调字第 \d+ 号$/);
    const caseNumber = (await number.textContent()) ?? '';
    await expect(page.getByTestId('case-status')).toHaveText('已受理');
    await expect(page.getByTestId('case-holder')).toContainText('楼栋长');

    // A photo of the scene added after intake opens in the viewer; Esc closes it.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '添加照片/文件' }).click();
    await (await chooser).setFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: TINY_PNG });
    await expect(page.getByText('已添加“现场照片.png”。')).toBeVisible();
    // Keyboard only: Enter on the image's button opens the viewer, Esc closes it and gives the focus back.
    const openPhoto = page.getByRole('button', { name: '查看图片：现场照片.png' });
    await openPhoto.focus();
    await page.keyboard.press('Enter');
    const viewer = page.getByTestId('attachment-viewer');
    const photo = viewer.getByRole('img', { name: '现场照片.png' });
    await expect(photo).toHaveAttribute('src', /^data:image\/jpeg;base64,/);
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
    await page.keyboard.press('Escape');
    await expect(viewer).toBeHidden();
    await expect(openPhoto).toBeFocused();

    // The building head cannot settle it and escalates to the courtyard head, with a reason.
    const actions = page.getByTestId('case-actions');
    await actions.getByRole('button', { name: '上报', exact: true }).click();
    await expect(page.getByTestId('escalate-to')).toContainText(courtyardHead);
    await actions.getByLabel('上报理由').fill('楼上住户不在家，需院长出面协调');
    await actions.getByLabel('上报理由').press('Enter');
    await expect(page.getByTestId('case-holder')).toHaveText(`当前承办：院长 ${courtyardHead}`);
    await expect(page.getByTestId('case-steps')).toContainText('上报理由：楼上住户不在家');

    // A session, signed by both parties, the mediator and the recorder (one of them drawn on the pad).
    await actions.getByRole('button', { name: '记录调解笔录', exact: true }).click();
    const session = actions.getByRole('form', { name: '记录调解笔录', exact: true });
    await session.getByLabel('调解员').fill(MEDIATOR);
    await session.getByLabel('记录人').fill(RECORDER);
    await session.getByLabel(`${APPLICANT}陈述`).fill('天花板被泡坏，要求赔偿维修费。');
    await session.getByLabel(`${RESPONDENT}陈述`).fill('愿意修好防水，费用可以商量。');
    await session.getByLabel('查明事实').fill('漏水系楼上卫生间防水层老化所致。');
    await session.getByLabel('调解结果').fill('双方同意由楼上修复防水并赔偿。');
    await session.getByRole('button', { name: '保存笔录' }).click();
    await expect(page.getByTestId('case-status')).toHaveText('调解中');
    const sessionCard = page.getByTestId('session-card');
    const signForm = sessionCard.getByTestId('signature-form');
    await signTyped(signForm, APPLICANT);
    await expect(sessionCard.getByTestId('session-signed')).toContainText(APPLICANT);
    await signOnPad(page, signForm, RESPONDENT);
    await expect(sessionCard.getByTestId('session-signed')).toContainText(RESPONDENT);
    await signTyped(signForm, MEDIATOR);
    await signTyped(signForm, RECORDER);
    await expect(sessionCard).toHaveAttribute('data-locked', 'true');
    await expect(sessionCard.getByText('已签署，不可修改')).toBeVisible();

    // A written agreement: every party and the mediator sign, the committee seal is recorded; it takes effect.
    await actions.getByRole('button', { name: '达成协议', exact: true }).click();
    const agreementForm = actions.getByRole('form', { name: '达成协议', exact: true });
    await agreementForm
      .getByLabel('协议内容')
      .fill(`${RESPONDENT}于十日内修复卫生间防水，并赔偿${APPLICANT}维修费800元。`);
    await agreementForm.getByLabel('履行方式').fill('现金当面交付');
    await agreementForm.getByLabel('履行期限').fill('2099-12-31');
    await expect(agreementForm.getByLabel('人民调解员')).toHaveValue(MEDIATOR);
    await agreementForm.getByRole('button', { name: '保存协议' }).click();
    await expect(page.getByTestId('case-status')).toHaveText('协议签署中');
    const agreement = page.getByTestId('agreement-card');
    const agreementSign = agreement.getByTestId('signature-form');
    await signTyped(agreementSign, APPLICANT);
    await signTyped(agreementSign, RESPONDENT);
    await signTyped(agreementSign, MEDIATOR);
    await agreement.getByRole('button', { name: '加盖调委会印章' }).click();
    await expect(agreement.getByTestId('agreement-effective')).toBeVisible();
    await expect(page.getByTestId('case-status')).toHaveText('达成协议');

    // The agreement prints on A4 through the platform (the browser's print dialog), and only the document prints.
    await agreement.getByRole('link', { name: '打印协议书' }).click();
    const documentView = page.getByTestId('agreement-document');
    await expect(documentView).toContainText('人民调解协议书');
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await page.getByRole('button', { name: '打印 / 导出 PDF' }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('button', { name: '打印 / 导出 PDF' })).toBeHidden();
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const text = (await pdfText(new Uint8Array(pdf))).replace(/\s+/g, '');
    expect(text).toContain(caseNumber.replace(/\s+/g, ''));
    expect(text).toContain(APPLICANT);
    expect(text).toContain(RESPONDENT);
    expect(text).toContain('人民调解协议书');
    expect(text).toContain('维修费800元');
    expect(text).not.toContain('五长调解'); // nothing of the app around the document
    await page.getByRole('link', { name: '返回案件' }).click();
    await expect(page.getByTestId('agreement-document')).toBeHidden();

    // Performance, a follow-up visit, then the case is closed.
    await actions.getByRole('button', { name: '开始履行', exact: true }).click();
    await expect(page.getByTestId('case-status')).toHaveText('履行中');
    await actions.getByRole('button', { name: '回访', exact: true }).click();
    const followUp = actions.getByRole('form', { name: '回访', exact: true });
    await followUp.getByLabel('回访人').fill(courtyardHead);
    await followUp.getByLabel('满意度（1-5）').selectOption('5');
    await followUp.getByLabel('回访情况').fill('防水已修复，赔偿已付清。');
    await followUp.getByRole('button', { name: '保存回访' }).click();
    await expect(page.getByTestId('case-status')).toHaveText('已回访');
    await actions.getByRole('button', { name: '结案', exact: true }).click();
    await actions.getByLabel('结案小结').fill('协议履行完毕，结案。');
    await actions.getByRole('button', { name: '结案', exact: true }).last().click();
    await expect(page.getByTestId('case-status')).toHaveText('已结案');
    await expect(page.getByTestId('case-timeline')).toContainText('上报：楼栋长 → 院长');

    // The dossier (卷宗) prints with its sections in order, each from a new page, under the case number.
    await page.getByRole('link', { name: '打印卷宗' }).click();
    await expect(page.getByTestId('dossier-document')).toContainText('结案报告');
    await page.emulateMedia({ media: 'print' });
    const dossier = await pdfPages(new Uint8Array(await page.pdf({ format: 'A4', printBackground: true })));
    await page.emulateMedia({ media: 'screen' });
    expect(dossier[0]?.startsWith(`人民调解卷宗${caseNumber.replace(/\s+/g, '')}`)).toBe(true);
    const sectionPages = ['登记表', '调解笔录', '调解协议', '回访记录'].map((heading) =>
      dossier.findIndex((text) => text.startsWith(heading)),
    );
    expect(sectionPages.every((n, i) => n > (sectionPages[i - 1] ?? 0))).toBe(true);
    const followUpPage = dossier[sectionPages[3] ?? 0] ?? '';
    expect(followUpPage.indexOf('结案报告')).toBeGreaterThan(followUpPage.indexOf('防水已修复'));
    expect(dossier.slice(sectionPages[1]).join('')).toContain('双方同意由楼上修复防水并赔偿');
    await page.getByRole('link', { name: '返回案件' }).click();

    // The list finds it by a party's name; the statistics count it as settled on the spot.
    await page.getByRole('navigation', { name: '调解功能' }).getByRole('link', { name: '案件列表' }).click();
    // The demo's cases are listed too; the search narrows the list to the case (and any demo case of that name).
    const caseRows = page.getByTestId('case-row');
    await expect(caseRows.filter({ hasText: caseNumber })).toHaveCount(1);
    const all = await caseRows.count();
    await page.getByLabel('查找案件').fill(RESPONDENT);
    await expect(caseRows.filter({ hasText: caseNumber })).toHaveCount(1);
    await expect.poll(() => caseRows.count()).toBeLessThan(all);
    await page.getByRole('navigation', { name: '调解功能' }).getByRole('link', { name: '调解统计' }).click();
    // Today only: the demo's cases were registered before today.
    await page.getByLabel('起始日期').fill(chinaToday());
    await expect(page.getByTestId('stat-accepted')).toHaveText('1');
    await expect(page.getByTestId('stat-settled')).toHaveText('1');
    await expect(page.getByTestId('stat-settlement-rate')).toHaveText('100.0%');
    await expect(page.getByTestId('stat-on-the-spot-rate')).toHaveText('100.0%');
    await expect(page.getByTestId('stat-on-time-rate')).toHaveText('100.0%');
    await expect(page.getByTestId('stat-satisfaction')).toHaveText('5.0');
    // The charts are drawn (svg) with the case's category and level.
    await expect(page.locator('svg').filter({ hasText: '漏水纠纷' })).toHaveCount(1);
    await expect(page.locator('svg').filter({ hasText: '院长' })).toHaveCount(1);
    // The Excel export downloads a real workbook whose case sheet holds the case.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 Excel' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(await file.path())) as unknown as ArrayBuffer);
    const caseSheet = workbook.getWorksheet('调解案件');
    // A sheet's values are sparse (index 0 and empty rows are holes): Array.from visits every index.
    const rows = Array.from(caseSheet?.getSheetValues() ?? [], (row) =>
      Array.isArray(row)
        ? row.map((cell) => (typeof cell === 'string' ? cell : JSON.stringify(cell ?? ''))).join('|')
        : '',
    );
    expect(rows.filter((row) => row.includes(caseNumber))).toHaveLength(1);
    expect(rows.find((row) => row.includes(caseNumber))).toContain('漏水纠纷');
    expect(workbook.getWorksheet('调解统计')?.getCell('B2').value).toBe(1);

    // Still there after a reload (back online only so the page itself can load; no sync server is configured).
    await context.setOffline(false);
    await page.reload();
    await signIn(page, { name: RECORDER });
    await page.getByLabel('起始日期').fill(chinaToday());
    await expect(page.getByTestId('stat-settled')).toHaveText('1');
  });
});

syncTest.describe('mediation on two devices', () => {
  syncTest(
    'two laptops register offline with the same number, after sync the later case moves and both show the renumbering; an offline edit of a record signed meanwhile is refused and kept for the admin',
    async ({ browser, syncServer }) => {
      syncTest.setTimeout(180_000);
      const XIHE = 'shunqing-xihe';
      await syncServer.addCommunity(XIHE, '西河社区');
      const seed = await syncServer.issue('seed', XIHE);
      await syncServer.seedRegistry(XIHE, seed.token, 40);
      const contextA = await browser.newContext();
      const contextB = await browser.newContext();
      const a = await contextA.newPage();
      const b = await contextB.newPage();
      // A is the office (admin), B a head's laptop (editor).
      await join(a, syncServer, (await syncServer.issue('甲', XIHE, 'admin')).token);
      await join(b, syncServer, (await syncServer.issue('乙', XIHE)).token);

      // The mediation screen is fetched on first use (after the first paint): open it once online, so a loaded
      // machine cannot leave a device offline before the screen's code arrived.
      for (const page of [a, b]) {
        await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /调解/ }).click();
        await expect(page.getByRole('navigation', { name: '调解功能' })).toBeVisible({ timeout: 30_000 });
      }
      await contextA.setOffline(true);
      await contextB.setOffline(true);
      const numberA = await registerAtAddress(a, '北湖路1号', '甲方甲', '甲方乙');
      const numberB = await registerAtAddress(b, '北湖路2号', '乙方甲', '乙方乙');
      expect(numberA).toMatch(/第 1 号$/);
      expect(numberB).toMatch(/第 1 号$/);

      // Back online: A registered first and keeps number 1; B's case becomes number 2, on both devices.
      await contextA.setOffline(false);
      await expect(a.getByTestId('sync-badge')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
      await contextB.setOffline(false);
      await expect(b.getByTestId('sync-badge')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
      await expect(b.getByTestId('case-number')).toHaveText(/第 2 号$/, { timeout: 30_000 });
      await expect(b.getByTestId('case-renumbered')).toContainText('原第 1 号，现第 2 号');
      for (const page of [a, b]) {
        await page.getByRole('navigation', { name: '调解功能' }).getByRole('link', { name: '案件列表' }).click();
        await expect(page.getByTestId('case-row')).toHaveCount(2, { timeout: 30_000 });
        await expect(page.getByTestId('renumber-notice')).toContainText('原第 1 号，现第 2 号');
        const moved = page.getByTestId('case-row').filter({ hasText: '乙方甲' });
        await expect(moved).toContainText('第 2 号');
        await expect(page.getByTestId('case-row').filter({ hasText: '甲方甲' })).toContainText('第 1 号');
      }

      await refusedThroughSync(a, b, contextB);
      await contextA.close();
      await contextB.close();
    },
  );
});
