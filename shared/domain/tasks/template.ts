/**
 * The task-list template (任务清单导入模板) as data, with no spreadsheet library (docs/tasks-model.md, "import"): the
 * columns the template carries and their headers as `import.ts` reads them, the instructions sheet (每列的含义、是否必填、
 * 取值), an example row, a template written back as a row (so a list exported from the app imports again unchanged),
 * and where a plan's errors go in the sheet (row and column) for writing them back beside the cells. The renderer
 * turns these into a workbook (renderer/features/tasks/import/workbook.ts).
 *
 * Headers and the words in the cells stay Chinese whatever the screen's language: they are the format offices
 * exchange, and `import.ts` reads Chinese words.
 */
import type { DomainError } from '../result';
import {
  REQUIRED_TASK_COLUMNS,
  TASK_IMPORT_COLUMNS,
  TASK_IMPORT_HEADERS,
  type TaskImportColumn,
  type TaskImportPlan,
} from './import';
import type { RepeatRule, ReportFrequency, SupervisionKind, TaskTemplate } from './types';

/** The columns of the template, in the order written (every column the import reads). */
export const TEMPLATE_COLUMNS: readonly TaskImportColumn[] = TASK_IMPORT_COLUMNS;

const REQUIRED: ReadonlySet<TaskImportColumn> = new Set(REQUIRED_TASK_COLUMNS);

/** Units written after a header in brackets: the import drops them when matching (`领办时限（工作日）`). */
const UNITS: Partial<Record<TaskImportColumn, string>> = {
  claimLimit: '工作日',
  completionLimit: '工作日',
  fundAmount: '元',
};

/** The header the template writes: the first accepted header, its unit in brackets, `*` when required. */
export function templateHeader(column: TaskImportColumn): string {
  const base = TASK_IMPORT_HEADERS[column][0] ?? column;
  const unit = UNITS[column];
  return `${base}${unit === undefined ? '' : `（${unit}）`}${REQUIRED.has(column) ? '*' : ''}`;
}

/** The header of the column the error write-back adds (or reuses) at the right of the task sheet. */
export const ERROR_COLUMN_HEADER = '导入错误（修改后请重新导入）';

export const KIND_CELL: Readonly<Record<SupervisionKind, string>> = { work: '工作督办', special: '专项督办' };

export const FREQUENCY_CELL: Readonly<Record<ReportFrequency, string>> = {
  none: '无',
  daily: '每日',
  weekly: '每周',
  monthly: '每月',
  milestone: '阶段性',
};

export const SCHEDULE_CELL: Readonly<Record<RepeatRule | 'annual', string>> = {
  monthly: '每月',
  quarterly: '每季度',
  'half-yearly': '每半年',
  yearly: '每年',
  annual: '年度',
};

/** Drop-down lists the template offers for the columns that take a fixed word. */
export const TEMPLATE_CHOICES: Partial<Record<TaskImportColumn, readonly string[]>> = {
  kind: Object.values(KIND_CELL),
  reportFrequency: Object.values(FREQUENCY_CELL),
  schedule: Object.values(SCHEDULE_CELL),
};

/** A template as the cells of one row, in `TEMPLATE_COLUMNS` order (numbers stay numbers). */
export function templateRow(t: TaskTemplate): (string | number)[] {
  const cells: Record<TaskImportColumn, string | number> = {
    docNo: t.docNo,
    title: t.title,
    category: t.category,
    basis: t.basis,
    kind: KIND_CELL[t.kind],
    lead: t.lead,
    coOwners: t.coOwners.join('、'),
    responsible: t.responsible.name,
    claimLimit: t.claimLimit,
    completionLimit: t.completionLimit,
    reportFrequency: FREQUENCY_CELL[t.reportFrequency],
    schedule: SCHEDULE_CELL[t.schedule.type === 'annual' ? 'annual' : t.schedule.repeat],
    milestones: t.milestones
      .map((m) => [m.title, String(m.weight), ...(m.evidence === '' ? [] : [m.evidence])].join(':'))
      .join('；'),
    fund: t.fund?.name ?? '',
    fundAmount: t.fund === null ? '' : t.fund.amount,
  };
  return TEMPLATE_COLUMNS.map((c) => cells[c]);
}

/** The example row of the instructions sheet: every column filled, a standing quarterly task with two milestones. */
export const EXAMPLE_ROW: Readonly<Record<TaskImportColumn, string | number>> = {
  docNo: '顺街督〔2026〕12号',
  title: '开展季度消防安全隐患排查',
  category: '安全生产',
  basis: '顺委办〔2026〕3号',
  kind: '工作督办',
  lead: '社区居委会',
  coOwners: '物业公司、网格员',
  responsible: '张三',
  claimLimit: 2,
  completionLimit: 15,
  reportFrequency: '阶段性',
  schedule: '每季度',
  milestones: '摸底排查:40:排查台账；整改落实:60:整改前后照片',
  fund: '社区发展治理基金',
  fundAmount: 20000,
};

