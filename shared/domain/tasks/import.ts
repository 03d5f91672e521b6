/**
 * Planning a task-list import from a spreadsheet (任务清单), the registry import's pattern (docs/tasks-model.md,
 * "import"): the renderer reads the workbook into a grid of strings; this module maps the headers, turns each row into
 * a template or a list of errors for that row (with the column, so the errors can be written back beside the row),
 * and matches rows to the templates already known by 文号: a second import of the same list updates them.
 * Pure: no spreadsheet library here.
 */
import { domainError, type DomainError } from '../result';
import { isBlankRow, normaliseHeader, readSheetHeader, sheetCell } from '../registry/import';
import { normaliseCell } from '../registry/names';
import { templateSchema, type Milestone, type RepeatRule, type ReportFrequency, type TaskTemplate } from './types';

export const TASK_IMPORT_COLUMNS = [
  'docNo',
  'title',
  'category',
  'basis',
  'kind',
  'lead',
  'coOwners',
  'responsible',
  'claimLimit',
  'completionLimit',
  'reportFrequency',
  'schedule',
  'milestones',
  'fund',
  'fundAmount',
] as const;
export type TaskImportColumn = (typeof TASK_IMPORT_COLUMNS)[number];

/** Headers as offices write them (compared after width folding, without spaces, `*` marks and bracketed units). */
export const TASK_IMPORT_HEADERS: Readonly<Record<TaskImportColumn, readonly string[]>> = {
  docNo: ['文号', '督办文号', '任务文号', '编号'],
  title: ['任务名称', '任务事项', '督办事项', '任务内容', '名称'],
  category: ['任务类别', '类别', '分类'],
  basis: ['依据文件', '依据', '督办依据', '来源文件'],
  kind: ['督办类型', '督办类别'],
  lead: ['牵头单位', '主办单位', '责任单位'],
  coOwners: ['协办单位', '配合单位'],
  responsible: ['责任人', '联系人'],
  claimLimit: ['领办时限', '领办期限'],
  completionLimit: ['办结时限', '办理时限', '完成时限'],
  reportFrequency: ['报送频次', '反馈频次', '进度报送'],
  schedule: ['任务周期', '周期', '任务性质'],
  milestones: ['节点', '工作节点', '里程碑', '阶段目标'],
  fund: ['关联资金', '资金名称', '资金来源'],
  fundAmount: ['资金金额', '金额', '资金额度'],
};

export const REQUIRED_TASK_COLUMNS = [
  'docNo',
  'title',
  'category',
  'lead',
  'responsible',
  'claimLimit',
  'completionLimit',
  'schedule',
] as const satisfies readonly TaskImportColumn[];

export const MAX_TASK_IMPORT_ROWS = 2_000;

const KIND_WORDS: Readonly<Record<string, 'work' | 'special'>> = {
  工作督办: 'work',
  工作: 'work',
  专项督办: 'special',
  专项: 'special',
};

const FREQUENCY_WORDS: Readonly<Record<string, ReportFrequency>> = {
  无: 'none',
  不报送: 'none',
  每日: 'daily',
  每天: 'daily',
  每周: 'weekly',
  每月: 'monthly',
  阶段性: 'milestone',
  按节点: 'milestone',
};

const SCHEDULE_WORDS: Readonly<Record<string, RepeatRule | 'annual'>> = {
  每月: 'monthly',
  月度: 'monthly',
  每季度: 'quarterly',
  季度: 'quarterly',
  每半年: 'half-yearly',
  半年: 'half-yearly',
  每年: 'yearly',
  常态化: 'yearly',
  年度: 'annual',
  年度任务: 'annual',
  一次性: 'annual',
};

/** Headers are compared as the registry import compares them: width-folded, no spaces, `*` marks or bracketed units. */
export const normaliseTaskHeader = normaliseHeader;

const HEADER_LOOKUP: ReadonlyMap<string, TaskImportColumn> = new Map(
  TASK_IMPORT_COLUMNS.flatMap((c) => TASK_IMPORT_HEADERS[c].map((h) => [normaliseTaskHeader(h), c] as const)),
);

export function taskColumnOfHeader(header: string): TaskImportColumn | null {
  return HEADER_LOOKUP.get(normaliseTaskHeader(header)) ?? null;
}

