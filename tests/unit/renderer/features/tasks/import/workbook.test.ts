import { describe, expect, it } from 'vitest';
import * as ExcelJS from 'exceljs';
import { readSheet } from '../../../../../../renderer/data/excel';
import {
  ERROR_FILL_ARGB,
  INSTRUCTIONS_SHEET_NAME,
  TASK_SHEET_NAME,
  writeBackErrors,
  writeTaskTemplate,
} from '../../../../../../renderer/features/tasks/import/workbook';
import type { DomainError } from '@shared/domain/result';
import { planTaskImport, type TaskImportPlan } from '@shared/domain/tasks/import';
import { ERROR_COLUMN_HEADER, TEMPLATE_COLUMNS, templateHeader } from '@shared/domain/tasks/template';
import type { TaskTemplate } from '@shared/domain/tasks/types';
import { fillTemplate, setCell, taskListRows, type ListRow } from '../../../../../fixtures/tasks/taskLists';

const describeError = (e: DomainError) => `${e.code}@${e.field ?? ''}`;

async function plan(bytes: Uint8Array, known: readonly TaskTemplate[] = []): Promise<TaskImportPlan> {
  const sheet = await readSheet(bytes);
  if (!sheet.ok) throw new Error(`expected a sheet, got ${sheet.error}`);
  return planTaskImport(sheet.value.rows, known);
}

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  return workbook;
}

/** Every non-empty cell of a sheet as `row:column → text`, for "nothing was lost" comparisons. */
function cellsOf(sheet: ExcelJS.Worksheet, skipColumn?: number): Map<string, string> {
  const out = new Map<string, string>();
  sheet.eachRow((row, r) => {
    row.eachCell((cell, c) => {
      if (c !== skipColumn && cell.text !== '') out.set(`${r}:${c}`, cell.text);
    });
  });
  return out;
}

/** exceljs types `fill` as always there; a cell without one has none. */
const isMarked = (cell: ExcelJS.Cell) => {
  const fill = cell.fill as ExcelJS.Fill | undefined;
  return fill?.type === 'pattern' && fill.fgColor?.argb === ERROR_FILL_ARGB;
};

function templates(p: TaskImportPlan): TaskTemplate[] {
  return p.rows.flatMap((r) => (r.template ? [r.template] : []));
}

describe('the task-list template', () => {
  it('has the task sheet first (the one the import reads) and the instructions sheet with the example row', async () => {
    const workbook = await load(await writeTaskTemplate());
    expect(workbook.worksheets.map((s) => s.name)).toEqual([TASK_SHEET_NAME, INSTRUCTIONS_SHEET_NAME]);
    const headers: string[] = [];
    workbook.worksheets[0]?.getRow(1).eachCell((cell) => headers.push(cell.text));
    expect(headers).toEqual(TEMPLATE_COLUMNS.map(templateHeader));
    // The fixed words come from a drop-down list.
    const kindColumn = TEMPLATE_COLUMNS.indexOf('kind') + 1;
    const validation = workbook.worksheets[0]?.getCell(2, kindColumn).dataValidation;
    expect(validation?.formulae).toEqual(['"工作督办,专项督办"']);
    const help = workbook.getWorksheet(INSTRUCTIONS_SHEET_NAME);
    const texts = [...cellsOf(help as ExcelJS.Worksheet).values()].join('\n');
    expect(texts).toContain('名称:权重');
    expect(texts).toContain('每季度');
    expect(texts).toContain('顺街督〔2026〕12号');
    // Empty, it imports as nothing to do (and no header error).
    const empty = await plan(await writeTaskTemplate());
    expect(empty.headerErrors).toEqual([]);
    expect(empty.rows).toEqual([]);
  });

  it('filled with 30 tasks, imports all 30; written out again by the app, imports them unchanged', async () => {
    const filled = await fillTemplate(await writeTaskTemplate(), taskListRows(30));
    const first = await plan(filled);
    expect(first.counts).toEqual({ create: 30, update: 0, unchanged: 0, errors: 0 });
    const made = templates(first);
    expect(made[2]?.fund).toEqual({ name: '社区发展治理基金', amount: 3000 });
    expect(made[0]?.completionLimit).toBe(11);
    expect(made[1]?.kind).toBe('special');
    // The app's own export of these templates (the template with rows) reads back as the same templates.
    const exported = await plan(await writeTaskTemplate(made), made);
    expect(exported.counts).toEqual({ create: 0, update: 0, unchanged: 30, errors: 0 });
    expect(templates(exported)).toEqual(made);
  });

  it('a second import updates by 文号 and counts new, updated and unchanged rows', async () => {
    const rows = taskListRows(5);
    const known = templates(await plan(await fillTemplate(await writeTaskTemplate(), rows)));
    const edited: ListRow[] = [
      ...rows.slice(0, 3),
      { ...rows[3], 办结时限: 30, 文号: '顺街督[2026]4号' }, // half-width brackets: the same 文号
      { ...rows[4], 任务名称: '改名了' },
      ...taskListRows(2, 100),
    ];
    const second = await plan(await fillTemplate(await writeTaskTemplate(), edited), known);
    expect(second.counts).toEqual({ create: 2, update: 2, unchanged: 3, errors: 0 });
    expect(second.rows[3]?.changed).toEqual(['docNo', 'completionLimit']);
    expect(second.rows[3]?.template?.id).toBe(known[3]?.id);
    expect(second.rows[4]?.changed).toEqual(['title']);
  });
});

