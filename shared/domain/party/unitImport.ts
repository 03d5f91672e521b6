/**
 * The 驻区单位 (units of 双报到) read from a sheet (docs/party-model.md, "Excel"): offices keep their list of in-area
 * units in Excel. Pure planning, as the members' check-in roster (roster.ts): the renderer reads the .xlsx bytes
 * (renderer/features/party/excel.ts) and, after the preview, runs the party commands for each row planned here:
 * `registerUnit` for a new unit (its 单位报到, first check-in day included), `updateUnit` for details that changed,
 * `signAgreement` for a 共建协议 not yet recorded.
 *
 * A row is the registered unit of its 统一社会信用代码, else of its name; a unit imported again with the same cells
 * plans nothing (`exists`). A blank cell changes nothing: the import adds and corrects, it never clears a field.
 */
import type * as Y from 'yjs';
import type { CommandContext, CommandResult } from '../kernel';
import { ok } from '../result';
import { registerUnit, signAgreement } from './commands';
import { isValidCreditCode, normaliseCreditCode } from './creditCode';
import { rosterDay } from './roster';
import type { Agreement, UnitKind } from './types';
import { updateUnit } from './updateUnit';

/** The columns of a units sheet, by the header words offices use (any one of each list). */
export const UNIT_COLUMNS = {
  name: ['单位名称', '单位全称', '名称'],
  creditCode: ['统一社会信用代码', '社会信用代码', '信用代码'],
  kind: ['单位类型', '单位性质', '类型'],
  partyOrg: ['单位党组织', '党组织', '党组织名称'],
  contact: ['联系人'],
  phone: ['联系电话', '电话', '手机'],
  address: ['地址', '单位地址'],
  checkedInOn: ['首次报到日期', '首次报到', '报到日期'],
  agreement: ['共建协议', '是否签订共建协议'],
  signedOn: ['协议签订日期', '签订日期'],
  until: ['协议到期日期', '到期日期', '协议截止日期'],
  agreementContent: ['协议内容', '共建内容'],
} as const;
export type UnitColumn = keyof typeof UNIT_COLUMNS;

/** The header row of the import template (the first word of each column). */
export const UNIT_IMPORT_HEADERS: readonly string[] = (Object.keys(UNIT_COLUMNS) as UnitColumn[]).map(
  (column) => UNIT_COLUMNS[column][0],
);

/** The kinds as the sheet writes them (the words of the 双报到 forms). */
export const UNIT_KIND_WORDS: Readonly<Record<UnitKind, string>> = {
  agency: '机关',
  institution: '事业单位',
  'state-firm': '国有企业',
  'private-firm': '非公企业',
  'social-org': '社会组织',
};

/** 共建协议 是 / 否 as offices write them. */
export const AGREEMENT_WORDS = { yes: ['是', '有', '已签', '已签订'], no: ['否', '无', '未签', '未签订'] } as const;

/** The content written for an agreement whose sheet row gives none (the signed paper says what it holds). */
export const AGREEMENT_DEFAULT_CONTENT = '详见书面共建协议';

/** The longest each text may be (the commands' input: shared/domain/party/types.ts). */
const MAX = { name: 100, partyOrg: 100, contact: 40, phone: 40, address: 200, agreementContent: 2000 } as const;

/** Why a unit row is not imported. */
export type UnitProblem =
  | 'name.missing'
  | 'name.too-long'
  /** Not 18 characters of the code's alphabet with a right check character (GB 32100-2015). */
  | 'credit.invalid'
  /** The unit of this name holds another credit code. */
  | 'credit.conflict'
  /** Found by its credit code under another name that a second registered unit already bears. */
  | 'name.taken'
  /** Several registered units bear this name and the row gives no credit code that tells them apart. */
  | 'unit.ambiguous'
  | 'kind.missing'
  | 'kind.invalid'
  | 'party-org.too-long'
  | 'contact.too-long'
  | 'phone.too-long'
  | 'phone.invalid'
  | 'address.too-long'
  | 'date.missing'
  | 'date.invalid'
  | 'date.future'
  /** A registered unit's first check-in day is fixed: the row names another. */
  | 'date.differs'
  | 'agreement.invalid'
  | 'agreement.dates-missing'
  | 'agreement.date-invalid'
  | 'agreement.ends-before'
  | 'agreement.too-long'
  /** The row says 否 but the unit's 共建协议 is in force: the import does not end an agreement. */
  | 'agreement.in-force';