/** One line of the instructions sheet: the column, required or not, what it means, how to write it. */
export interface InstructionRow {
  readonly header: string;
  readonly required: boolean;
  readonly meaning: string;
  readonly values: string;
  readonly example: string;
}

const MEANING: Readonly<Record<TaskImportColumn, readonly [string, string]>> = {
  docNo: [
    '督办文号，每个任务唯一',
    '例如 顺街督〔2026〕12号。再次导入时按文号更新已有任务（全角半角括号、空格视为相同）；同一文件中文号不能重复',
  ],
  title: ['任务名称', '不超过200字'],
  category: ['任务类别', '例如 基层治理、安全生产、民生服务，不超过40字'],
  basis: ['依据文件', '可不填，不超过200字'],
  kind: ['督办类型', '工作督办 或 专项督办；不填视为工作督办'],
  lead: ['牵头单位', '不超过80字'],
  coOwners: ['协办单位', '可不填；多个单位用顿号、逗号或分号隔开，最多20个'],
  responsible: ['责任人', '姓名，不超过40字'],
  claimLimit: [
    '领办时限',
    '工作日数，1-365，可写 2、2天 或 2个工作日；从下达之日起按工作日（含调休）计算；不能长于办结时限',
  ],
  completionLimit: ['办结时限', '工作日数，1-365，写法同领办时限'],
  reportFrequency: ['进度报送频次', '无、每日、每周、每月 或 阶段性（按节点报送）；不填视为无'],
  schedule: [
    '任务周期',
    '常态化任务写重复规则：每月、每季度、每半年、每年（每个社区每个周期各下达一次）；年度任务写 年度 或 一次性（年内办结一次）',
  ],
  milestones: [
    '工作节点',
    '可不填。每个节点写 名称:权重 或 名称:权重:佐证材料，节点之间用分号或换行隔开；权重为整数百分比，合计必须为100；最多20个节点',
  ],
  fund: ['关联资金名称', '可不填'],
  fundAmount: ['关联资金金额', '单位元，可带千分位逗号，例如 20,000；填写资金名称时填写'],
};

/** The instructions sheet's rows, one per column in template order. */
export function instructionRows(): InstructionRow[] {
  return TEMPLATE_COLUMNS.map((column) => {
    const [meaning, values] = MEANING[column];
    return {
      header: templateHeader(column),
      required: REQUIRED.has(column),
      meaning,
      values,
      example: String(EXAMPLE_ROW[column]),
    };
  });
}

/** The general notes at the top of the instructions sheet. */
export const INSTRUCTION_NOTES: readonly string[] = [
  '任务清单填写说明',
  '1. 在“任务清单”工作表中每行填写一个任务，第一行为列名，请勿修改列名；带 * 的列必须填写。',
  '2. 导入前先检查：有错误的行会在最右侧“导入错误”列写明原因，并将出错的单元格标红；修改后可直接重新导入这个文件。',
  '3. 再次导入同一清单时，按文号更新已有任务，并显示新增、更新、未变的数量；已下达的任务保留下达时的内容。',
  '4. 时限按工作日计算（国务院节假日安排，含调休上班日），从任务下达之日起算。',
  '5. 本页最下方是一行完整示例，可照此填写。',
];

/** Where an error of a row goes in the sheet: the cells to mark (0-based columns) and the errors in the row. */
export interface RowErrors {
  /** The row as Excel shows it (1-based). */
  readonly row: number;
  /** Column indexes (0-based) of the cells in error, as read from the header. */
  readonly cells: readonly number[];
  readonly errors: readonly DomainError[];
}

/**
 * The errors of a plan laid out for writing back: one entry per row with errors, with the cells of the columns named
 * by its errors. An error whose column the sheet lacks marks no cell (it is still listed in the row's text).
 */
export function errorCells(plan: TaskImportPlan): RowErrors[] {
  return plan.rows
    .filter((r) => r.errors.length > 0)
    .map((r) => {
      const cells = new Set<number>();
      for (const e of r.errors) {
        const index = plan.columns[e.field as TaskImportColumn];
        if (index !== undefined) cells.add(index);
      }
      return { row: r.rowNumber, cells: [...cells].sort((a, b) => a - b), errors: r.errors };
    });
}