describe('errors written back into the same workbook', () => {
  const badRows = (): ListRow[] => {
    const rows = taskListRows(4);
    return [
      rows[0] as ListRow,
      { ...rows[1], 督办类型: '重点督办', 办结时限: '两周' }, // row 3: two cells wrong
      rows[2] as ListRow,
      { ...rows[3], 责任人: null, 节点: '摸底:50；落实:40' }, // row 5: a required cell empty, weights add to 90
    ];
  };

  it('a malformed row gets its errors beside it, the wrong cells red, and nothing of the sheet is lost', async () => {
    const filled = await fillTemplate(await writeTaskTemplate(), badRows());
    const p = await plan(filled);
    expect(p.counts).toEqual({ create: 2, update: 0, unchanged: 0, errors: 2 });
    expect(p.rows[1]?.errors.map(describeError)).toEqual(['invalid@kind', 'number.invalid@completionLimit']);
    expect(p.rows[3]?.errors.map(describeError)).toEqual(['required@responsible', 'invalid@milestones']);

    const back = await load(await writeBackErrors(filled, p, describeError));
    const before = await load(filled);
    const sheet = back.worksheets[0] as ExcelJS.Worksheet;
    const errorColumn = TEMPLATE_COLUMNS.length + 1;
    expect(sheet.getCell(1, errorColumn).text).toBe(ERROR_COLUMN_HEADER);
    expect(sheet.getCell(3, errorColumn).text).toBe('invalid@kind；number.invalid@completionLimit');
    expect(sheet.getCell(5, errorColumn).text).toBe('required@responsible；invalid@milestones');
    expect(sheet.getCell(2, errorColumn).text).toBe('');
    const col = (c: (typeof TEMPLATE_COLUMNS)[number]) => TEMPLATE_COLUMNS.indexOf(c) + 1;
    expect(isMarked(sheet.getCell(3, col('kind')))).toBe(true);
    expect(isMarked(sheet.getCell(3, col('completionLimit')))).toBe(true);
    expect(isMarked(sheet.getCell(5, col('responsible')))).toBe(true);
    expect(isMarked(sheet.getCell(3, col('title')))).toBe(false);
    expect(isMarked(sheet.getCell(2, col('kind')))).toBe(false);
    // Every cell typed is still there, as typed; the instructions sheet too.
    expect(cellsOf(sheet, errorColumn)).toEqual(cellsOf(before.worksheets[0] as ExcelJS.Worksheet));
    expect(back.worksheets.map((s) => s.name)).toEqual([TASK_SHEET_NAME, INSTRUCTIONS_SHEET_NAME]);
    expect(cellsOf(back.worksheets[1] as ExcelJS.Worksheet)).toEqual(
      cellsOf(before.worksheets[1] as ExcelJS.Worksheet),
    );
  });

  it('the written-back file, fixed, imports again; a new write-back clears the old marks and texts', async () => {
    const filled = await fillTemplate(await writeTaskTemplate(), badRows());
    const back = await writeBackErrors(filled, await plan(filled), describeError);
    // Fix row 3 only: row 5 keeps its error, the error column is ignored by the import.
    let fixed = await setCell(back, 3, '督办类型', '专项督办');
    fixed = await setCell(fixed, 3, '办结时限', 14);
    const second = await plan(fixed);
    expect(second.ignoredHeaders).toEqual([ERROR_COLUMN_HEADER]);
    expect(second.counts).toEqual({ create: 3, update: 0, unchanged: 0, errors: 1 });
    const again = await load(await writeBackErrors(fixed, second, describeError));
    const sheet = again.worksheets[0] as ExcelJS.Worksheet;
    const errorColumn = TEMPLATE_COLUMNS.length + 1;
    expect(sheet.getCell(1, errorColumn).text).toBe(ERROR_COLUMN_HEADER); // reused, not a second column
    expect(sheet.getCell(1, errorColumn + 1).text).toBe('');
    expect(sheet.getCell(3, errorColumn).text).toBe('');
    expect(isMarked(sheet.getCell(3, TEMPLATE_COLUMNS.indexOf('kind') + 1))).toBe(false);
    expect(sheet.getCell(5, errorColumn).text).toBe('required@responsible；invalid@milestones');
    expect(isMarked(sheet.getCell(5, TEMPLATE_COLUMNS.indexOf('responsible') + 1))).toBe(true);
    expect(isMarked(sheet.getCell(5, TEMPLATE_COLUMNS.indexOf('milestones') + 1))).toBe(true);
    // Fixing the last row leaves a file that imports whole.
    const last = await setCell(await writeBackErrors(fixed, second, describeError), 5, '责任人', '李四');
    const whole = await plan(await setCell(last, 5, '节点', '摸底:50；落实:50'));
    expect(whole.counts.errors).toBe(0);
    expect(whole.counts.create).toBe(4);
  });

  it('a missing required column is said in the header row of the error column', async () => {
    const workbook = await load(await fillTemplate(await writeTaskTemplate(), taskListRows(2)));
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    sheet.spliceColumns(1, 1); // the 文号 column deleted
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const p = await plan(bytes);
    expect(p.headerErrors.map(describeError)).toEqual(['import.header-missing@docNo']);
    const back = await load(await writeBackErrors(bytes, p, describeError));
    const header = back.worksheets[0]?.getCell(1, TEMPLATE_COLUMNS.length);
    expect(header?.text).toBe(`${ERROR_COLUMN_HEADER}：import.header-missing@docNo`);
    expect(header && isMarked(header)).toBe(true);
    // Read again, the header still names the error column, which the import ignores; a second write-back reuses it.
    const once = await writeBackErrors(bytes, p, describeError);
    const again = await plan(once);
    expect(again.headerErrors.map(describeError)).toEqual(['import.header-missing@docNo']);
    const twice = (await load(await writeBackErrors(once, again, describeError))).worksheets[0];
    expect(twice?.getCell(1, TEMPLATE_COLUMNS.length).text).toBe(`${ERROR_COLUMN_HEADER}：import.header-missing@docNo`);
    expect(twice?.getCell(1, TEMPLATE_COLUMNS.length + 1).text).toBe('');
  });
});