/** A registered unit as the plan compares it (the registry's `units` record). */
export interface ImportUnit {
  readonly id: string;
  readonly name: string;
  readonly creditCode?: string;
  readonly kind: UnitKind;
  readonly partyOrg: string;
  readonly contact: string;
  readonly phone: string;
  readonly address: string;
  readonly checkedInOn: string;
  readonly agreement: Agreement | null;
}

/** The details `registerUnit` takes for a new unit. */
export interface NewUnit {
  readonly name: string;
  readonly creditCode: string;
  readonly kind: UnitKind;
  readonly partyOrg: string;
  readonly contact: string;
  readonly phone: string;
  readonly address: string;
  readonly checkedInOn: string;
}

/** The details of a registered unit that change (`updateUnit`), only those that differ. */
export type UnitChanges = Partial<Omit<NewUnit, 'checkedInOn'>>;

export interface PlannedUnitRow {
  /** The row as Excel shows it (1-based). */
  readonly rowNumber: number;
  /** The cells as read (for the problem sheet). */
  readonly cells: readonly string[];
  readonly name: string;
  readonly creditCode: string;
  /** The registered unit the row is, and how it was found; null for a new one. */
  readonly unitId: string | null;
  readonly matchedBy: 'code' | 'name' | null;
  /** A new unit's details (`new` only). */
  readonly register: NewUnit | null;
  /** A registered unit's details that change (`update` only; empty otherwise). */
  readonly changes: UnitChanges;
  /** A 共建协议 to record (`signAgreement`), or null. */
  readonly agreement: Agreement | null;
  /**
   * `new`: to register; `update`: a registered unit with changes or an agreement to record; `exists`: registered as
   * the row says (nothing to write); `repeated`: an earlier row names the same unit; `bad`: see problems.
   */
  readonly status: 'new' | 'update' | 'exists' | 'repeated' | 'bad';
  readonly problems: readonly UnitProblem[];
}

export interface UnitPlan {
  /** The header row (1-based), or null when no row of the top 20 names the 单位名称 column. */
  readonly headerRow: number | null;
  readonly headers: readonly string[];
  readonly rows: readonly PlannedUnitRow[];
}

const norm = (s: string) => s.replace(/\s+/g, '');

/** A phone as offices write one: digits with spaces, dashes, a leading + or an area code in brackets; 7-20 digits. */
function isPhone(text: string): boolean {
  const digits = text.replace(/\D/g, '').length;
  return /^[\d\s\-+()（）]+$/.test(text) && digits >= 7 && digits <= 20;
}

function findHeader(
  grid: readonly (readonly string[])[],
): { row: number; columns: Partial<Record<UnitColumn, number>> } | null {
  for (let r = 0; r < Math.min(grid.length, 20); r++) {
    const cells = (grid[r] ?? []).map(norm);
    const columns: Partial<Record<UnitColumn, number>> = {};
    for (const column of Object.keys(UNIT_COLUMNS) as UnitColumn[]) {
      const at = cells.findIndex((c) => (UNIT_COLUMNS[column] as readonly string[]).includes(c));
      if (at >= 0) columns[column] = at;
    }
    if (columns.name !== undefined) return { row: r, columns };
  }
  return null;
}

/** Whether an agreement is in force on `day`. */
const inForce = (a: Agreement | null, day: string) => a !== null && a.signedOn <= day && day <= a.until;

/**
 * Plans the import of a units sheet against the registered `units` on `today`. Rows are in the file's order; every
 * filled row is there with its status, nothing dropped.
 */