/** 文号 as compared: width-folded, no spaces, 〔〕 and [] alike. */
export function docNoKey(docNo: string): string {
  return normaliseCell(docNo)
    .replace(/[〔［【[]/g, '[')
    .replace(/[〕］】\]]/g, ']');
}

/** The id of the template a 文号 makes: the same on every device, so two offices importing one list agree. */
export function templateIdOf(docNo: string): string {
  const text = docNoKey(docNo);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `tpl-${(h >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Milestones as one cell: one per line or separated by `；`/`;`, each `名称:权重` or `名称:权重:佐证` (full-width colons
 * too), e.g. `摸底排查:30:照片；整改落实:70:台账`.
 */
export function parseMilestones(cell: string): Milestone[] | null {
  const parts = cell
    .split(/[\n;；]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: Milestone[] = [];
  for (const [i, part] of parts.entries()) {
    const [title, weight, evidence] = part.split(/[:：]/).map((s) => s.trim());
    const w = Number(normaliseCell(weight ?? '').replace(/%$/, ''));
    if (title === undefined || title === '' || !Number.isInteger(w) || w < 1 || w > 100) return null;
    out.push({ id: `m${i + 1}`, title, weight: w, evidence: evidence ?? '' });
  }
  return out;
}

/** What one row becomes. */
export interface TaskImportRow {
  /** The row number Excel shows (1-based, header row included). */
  readonly rowNumber: number;
  /** `create` a new template, `update` the one with this 文号, or nothing to change; absent when the row has errors. */
  readonly action?: 'create' | 'update' | 'unchanged';
  readonly template?: TaskTemplate;
  /** For an update: the fields that change. */
  readonly changed?: readonly string[];
  /** Each error names its column (`field`) and the row (`params.row`). */
  readonly errors: readonly DomainError[];
}

export interface TaskImportPlan {
  readonly headerErrors: readonly DomainError[];
  readonly headerRow: number;
  /** Column index of each known column, so errors can be written back beside the right cell. */
  readonly columns: Readonly<Partial<Record<TaskImportColumn, number>>>;
  readonly ignoredHeaders: readonly string[];
  readonly rows: readonly TaskImportRow[];
  readonly counts: {
    readonly create: number;
    readonly update: number;
    readonly unchanged: number;
    readonly errors: number;
  };
}

function limit(raw: string): number | null {
  const v = normaliseCell(raw)
    .replace(/个?工作日$/, '')
    .replace(/天$/, '');
  return /^\d{1,3}$/.test(v) ? Number(v) : null;
}

function rowToTemplate(
  get: (c: TaskImportColumn) => string,
  rowNumber: number,
): { template?: TaskTemplate; errors: DomainError[] } {
  const errors: DomainError[] = [];
  const fail = (column: TaskImportColumn, code: DomainError['code'] = 'invalid') =>
    errors.push(domainError(code, column, { row: rowNumber }));
  for (const column of REQUIRED_TASK_COLUMNS) if (normaliseCell(get(column)) === '') fail(column, 'required');
  const kindCell = normaliseCell(get('kind'));
  const kind = kindCell === '' ? 'work' : KIND_WORDS[kindCell];
  if (kind === undefined) fail('kind');
  const frequencyCell = normaliseCell(get('reportFrequency'));
  const reportFrequency = frequencyCell === '' ? 'none' : FREQUENCY_WORDS[frequencyCell];
  if (reportFrequency === undefined) fail('reportFrequency');
  const scheduleCell = normaliseCell(get('schedule'));
  const rule = SCHEDULE_WORDS[scheduleCell];
  if (scheduleCell !== '' && rule === undefined) fail('schedule');
  const claimLimit = limit(get('claimLimit'));
  if (get('claimLimit') !== '' && claimLimit === null) fail('claimLimit', 'number.invalid');
  const completionLimit = limit(get('completionLimit'));
  if (get('completionLimit') !== '' && completionLimit === null) fail('completionLimit', 'number.invalid');
  const milestones = get('milestones') === '' ? [] : parseMilestones(get('milestones'));
  if (milestones === null) fail('milestones');
  // Said with the other cell errors rather than after them, so one round of fixing is enough.
  const weights = (milestones ?? []).reduce((sum, m) => sum + m.weight, 0);
  if (milestones !== null && milestones.length > 0 && weights !== 100) {
    errors.push(domainError('invalid', 'milestones', { row: rowNumber, total: weights }));
  }
  if (claimLimit !== null && completionLimit !== null && claimLimit > completionLimit) {
    errors.push(domainError('invalid', 'claimLimit', { row: rowNumber, completionLimit }));
  }
  const amountCell = normaliseCell(get('fundAmount')).replace(/元$/, '').replace(/,/g, '');
  const amount = amountCell === '' ? 0 : Number(amountCell);
  if (!Number.isFinite(amount) || amount < 0) fail('fundAmount', 'number.invalid');
  if (errors.length > 0) return { errors };
  const docNo = get('docNo').trim();
  const parsed = templateSchema.safeParse({
    id: templateIdOf(docNo),
    docNo,
    title: get('title'),
    category: get('category'),
    basis: get('basis'),
    kind,
    lead: get('lead'),
    coOwners: get('coOwners')
      .split(/[,，、;；\n]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    responsible: { name: get('responsible').trim(), ref: null },
    claimLimit,
    completionLimit,
    reportFrequency,
    milestones,
    fund: get('fund').trim() === '' ? null : { name: get('fund').trim(), amount },
    schedule: rule === 'annual' ? { type: 'annual' } : { type: 'standing', repeat: rule },
  });
  if (parsed.success) return { template: parsed.data, errors };
  for (const issue of parsed.error.issues) {
    const head = String(issue.path[0] ?? '');
    const column = (TASK_IMPORT_COLUMNS as readonly string[]).includes(head) ? head : 'docNo';
    errors.push(domainError(issue.code === 'too_big' ? 'too-long' : 'invalid', column, { row: rowNumber }));
  }
  return { errors };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Plans an import against the templates already known. A row whose 文号 matches a known template updates it (keeping
 * its id); a 文号 twice in the file is an error on the second row.
 */
export function planTaskImport(rows: readonly (readonly string[])[], known: readonly TaskTemplate[]): TaskImportPlan {
  const none = { create: 0, update: 0, unchanged: 0, errors: 0 };
  if (rows.length === 0 || rows.every(isBlankRow)) {
    return {
      headerErrors: [domainError('import.empty')],
      headerRow: 1,
      columns: {},
      ignoredHeaders: [],
      rows: [],
      counts: none,
    };
  }
  const header = readSheetHeader(rows, taskColumnOfHeader, REQUIRED_TASK_COLUMNS, MAX_TASK_IMPORT_ROWS);
  const { headerIndex, columns, errors: headerErrors, ignored: ignoredHeaders } = header;
  const headerRow = headerIndex + 1;
  if (headerErrors.length > 0) return { headerErrors, headerRow, columns, ignoredHeaders, rows: [], counts: none };

  const knownByDocNo = new Map(known.map((t) => [docNoKey(t.docNo), t]));
  const firstRow = new Map<string, number>();
  const out: TaskImportRow[] = [];
  const counts = { ...none };
  for (let i = headerIndex + 1; i < rows.length; i++) {
    const row = rows[i] ?? [];
    if (isBlankRow(row)) continue;
    const rowNumber = i + 1;
    const { template, errors } = rowToTemplate((c) => sheetCell(row, columns[c]), rowNumber);
    const key = docNoKey(sheetCell(row, columns.docNo));
    const first = firstRow.get(key);
    if (key !== '' && first !== undefined) {
      errors.push(domainError('import.duplicate-in-file', 'docNo', { row: rowNumber, first }));
    } else if (key !== '') firstRow.set(key, rowNumber);
    if (template === undefined || errors.length > 0) {
      counts.errors++;
      out.push({ rowNumber, errors });
      continue;
    }
    const previous = knownByDocNo.get(key);
    if (previous === undefined) {
      counts.create++;
      out.push({ rowNumber, action: 'create', template, errors });
      continue;
    }
    // Keep what the sheet does not hold: the id, the card rules and the responsible person's reference.
    const merged: TaskTemplate = {
      ...template,
      id: previous.id,
      cardRules: previous.cardRules,
      responsible:
        previous.responsible.name === template.responsible.name ? previous.responsible : template.responsible,
    };
    const changed = Object.keys(merged).filter(
      (k) => !sameJson(merged[k as keyof TaskTemplate], previous[k as keyof TaskTemplate]),
    );
    counts[changed.length === 0 ? 'unchanged' : 'update']++;
    out.push({ rowNumber, action: changed.length === 0 ? 'unchanged' : 'update', template: merged, changed, errors });
  }
  return { headerErrors, headerRow, columns, ignoredHeaders, rows: out, counts };
}
