/**
 * 便民服务 and 数据看板 end to end (issue 20), in the demo community: the window accepts an application for a resident
 * found in the registry (its materials checked one by one), finishes it and records the resident's rating; the
 * dashboard counts it on top of the demo's own records, and the exported workbook (a real .xlsx downloaded) reads back
 * with the numbers the KPI cards show.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { signIn } from './support/account';
import { expect, test } from './support/fixtures';
import { ExcelJS } from './support/xlsx';

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

const percent = (value: unknown) => (typeof value === 'number' ? `${(value * 100).toFixed(1)}%` : '—');

test.describe('events: residents’ services and the dashboard', () => {
  test('an application made, done and rated is counted on the dashboard, and the workbook says the same', async ({
    page,
  }) => {
    test.setTimeout(360_000);
    await page.goto('/#/registry');
    await signIn(page);
    await page.getByRole('button', { name: '载入示范社区' }).click();
    await expect(page.getByTestId('resident-row').first()).toBeVisible({ timeout: 150_000 });

    // This month's dashboard before (the demo has services, tasks and cases of its own).
    await page.goto('/#/overview');
    await expect(page.getByTestId('ov-kpi-workload')).toBeVisible({ timeout: 60_000 });
    const workloadBefore = Number(await page.getByTestId('ov-kpi-workload').textContent());

    // The demo's catalogue and applications.
    await page.goto('/#/services');
    await expect(page.getByTestId('service-row').first()).toBeVisible({ timeout: 30_000 });

    await page.getByRole('link', { name: '新办件' }).click();
    await page.getByLabel('服务事项').selectOption({ label: '高龄津贴申领（政务服务，5个工作日）' });
    await page.getByRole('searchbox', { name: '在居民档案中查找申请人' }).fill('王');
    const hit = page.getByTestId('service-resident-hit').first();
    await expect(hit).toBeVisible({ timeout: 15_000 });
    const resident = ((await hit.textContent()) ?? '').split('（')[0] ?? '';
    await hit.click();
    await expect(page.getByRole('textbox', { name: /^申请人/ })).toHaveValue(resident);
    await page.getByRole('radio', { name: '电话' }).check();
    await page.getByLabel('身份证', { exact: true }).check();
    await page.getByLabel('户口簿', { exact: true }).check();
    await page.getByRole('button', { name: '受理', exact: true }).click();
    // A material left unchecked is named, and nothing is accepted.
    await expect(page.getByTestId('service-error')).toHaveText(
      '材料不齐，不能受理：缺少银行卡。请一次性告知申请人补齐。',
    );
    await page.getByLabel('银行卡', { exact: true }).check();
    await page.getByRole('button', { name: '受理', exact: true }).click();

    await expect(page.getByTestId('service-status')).toHaveText('已受理', { timeout: 15_000 });
    await expect(page.getByTestId('service-promise')).toHaveText('剩5个工作日');
    const done = page.getByTestId('service-form-done');
    await done.getByLabel('办理结果').fill('资料齐全，当场录入，津贴次月发放');
    await done.getByRole('button', { name: '办结' }).click();
    await expect(page.getByTestId('service-status')).toHaveText('已办结');
    const rated = page.getByTestId('service-form-rated');
    await rated.getByRole('radio', { name: '非常满意' }).check();
    await rated.getByRole('button', { name: '记录评价' }).click();
    await expect(page.getByText('非常满意', { exact: true }).last()).toBeVisible();
    await expect(page.getByTestId('service-form-rated')).toHaveCount(0);

    // The dashboard counts it, and the workbook reads back with the cards' numbers.
    await page.goto('/#/overview');
    await expect(page.getByTestId('ov-kpi-workload')).toHaveText(String(workloadBefore + 1), { timeout: 60_000 });
    const shown = {
      workload: await page.getByTestId('ov-kpi-workload').textContent(),
      closeRate: await page.getByTestId('ov-kpi-closeRate').textContent(),
      onTimeRate: await page.getByTestId('ov-kpi-onTimeRate').textContent(),
      satisfaction: await page.getByTestId('ov-kpi-satisfaction').textContent(),
      overdue: await page.getByTestId('ov-kpi-overdue').textContent(),
    };
    const exported = await download(page, '导出Excel');
    expect(exported.name).toMatch(/^数据看板-\d{4}-\d{2}\.xlsx$/);
    const kpis = await sheetRows(exported.bytes, '核心指标');
    expect(kpis[1]).toEqual(['指标', '本期', '上期', '变化']);
    const row = (name: string) => kpis.find((r) => r[0] === name) ?? [];
    expect(String(row('工作量')[1])).toBe(shown.workload);
    expect(percent(row('办结率')[1])).toBe(shown.closeRate);
    expect(percent(row('按期办结率')[1])).toBe(shown.onTimeRate);
    expect(percent(row('满意率')[1])).toBe(shown.satisfaction);
    expect(String(row('超期未办')[1])).toBe(shown.overdue);
    const ranking = await sheetRows(exported.bytes, '社区排名');
    expect(ranking[2]?.[1]).toBe('西河社区');
    expect(String(ranking[2]?.[8])).toBe(shown.workload);
  });
});