export function planUnitImport(
  grid: readonly (readonly string[])[],
  units: readonly ImportUnit[],
  today: string,
): UnitPlan {
  const header = findHeader(grid);
  if (header === null) return { headerRow: null, headers: [], rows: [] };
  const { columns } = header;
  const byCode = new Map<string, ImportUnit>();
  const byName = new Map<string, ImportUnit[]>();
  for (const u of units) {
    const code = normaliseCreditCode(u.creditCode ?? '');
    if (code !== '') byCode.set(code, u);
    byName.set(norm(u.name), [...(byName.get(norm(u.name)) ?? []), u]);
  }
  const seen = new Set<string>();
  const rows: PlannedUnitRow[] = [];
  for (let r = header.row + 1; r < grid.length; r++) {
    const cells = grid[r] ?? [];
    if (cells.every((c) => c.trim() === '')) continue;
    const cell = (column: UnitColumn) => {
      const at = columns[column];
      return at === undefined ? '' : (cells[at] ?? '').trim();
    };
    const problems: UnitProblem[] = [];
    const tooLong = (column: keyof typeof MAX, problem: UnitProblem) => {
      if (cell(column).length > MAX[column]) problems.push(problem);
    };

    // Which unit: by credit code first (a unit may be renamed), else by name.
    const name = cell('name');
    if (name === '') problems.push('name.missing');
    tooLong('name', 'name.too-long');
    const creditCode = normaliseCreditCode(cell('creditCode'));
    const codeOk = creditCode !== '' && isValidCreditCode(creditCode);
    if (creditCode !== '' && !codeOk) problems.push('credit.invalid');
    let unit: ImportUnit | null = null;
    let matchedBy: PlannedUnitRow['matchedBy'] = null;
    const byCodeUnit = codeOk ? byCode.get(creditCode) : undefined;
    const named = name === '' ? [] : (byName.get(norm(name)) ?? []);
    if (byCodeUnit !== undefined) {
      unit = byCodeUnit;
      matchedBy = 'code';
      if (named.some((u) => u.id !== byCodeUnit.id)) problems.push('name.taken');
    } else if (named.length > 1) problems.push('unit.ambiguous');
    else if (named.length === 1 && named[0] !== undefined) {
      unit = named[0];
      matchedBy = 'name';
      const stored = normaliseCreditCode(unit.creditCode ?? '');
      if (codeOk && stored !== '' && stored !== creditCode) problems.push('credit.conflict');
    }

    // A new unit needs what registration takes; a row naming several registered units is not a new one.
    const isNew = unit === null && named.length <= 1;
    const kindText = cell('kind');
    const kind = (Object.keys(UNIT_KIND_WORDS) as UnitKind[]).find((k) => UNIT_KIND_WORDS[k] === kindText);
    if (kindText === '' && isNew) problems.push('kind.missing');
    else if (kindText !== '' && kind === undefined) problems.push('kind.invalid');
    tooLong('partyOrg', 'party-org.too-long');
    tooLong('contact', 'contact.too-long');
    tooLong('phone', 'phone.too-long');
    if (cell('phone') !== '' && cell('phone').length <= MAX.phone && !isPhone(cell('phone'))) {
      problems.push('phone.invalid');
    }
    tooLong('address', 'address.too-long');

    // 首次报到: set once, at registration.
    const dayText = cell('checkedInOn');
    const on = rosterDay(dayText) ?? '';
    if (dayText === '' && isNew) problems.push('date.missing');
    else if (dayText !== '' && on === '') problems.push('date.invalid');
    else if (on > today) problems.push('date.future');
    else if (unit !== null && on !== '' && on !== unit.checkedInOn) problems.push('date.differs');

    // 共建协议: 是 with its days records one not yet recorded; 否 never ends one.
    let agreement: Agreement | null = null;
    const says = cell('agreement');
    const yes = (AGREEMENT_WORDS.yes as readonly string[]).includes(says);
    const no = (AGREEMENT_WORDS.no as readonly string[]).includes(says);
    const current = unit?.agreement ?? null;
    if (says !== '' && !yes && !no) problems.push('agreement.invalid');
    else if (no && inForce(current, today)) problems.push('agreement.in-force');
    else if (yes) {
      const [signedText, untilText] = [cell('signedOn'), cell('until')];
      const [signedOn, until] = [rosterDay(signedText), rosterDay(untilText)];
      if (signedText === '' && untilText === '') {
        if (current === null) problems.push('agreement.dates-missing');
      } else if ((signedText !== '' && signedOn === null) || (untilText !== '' && until === null)) {
        problems.push('agreement.date-invalid');
      } else if (signedOn === null || until === null) problems.push('agreement.dates-missing');
      else if (until < signedOn) problems.push('agreement.ends-before');
      else if (current?.signedOn !== signedOn || current.until !== until) {
        agreement = { signedOn, until, content: cell('agreementContent') || AGREEMENT_DEFAULT_CONTENT };
      }
      tooLong('agreementContent', 'agreement.too-long');
    }

    let register: NewUnit | null = null;
    const changes: Record<string, string> = {};
    if (problems.length === 0) {
      if (unit === null) {
        register = {
          name,
          creditCode,
          kind: kind ?? 'agency',
          partyOrg: cell('partyOrg'),
          contact: cell('contact'),
          phone: cell('phone'),
          address: cell('address'),
          checkedInOn: on,
        };
      } else {
        const given: Record<keyof UnitChanges, string> = {
          name: matchedBy === 'code' ? name : '',
          creditCode,
          kind: kind ?? '',
          partyOrg: cell('partyOrg'),
          contact: cell('contact'),
          phone: cell('phone'),
          address: cell('address'),
        };
        for (const [field, value] of Object.entries(given) as [keyof UnitChanges, string][]) {
          const stored = field === 'creditCode' ? normaliseCreditCode(unit.creditCode ?? '') : unit[field];
          if (value !== '' && value !== stored) changes[field] = value;
        }
      }
    }
    let status: PlannedUnitRow['status'] = 'bad';
    if (problems.length === 0) {
      const keys = [unit && `id:${unit.id}`, codeOk && `code:${creditCode}`, `name:${norm(name)}`].filter(
        (k): k is string => typeof k === 'string',
      );
      if (keys.some((k) => seen.has(k))) status = 'repeated';
      else if (unit === null) status = 'new';
      else status = Object.keys(changes).length > 0 || agreement !== null ? 'update' : 'exists';
      for (const k of keys) seen.add(k);
    }
    rows.push({
      rowNumber: r + 1,
      cells: [...cells],
      name,
      creditCode,
      unitId: unit?.id ?? null,
      matchedBy,
      register: status === 'new' ? register : null,
      changes: status === 'update' ? changes : {},
      agreement: status === 'new' || status === 'update' ? agreement : null,
      status,
      problems,
    });
  }
  return { headerRow: header.row + 1, headers: [...(grid[header.row] ?? [])], rows };
}

/**
 * Writes one planned row to the registry through the party commands: `registerUnit` (a new unit), else `updateUnit`
 * (its changed details), then `signAgreement` (an agreement to record). Returns the unit's id, or the first refusal
 * (a new unit refused is not registered; an agreement refused leaves the details written, and importing the row again
 * records only the agreement). Rows not `new` or `update` write nothing.
 */
export function applyUnitRow(registry: Y.Doc, ctx: CommandContext, row: PlannedUnitRow): CommandResult<string | null> {
  if (row.status !== 'new' && row.status !== 'update') return ok(row.unitId);
  let unitId = row.unitId;
  if (row.register !== null) {
    const made = registerUnit(registry, ctx, row.register);
    if (!made.ok) return made;
    unitId = made.value;
  } else if (unitId !== null && Object.keys(row.changes).length > 0) {
    const changed = updateUnit(registry, ctx, { unitId, ...row.changes });
    if (!changed.ok) return changed;
  }
  if (unitId !== null && row.agreement !== null) {
    const signed = signAgreement(registry, ctx, { unitId, agreement: row.agreement });
    if (!signed.ok) return signed;
  }
  return ok(unitId);
}
