// Before anything loads Dexie, which looks for IndexedDB when it is first imported.
import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import * as ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { chinaDate } from '@shared/domain/dates';
import { ERROR_COLUMN_HEADER, TEMPLATE_COLUMNS } from '@shared/domain/tasks/template';
import { listTasks, listTemplates } from '@shared/ydoc/tasks';
import { toCommunityId } from '@shared/ydoc/docName';
import { TaskImport } from '../../../../../../renderer/features/tasks/import';
import { periodsToPublish } from '../../../../../../renderer/features/tasks/import/publish';
import { tasksDoc } from '../../../../../../renderer/features/tasks/data';
import { LOAD, useTestStore } from '../../../storeFixture';
import { renderMediation, type TestPlatformLog } from '../../../mediation/mediationFixture';
import { fillTemplate, taskListRows } from '../../../../../fixtures/tasks/taskLists';

const getStore = useTestStore();
const TODAY = chinaDate(new Date());
const YEAR = Number(TODAY.slice(0, 4));

async function workbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  return book;
}

describe('导入任务清单', () => {
  it('checks a filled template, writes the errors back, hands the good rows down, and updates by 文号 the second time', async () => {
    const store = getStore();
    const log: TestPlatformLog = { printed: [], saved: [], toOpen: [] };
    renderMediation(store, <TaskImport communityId="xihe-a" />, '/', log);

    // The blank template, as the person downloads it.
    fireEvent.click(await screen.findByRole('button', { name: '下载空白模板' }, LOAD));
    await waitFor(() => expect(log.saved).toHaveLength(1));
    expect(log.saved[0]?.defaultName).toBe('任务清单导入模板.xlsx');
    const template = log.saved[0]?.content as Uint8Array;

    const rows = taskListRows(4);
    const filled = await fillTemplate(template, [
      rows[0] ?? {},
      { ...rows[1], 督办类型: '重点督办' },
      rows[2] ?? {},
      rows[3] ?? {},
    ]);
    log.toOpen?.push({ name: '九月任务.xlsx', bytes: filled });
    fireEvent.click(screen.getByRole('button', { name: '选择表格并检查…' }));
    await waitFor(() =>
      expect(screen.getByTestId('task-import-summary').textContent).toBe(
        '九月任务.xlsx：新增 3 项，更新 0 项，未变 0 项，有错误 1 行。',
      ),
    );
    const errors = within(screen.getByTestId('task-import-errors'));
    expect(errors.getByText('督办类型应填“工作督办”或“专项督办”（也可不填）')).toBeTruthy();
    // Nothing is written by the check.
    const doc = await store.document(tasksDoc(toCommunityId('xihe-a'), YEAR));
    expect(listTasks(doc)).toEqual([]);

    // The same workbook, with the error beside row 3.
    fireEvent.click(screen.getByRole('button', { name: '下载标注错误的表格' }));
    await waitFor(() => expect(log.saved).toHaveLength(2));
    expect(log.saved[1]?.defaultName).toBe('九月任务-错误标注.xlsx');
    const back = (await workbook(log.saved[1]?.content as Uint8Array)).worksheets[0] as ExcelJS.Worksheet;
    expect(back.getCell(1, TEMPLATE_COLUMNS.length + 1).text).toBe(ERROR_COLUMN_HEADER);
    expect(back.getCell(3, TEMPLATE_COLUMNS.length + 1).text).toBe('督办类型应填“工作督办”或“专项督办”（也可不填）');

    fireEvent.click(screen.getByRole('button', { name: /^导入无误的 3 项/ }));
    const templates = [rows[0], rows[2], rows[3]];
    await waitFor(() => expect(listTemplates(doc)).toHaveLength(3), LOAD);
    const instances = listTasks(doc);
    const expected = listTemplates(doc).reduce(
      (n, t) => n + periodsToPublish(t, YEAR, chinaDate(new Date())).length,
      0,
    );
    expect(instances).toHaveLength(expected);
    expect(new Set(instances.map((s) => s.community))).toEqual(new Set(['xihe-a']));
    expect(
      listTemplates(doc)
        .map((t) => t.docNo)
        .sort(),
    ).toEqual(templates.map((r) => String(r?.文号)).sort());
    expect(screen.getByTestId('task-import-done').textContent).toContain(
      `已导入：新增 3 项，更新 0 项，未变 0 项；共下达 ${expected} 个任务到本社区。`,
    );

    // The fixed list again, one title changed: one new, one updated, two unchanged, by 文号.
    const second = await fillTemplate(template, [
      rows[0] ?? {},
      { ...rows[1], 督办类型: '专项督办' },
      { ...rows[2], 任务名称: '改了名' },
      rows[3] ?? {},
    ]);
    log.toOpen?.push({ name: '九月任务.xlsx', bytes: second });
    fireEvent.click(screen.getByRole('button', { name: '选择表格并检查…' }));
    await waitFor(() =>
      expect(screen.getByTestId('task-import-summary').textContent).toBe(
        '九月任务.xlsx：新增 1 项，更新 1 项，未变 2 项，有错误 0 行。',
      ),
    );
    expect(within(screen.getByTestId('task-import-rows')).getByText('更新：任务名称')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '确认导入 2 项' }));
    await waitFor(() =>
      expect(screen.getByTestId('task-import-done').textContent).toContain('新增 1 项，更新 1 项，未变 2 项'),
    );
    expect(listTemplates(doc).find((t) => t.docNo === rows[2]?.文号)?.title).toBe('改了名');
    expect(listTemplates(doc)).toHaveLength(4);
  });

  it('refuses an old .xls with its own reason and writes nothing', async () => {
    const store = getStore();
    const log: TestPlatformLog = { printed: [], saved: [], toOpen: [] };
    renderMediation(store, <TaskImport communityId="xihe-a" />, '/', log);
    log.toOpen?.push({
      name: 'old.xls',
      bytes: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
    });
    const choose = await screen.findByRole('button', { name: '选择表格并检查…' }, LOAD);
    await waitFor(() => expect(choose).toHaveProperty('disabled', false), LOAD);
    fireEvent.click(choose);
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('这是旧版Excel（.xls）文件'));
    expect(listTasks(await store.document(tasksDoc(toCommunityId('xihe-a'), YEAR)))).toEqual([]);
  });
});
