/**
 * 任务督办's import, figures and 通报 end to end (issue 19), in the demo community: the street downloads the task-list
 * template, fills it (one row wrong), checks it, downloads the same workbook with the error marked, and imports the
 * good rows; this month's figures count them on top of the demo's own tasks, the Excel export reads back with the same
 * numbers, and the 通报 prints on A4 with only the document.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { signIn } from './support/account';
import { expect, test } from './support/fixtures';
import { ExcelJS } from './support/xlsx';
import { fillTemplate, taskListRows } from '../fixtures/tasks/taskLists';

async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
  }
  await pdf.destroy();
  return pages.join('').replace(/\s+/g, '');
}

async function download(page: Page, button: string): Promise<{ name: string; bytes: Uint8Array }> {
  const event = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  const file = await event;
  return { name: file.suggestedFilename(), bytes: new Uint8Array(await readFile(await file.path())) };
}

async function sheetRows(bytes: Uint8Array, sheet: string): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  const rows: unknown[][] = [];
  workbook.getWorksheet(sheet)?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

test.describe('tasks: import, figures and the 通报', () => {
  test('a task list imported with one bad row written back, then counted in the figures, the export and the 通报', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await page.goto('/#/registry');
    await signIn(page);
    await page.getByRole('button', { name: '载入示范社区' }).click();
    await expect(page.getByTestId('resident-row').first()).toBeVisible({ timeout: 60_000 });

    // This month's figures before the import (the demo has tasks of its own).
    await page.goto('/#/tasks/figures');
    await expect(page.getByRole('heading', { name: '任务统计' })).toBeVisible({ timeout: 30_000 });
    const before = Number(await page.getByTestId('tf-published').textContent({ timeout: 30_000 }));
    const beforeOpen = Number(await page.getByTestId('tf-open-normal').textContent());

    await page.goto('/#/tasks/import');
    await expect(page.getByRole('heading', { name: '导入任务清单' })).toBeVisible({ timeout: 30_000 });
    const template = await download(page, '下载空白模板');
    expect(template.name).toBe('任务清单导入模板.xlsx');
    // Rows 2..5: a quarterly, a monthly (wrong: 重点督办 is no supervision type), a half-yearly and a yearly task.
    const rows = taskListRows(4);
    const filled = await fillTemplate(template.bytes, [
      rows[0] ?? {},
      { ...rows[1], 督办类型: '重点督办' },
      rows[2] ?? {},
      rows[3] ?? {},
    ]);

    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '选择表格并检查…' }).click();
    await (
      await chooser
    ).setFiles({ name: '任务清单.xlsx', buffer: Buffer.from(filled), mimeType: 'application/octet-stream' });
    await expect(page.getByTestId('task-import-summary')).toHaveText(
      '任务清单.xlsx：新增 3 项，更新 0 项，未变 0 项，有错误 1 行。',
      { timeout: 30_000 },
    );
    await expect(page.getByTestId('task-import-errors')).toContainText('督办类型应填“工作督办”或“专项督办”');

    const marked = await download(page, '下载标注错误的表格');
    expect(marked.name).toBe('任务清单-错误标注.xlsx');
    const markedRows = await sheetRows(marked.bytes, '任务清单');
    expect(markedRows[0]?.at(-1)).toBe('导入错误（修改后请重新导入）');
    expect(markedRows[2]?.at(-1)).toBe('督办类型应填“工作督办”或“专项督办”（也可不填）');

    await page.getByRole('button', { name: /^导入无误的 3 项/ }).click();
    // One round of each, the one running now: this quarter's, this half-year's, this year's, handed down today.
    await expect(page.getByTestId('task-import-done')).toContainText(
      '新增 3 项，更新 0 项，未变 0 项；共下达 3 个任务',
      {
        timeout: 60_000,
      },
    );

    // This month's figures count them, not claimed yet, and so do the export's tables.
    await page.goto('/#/tasks/figures');
    await expect(page.getByTestId('tf-published')).toHaveText(String(before + 3), { timeout: 30_000 });
    await expect(page.getByTestId('tf-open-normal')).toHaveText(String(beforeOpen + 3));
    const exported = await download(page, '导出 Excel');
    expect(exported.name).toMatch(/^任务督办统计-\d{4}-\d{2}\.xlsx$/);
    const summary = await sheetRows(exported.bytes, '汇总');
    expect(summary[1]?.slice(0, 2)).toEqual(['范围', '下达数']);
    expect(summary[2]?.slice(0, 2)).toEqual(['合计', before + 3]);
    const byCommunity = await sheetRows(exported.bytes, '按社区');
    expect(byCommunity[2]?.slice(0, 1)).toEqual([1]);
    expect(byCommunity[2]?.[2]).toBe(before + 3);

    await page.getByRole('button', { name: '打印通报' }).click();
    const bulletin = page.getByTestId('task-bulletin');
    await expect(bulletin).toContainText('任务督办情况通报');
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed += 1;
      };
    });
    await page.getByRole('button', { name: '打印通报' }).last().click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const text = await pdfText(new Uint8Array(pdf));
    expect(text).toContain('任务督办情况通报');
    expect(text).toContain(`本期共下达任务${before + 3}项`);
    expect(text).toContain('二、各社区情况及排名');
    expect(text).not.toContain('任务列表'); // nothing of the app around the document
    await page.getByRole('button', { name: '返回' }).click();
    await expect(bulletin).toBeHidden();
  });
});
