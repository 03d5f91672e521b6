import type { Page } from '@playwright/test';
import { signIn } from './support/account';
import { expect, test } from './support/fixtures';
import { badChecksum, ExcelJS, makeXlsx, testId, testPhone } from './support/xlsx';

const HEADERS = ['姓名', '性别', '身份证号', '联系电话', '小区', '楼栋', '单元', '门牌号', '与户主关系'];
/** The demo community's commercial compound; its buildings are 1栋 … (docs/registry-model.md, demo.ts). */
const COMPOUND = '锦江花园';

async function openDemoExcelTab(page: Page): Promise<void> {
  await page.goto('/#/registry');
  await signIn(page);
  await page.getByRole('button', { name: '载入示范社区' }).click();
  await expect(page.getByTestId('resident-row').first()).toBeVisible({ timeout: 60_000 });
  await page.getByRole('navigation', { name: '居民与楼栋的栏目' }).getByRole('link', { name: '导入与导出' }).click();
  await expect(page.getByRole('heading', { name: '从Excel导入居民' })).toBeVisible();
}

async function chooseFile(page: Page, file: { name: string; buffer: Buffer }): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: '选择Excel文件' }).click();
  await (await chooser).setFiles({ ...file, mimeType: 'application/octet-stream' });
}

test.describe('registry: Excel import and export', () => {
  test('previews row errors in Chinese, imports only the valid rows, and exports a masked list', async ({ page }) => {
    test.setTimeout(120_000);
    await openDemoExcelTab(page);

    const twice = testId('female', '1988-08-08');
    const bytes = await makeXlsx([
      HEADERS,
      ['导入测试甲', '男', testId('male', '1970-01-02'), testPhone(1), COMPOUND, '1栋', '1单元', '9901', '本人'],
      ['导入测试乙', '女', testId('female', '1972-02-03'), testPhone(2), COMPOUND, '1栋', '1单元', '9901', '配偶'],
      ['导入测试丙', '女', twice, '', COMPOUND, '2栋', '2单元', '9902', '本人'],
      ['校验错误', '男', badChecksum(testId('male', '1960-06-06')), '', COMPOUND, '2栋', '1单元', '9903', '本人'],
      ['重复身份证', '女', twice, '', COMPOUND, '2栋', '2单元', '9902', '子女'],
      ['楼栋不明', '男', testId('male', '1990-09-09'), '', COMPOUND, '99栋', '1单元', '101', '本人'],
    ]);
    await chooseFile(page, { name: '居民花名册.xlsx', buffer: Buffer.from(bytes) });

    const preview = page.getByTestId('import-preview');
    await expect(preview).toBeVisible({ timeout: 30_000 });
    const summary = page.getByTestId('import-summary');
    await expect(summary).toContainText('共 6 行');
    // 99栋 is missing from 锦江花园: listed, and created only if the person leaves the box ticked. Unticked, its row
    // is a problem row.
    await expect(summary).toContainText('将新建 1 栋楼');
    await expect(summary).toContainText('有效 4 行');
    await page.getByRole('checkbox', { name: /导入时新建这 1 栋楼/ }).uncheck();
    await expect(summary).not.toContainText('将新建 1 栋楼');
    await expect(summary).toContainText('有效 3 行');
    await expect(summary).toContainText('有问题 3 行');
    await expect(summary).toContainText('将新建 2 户');
    // Rows with errors come first, numbered as Excel shows them, in Chinese, with ID numbers masked.
    const rows = page.getByTestId('import-rows').locator('tbody tr');
    await expect(rows.nth(0)).toHaveAttribute('data-row', '5');
    await expect(rows.nth(0)).toContainText('身份证号校验位错误');
    await expect(rows.nth(1)).toContainText('身份证号在表格中重复出现（与第 4 行相同）');
    await expect(rows.nth(2)).toContainText('楼栋不存在：99栋');
    await expect(rows.nth(3)).toContainText('可以导入');
    await expect(rows.nth(3).locator('td').nth(2)).toHaveText(/^\d{4}\*{10}[\dX]{4}$/);

    await page.getByRole('button', { name: '导入3条有效记录' }).click();
    await expect(page.getByTestId('import-done')).toContainText('已导入3位居民', { timeout: 30_000 });

    // The residents list follows through the projection.
    await page.getByRole('navigation', { name: '居民与楼栋的栏目' }).getByRole('link', { name: '居民' }).click();
    await page.getByLabel('查找居民').fill('导入测试');
    await expect(page.getByTestId('resident-row')).toHaveCount(3);

    // Export the residents of one category, masked by default; the file reads back with masked ID numbers.
    await page.getByRole('navigation', { name: '居民与楼栋的栏目' }).getByRole('link', { name: '导入与导出' }).click();
    await page.getByRole('combobox', { name: '人员类别' }).click();
    await page.getByRole('option', { name: '党员' }).click();
    const count = Number(/\d+/.exec((await page.getByTestId('export-count').textContent()) ?? '')?.[0]);
    expect(count).toBeGreaterThan(0);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出Excel' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^居民名单-\d{4}-\d{2}-\d{2}\.xlsx$/);
    await expect(page.getByTestId('export-result')).toContainText(`已导出${count}位居民`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await file.path());
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(1).getCell(4).value).toBe('身份证号');
    expect(sheet?.rowCount).toBe(count + 1);
    expect(sheet?.getRow(2).getCell(4).text).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(sheet?.getRow(2).getCell(11).text).toContain('党员');
  });

  test('a file that is not Excel, an old .xls or a CSV gets a clear message and changes nothing', async ({ page }) => {
    test.setTimeout(120_000);
    await openDemoExcelTab(page);
    const message = page.getByTestId('import-message');

    await chooseFile(page, {
      name: '照片.xlsx',
      buffer: Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256)),
    });
    await expect(message).toContainText('这不是Excel文件');
    await expect(page.getByTestId('import-preview')).toHaveCount(0);

    const xls = Buffer.alloc(1024);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(xls);
    await chooseFile(page, { name: '花名册.xls', buffer: xls });
    await expect(message).toContainText('旧版Excel（.xls）');

    await chooseFile(page, { name: '花名册.csv', buffer: Buffer.from(`${HEADERS.join(',')}\n张三,男\n`) });
    await expect(message).toContainText('CSV');

    // A workbook without the required columns: a header alert and nothing to import.
    await chooseFile(page, {
      name: '缺列.xlsx',
      buffer: Buffer.from(
        await makeXlsx([
          ['姓名', '电话'],
          ['张三', '13800000000'],
        ]),
      ),
    });
    await expect(page.getByTestId('import-header-errors')).toContainText('缺少必需的列：身份证号', { timeout: 30_000 });
    await expect(page.getByRole('button', { name: /^导入0条有效记录$/ })).toBeDisabled();
  });

  test('first-week: a messy roster without a 小区 column, a 合计 row, blank rows, a missing building and a bad row: default compound, new building, problem rows to .xlsx and back, then the monthly roster updates', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await openDemoExcelTab(page);
    const headers = ['序号', '姓名', '性别', '身份证号', '联系电话', '楼栋', '单元', '门牌号', '与户主关系', '备注'];
    const first = testId('male', '1966-06-16');
    const bad = badChecksum(testId('female', '1968-08-18'));
    const fixed = testId('female', '1968-08-18');
    const roster = [
      ['西河社区锦江花园居民花名册（2026年12月）'],
      headers,
      ['1', '花名测试甲', '男', first, testPhone(71), '1栋', '1单元', '9801', '本人', '新住户'],
      ['2', '花名测试乙', '女', testId('female', '1970-07-17'), '', '1栋', '1单元', '9801', '配偶', ''],
      [],
      ['3', '花名测试丙', '男', testId('male', '1980-01-18'), testPhone(73), '99栋', '1单元', '101', '本人', ''],
      ['4', '花名测试丁', '女', bad, '', '1栋', '2单元', '9802', '本人', ''],
      ['合计', '', '', '', '', '', '', '', '', '4人'],
    ];
    await chooseFile(page, { name: '锦江花园花名册.xlsx', buffer: Buffer.from(await makeXlsx(roster)) });
    const preview = page.getByTestId('import-preview');
    await expect(preview).toBeVisible({ timeout: 30_000 });
    // Three compounds have a 1栋: without a 小区 column nobody knows which.
    await expect(page.getByTestId('import-rows')).toContainText('楼栋名称不唯一');

    // The compound chosen in the wizard: the sheet is checked again, without choosing the file again.
    await page.getByRole('combobox', { name: '默认小区' }).click();
    await page.getByRole('option', { name: COMPOUND }).click();
    const summary = page.getByTestId('import-summary');
    await expect(summary).toContainText('共 4 行', { timeout: 30_000 });
    await expect(summary).toContainText('有效 3 行');
    await expect(summary).toContainText('有问题 1 行');
    await expect(summary).toContainText('将新建 1 栋楼');
    await expect(page.getByTestId('import-skipped')).toHaveText('已跳过合计行：第 8 行。 已跳过 1 个空行：第 5 行。');
    await expect(page.getByTestId('import-new-buildings')).toContainText(`${COMPOUND}99栋（1 人）`);
    const rows = page.getByTestId('import-rows').locator('tbody tr');
    await expect(rows.nth(0)).toHaveAttribute('data-row', '7');
    await expect(rows.nth(0)).toContainText('身份证号校验位错误');
    await expect(page.getByTestId('import-rows').locator('tr[data-row="6"]')).toContainText('可以导入（新建楼栋）');

    // The problem rows come back as a real workbook: the roster's columns plus 问题, in Chinese.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出有问题的 1 行' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('锦江花园花名册-问题行.xlsx');
    await expect(page.getByTestId('import-problems-exported')).toContainText('已导出 1 行有问题的记录');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await file.path());
    const sheet = workbook.worksheets[0];
    if (sheet === undefined) throw new Error('the problem-rows file has no sheet');
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(1).values).toEqual([undefined, ...headers, '问题']);
    expect(sheet.getRow(2).getCell(2).text).toBe('花名测试丁');
    expect(sheet.getRow(2).getCell(4).text).toBe(bad);
    expect(sheet.getRow(2).getCell(11).text).toContain('身份证号校验位错误');

    await page.getByRole('button', { name: '导入3条有效记录' }).click();
    await expect(page.getByTestId('import-done')).toContainText('已导入3位居民', { timeout: 30_000 });
    await expect(page.getByTestId('import-done')).toContainText('新建 1 栋楼');

    // Fixed in the problem file and imported again: the 问题 column is read past, the row goes in.
    sheet.getRow(2).getCell(4).value = fixed;
    const fixedBytes = Buffer.from(await workbook.xlsx.writeBuffer());
    await chooseFile(page, { name: '锦江花园花名册-问题行.xlsx', buffer: fixedBytes });
    await expect(summary).toContainText('有效 1 行', { timeout: 30_000 });
    await expect(summary).toContainText('有问题 0 行');
    // 序号 is the roster's own column; the 问题 column is not named as unknown.
    await expect(preview.getByText(/^以下列未能识别/)).toHaveText('以下列未能识别，将被忽略：序号');
    await page.getByRole('button', { name: '导入1条有效记录' }).click();
    await expect(page.getByTestId('import-done')).toContainText('已导入1位居民', { timeout: 30_000 });

    // Next month's roster: 甲 has a new phone and an empty 备注. In 只新增 mode the known ID numbers are problems, with a
    // hint; in update mode the preview shows what changes and the empty note is kept.
    const monthly = [
      headers,
      ['1', '花名测试甲', '男', first, testPhone(99), '1栋', '1单元', '9801', '本人', ''],
      ['2', '花名测试戊', '男', testId('male', '1990-02-19'), '', '99栋', '1单元', '102', '本人', ''],
    ];
    await chooseFile(page, { name: '锦江花园花名册-1月.xlsx', buffer: Buffer.from(await makeXlsx(monthly)) });
    await expect(page.getByTestId('import-duplicate-hint')).toContainText('有 1 行的身份证号已在居民名册中', {
      timeout: 30_000,
    });
    await page.getByRole('radio', { name: /新增并更新已有居民/ }).check();
    await expect(summary).toContainText('将更新 1 位', { timeout: 30_000 });
    await expect(summary).toContainText('有效 2 行');
    const updated = page.getByTestId('import-rows').locator('tr[data-row="2"]');
    await expect(updated).toContainText('将更新：');
    await expect(updated).toContainText(/联系电话：139\*{4}\d{4} → 139\*{4}\d{4}/);
    await expect(updated).not.toContainText('备注');
    await page.getByRole('button', { name: '导入2条有效记录' }).click();
    await expect(page.getByTestId('import-done')).toContainText('已导入1位居民，更新1位居民', { timeout: 30_000 });

    // The residents list follows: five imported, the 99栋 of 锦江花园 exists once.
    await page.getByRole('navigation', { name: '居民与楼栋的栏目' }).getByRole('link', { name: '居民' }).click();
    await page.getByLabel('查找居民').fill('花名测试');
    await expect(page.getByTestId('resident-row')).toHaveCount(5);
  });

  test('imports 20,000 rows with progress (timing benchmark)', async ({ page }) => {
    test.skip(!process.env.IMPORT_BENCH, 'set IMPORT_BENCH=1 to run the 20,000-row import');
    test.setTimeout(600_000);
    await openDemoExcelTab(page);
    const rows: (string | null)[][] = [HEADERS];
    for (let i = 0; i < 20_000; i++) {
      const day = new Date(Date.UTC(1950, 0, 1) + Math.floor(i / 500) * 86_400_000).toISOString().slice(0, 10);
      const sex = i % 2 === 0 ? 'male' : 'female';
      rows.push([
        `批量${i}`,
        sex === 'male' ? '男' : '女',
        testId(sex, day),
        testPhone(i),
        COMPOUND,
        `${(i % 16) + 1}栋`,
        '1单元',
        `${8000 + Math.floor(i / 48)}`,
        i % 3 === 0 ? '本人' : '其他',
      ]);
    }
    const bytes = await makeXlsx(rows);
    const started = Date.now();
    await chooseFile(page, { name: '两万人.xlsx', buffer: Buffer.from(bytes) });
    await expect(page.getByTestId('import-progress')).toBeVisible();
    await expect(page.getByTestId('import-summary')).toContainText('有效 20000 行', { timeout: 300_000 });
    const planned = Date.now();
    await page.getByRole('button', { name: '导入20000条有效记录' }).click();
    await expect(page.getByTestId('import-done')).toContainText('已导入20000位居民', { timeout: 300_000 });
    const done = Date.now();
    console.log(`20,000 rows (${bytes.length} bytes): read+check ${planned - started} ms, import ${done - planned} ms`);
  });
});
