/**
 * Planning a residents import from a spreadsheet (居民花名册). The renderer reads the .xlsx (exceljs) into a grid of
 * strings; this module maps the usual Chinese headers, checks every row against the rules and the current registry,
 * and returns a plan the user reviews before `importResidents` applies the valid rows.
 */
import { isoDate, isCalendarDay } from '../dates';
import { domainError, type DomainError } from '../result';
import type { RegistrySnapshot } from '../../ydoc/registry';
import { parseIdNumber } from './idNumber';
import { buildingKey, compoundKey, doorKey, entranceKey, normaliseCell } from './names';
import type { ImportRowInput, ImportUpdateField } from './importCommand';
import { maskPhone } from './mask';
import { parsePhone } from './phone';
import type { Relation, ResidentTag, Sex } from './types';

export const IMPORT_COLUMNS = [
  'name',
  'sex',
  'birthDate',
  'idNumber',
  'phone',
  'compound',
  'building',
  'entrance',
  'doorNumber',
  'relation',
  'tags',
  'floorArea',
  'note',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Headers as offices write them (after width folding and removing spaces, `*` marks and bracketed units). */
export const IMPORT_HEADERS: Readonly<Record<ImportColumn, readonly string[]>> = {
  name: ['姓名', '名字', '居民姓名', '人员姓名'],
  sex: ['性别'],
  birthDate: ['出生日期', '出生年月', '出生年月日', '生日'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '身份证', '证件号码', '身份证件号码'],
  phone: ['联系电话', '手机号', '手机号码', '电话', '电话号码', '联系方式', '手机'],
  compound: ['小区', '小区名称', '所属小区', '院落', '小区(院落)'],
  building: ['楼栋', '楼号', '楼栋号', '栋号', '幢号', '楼栋名称', '栋'],
  entrance: ['单元', '单元号'],
  doorNumber: ['门牌号', '房号', '房间号', '门牌', '户号', '室号'],
  relation: ['与户主关系', '与户主的关系', '关系', '家庭关系'],
  tags: ['人员类别', '标签', '人员标签', '类别', '人员类型'],
  floorArea: ['建筑面积', '面积', '房屋面积', '住房面积'],
  note: ['备注', '说明'],
};

/** Without these a row cannot become a resident in a household. */
export const REQUIRED_IMPORT_COLUMNS = [
  'name',
  'idNumber',
  'building',
  'doorNumber',
] as const satisfies readonly ImportColumn[];

/**
 * Headers of columns the import reads past without naming them as unknown: the 问题 column of a problem-rows file
 * written back for fixing (renderer/data/excel.ts `writeProblemRows`), in either UI language.
 */
export const PROBLEM_HEADERS: readonly string[] = ['问题', 'Problem'];
const PROBLEM_HEADER_KEYS = new Set(PROBLEM_HEADERS.map((h) => normaliseCell(h).toLowerCase()));

/** A footer row that sums the sheet (合计 120 人): skipped with a note, never a resident with errors. */
const TOTAL_ROW = /^(合计|总计|小计|共计)/;

/** Same limit as `importResidentsSchema`: one community's registry, with room to spare. */
export const MAX_IMPORT_ROWS = 50_000;
/** Title rows ("XX社区居民花名册") often sit above the headers; look this far down for them. */
const HEADER_SEARCH_ROWS = 5;

const RELATION_WORDS: Readonly<Record<string, Relation>> = {
  本人: 'self',
  户主: 'self',
  配偶: 'spouse',
  妻: 'spouse',
  妻子: 'spouse',
  夫: 'spouse',
  丈夫: 'spouse',
  之妻: 'spouse',
  之夫: 'spouse',
  子女: 'child',
  子: 'child',
  女: 'child',
  儿子: 'child',
  女儿: 'child',
  长子: 'child',
  长女: 'child',
  次子: 'child',
  次女: 'child',
  养子: 'child',
  养女: 'child',
  父母: 'parent',
  父亲: 'parent',
  母亲: 'parent',
  父: 'parent',
  母: 'parent',
  孙子女: 'grandchild',
  孙子: 'grandchild',
  孙女: 'grandchild',
  外孙: 'grandchild',
  外孙子: 'grandchild',
  外孙女: 'grandchild',
  祖父母: 'grandparent',
  祖父: 'grandparent',
  祖母: 'grandparent',
  外祖父: 'grandparent',
  外祖母: 'grandparent',
  兄弟姐妹: 'sibling',
  兄: 'sibling',
  弟: 'sibling',
  姐: 'sibling',
  妹: 'sibling',
  哥哥: 'sibling',
  弟弟: 'sibling',
  姐姐: 'sibling',
  妹妹: 'sibling',
  儿媳: 'child-in-law',
  女婿: 'child-in-law',
  媳妇: 'child-in-law',
  其他: 'other',
  其它: 'other',
  租户: 'other',
  亲属: 'other',
};

const TAG_WORDS: Readonly<Record<string, ResidentTag>> = {
  独居老人: 'elderly-alone',
  空巢老人: 'elderly-alone',
  独居: 'elderly-alone',
  残疾人: 'disabled',
  残疾: 'disabled',
  残障: 'disabled',
  未成年人: 'minor',
  未成年: 'minor',
  儿童: 'minor',
  党员: 'party-member',
  中共党员: 'party-member',
  志愿者: 'volunteer',
  特殊关爱: 'special-care',
  特殊人群: 'special-care',
  重点关爱: 'special-care',
  特殊关爱对象: 'special-care',
};

const SEX_WORDS: Readonly<Record<string, Sex>> = {
  男: 'male',
  女: 'female',
  male: 'male',
  female: 'female',
  m: 'male',
  f: 'female',
};

export function normaliseHeader(header: string): string {
  return normaliseCell(header)
    .replace(/[*＊:：]/g, '')
    .replace(/[(（【[][^)）】\]]*[)）】\]]$/, '')
    .toLowerCase();
}

const HEADER_LOOKUP: ReadonlyMap<string, ImportColumn> = new Map(
  IMPORT_COLUMNS.flatMap((column) => IMPORT_HEADERS[column].map((h) => [normaliseHeader(h), column] as const)),
);

export function columnOfHeader(header: string): ImportColumn | null {
  return HEADER_LOOKUP.get(normaliseHeader(header)) ?? null;
}

/** One field an update-mode row changes, as text for the preview (phones masked; relation and tags as codes). */
export interface ImportChange {
  readonly field: ImportUpdateField;
  readonly from: string;
  readonly to: string;
}

export interface ImportPlanRow {
  /** The row number Excel shows (header row included, 1-based). */
  readonly rowNumber: number;
  /** Present when the row has no errors and something to write: ready for `importResidents`. */
  readonly input?: ImportRowInput;
  readonly errors: readonly DomainError[];
  /** The household the row creates (its key), when it has none yet. */
  readonly newHousehold?: string;
  /** The row's building is missing and created by the import (`newBuildings[].key`). */
  readonly newBuilding?: string;
  /** Update mode: the resident with the row's ID number and what the row changes (empty: nothing, not imported). */
  readonly update?: { readonly residentId: string; readonly changes: readonly ImportChange[] };
}

/** A building the roster names that its compound lacks: listed in the preview, created with the import. */
export interface PlannedNewBuilding {
  /** `compoundId|buildingKey`. */
  readonly key: string;
  readonly compoundId: string;
  readonly compoundName: string;
  /** As the first row naming it writes it (a bare 3 reads 3栋). */
  readonly name: string;
  /** Rows (as Excel shows them) living in it. */
  readonly rows: readonly number[];
}

/** A row read past with a note: a blank row inside the table, or a 合计/总计 footer. */
export interface SkippedRow {
  readonly rowNumber: number;
  readonly reason: 'blank' | 'total';
}

export type ImportMode = 'create' | 'update';

export interface ImportOptions {
  /** The compound of rows without a 小区 column or value (a community of several compounds; the wizard's choice). */
  readonly defaultCompoundId?: string | null;
  /**
   * `create` (default): an ID number the registry holds is an error. `update`: that row updates the resident
   * (the monthly roster), new ID numbers are created.
   */
  readonly mode?: ImportMode;
  /** Update mode: an empty phone, tags or note cell clears the stored value (otherwise an empty cell changes nothing). */
  readonly clearBlanks?: boolean;
}

export interface ImportPlan {
  readonly headerErrors: readonly DomainError[];
  /** Row number of the header row as Excel shows it. */
  readonly headerRow: number;
  readonly columns: Readonly<Partial<Record<ImportColumn, number>>>;
  /** Headers that map to nothing (shown to the user so a misspelt column is noticed). */
  readonly ignoredHeaders: readonly string[];
  readonly rows: readonly ImportPlanRow[];
  /** Rows with an input: new residents and residents changed. */
  readonly validCount: number;
  readonly errorCount: number;
  /** Update mode: rows matching a resident whose roster values are already stored. */
  readonly unchangedCount: number;
  readonly updateCount: number;
  /** Households the valid rows will create (the rest are matched to existing ones). */
  readonly newHouseholds: number;
  readonly newBuildings: readonly PlannedNewBuilding[];
  readonly skipped: readonly SkippedRow[];
}

/** A cell as text: a string trimmed, a number written out, anything else (or a missing cell) empty. */
export function sheetCell(row: readonly string[] | undefined, index: number | undefined): string {
  if (row === undefined || index === undefined) return '';
  const cell: unknown = row[index];
  return typeof cell === 'string' ? cell.trim() : typeof cell === 'number' ? String(cell) : '';
}

export function isBlankRow(row: readonly string[]): boolean {
  return row.every((cell) => typeof cell !== 'string' || normaliseCell(cell) === '');
}

export interface SheetHeader<C extends string> {
  /** Index of the header row in the grid (of the first five rows, the one naming the most known columns). */
  readonly headerIndex: number;
  readonly columns: Partial<Record<C, number>>;
  /** A column named twice, a required column missing, too many rows. */
  readonly errors: DomainError[];
  /** Headers that map to nothing. */
  readonly ignored: string[];
}

/**
 * Finds and maps the header row of a sheet (the registry's and the task list's imports): `columnOf` names the column
 * of a header, `required` the columns that must be there, `maxRows` the data rows allowed.
 */
export function readSheetHeader<C extends string>(
  rows: readonly (readonly string[])[],
  columnOf: (header: string) => C | null,
  required: readonly C[],
  maxRows: number,
): SheetHeader<C> {
  let headerIndex = 0;
  let bestCount = -1;
  for (let i = 0; i < Math.min(HEADER_SEARCH_ROWS, rows.length); i++) {
    const count = (rows[i] ?? []).filter((cell) => typeof cell === 'string' && columnOf(cell) !== null).length;
    if (count > bestCount) {
      headerIndex = i;
      bestCount = count;
    }
  }
  const columns: Partial<Record<C, number>> = {};
  const errors: DomainError[] = [];
  const ignored: string[] = [];
  (rows[headerIndex] ?? []).forEach((header, index) => {
    if (typeof header !== 'string' || normaliseCell(header) === '') return;
    const column = columnOf(header);
    if (column === null) ignored.push(header);
    else if (columns[column] !== undefined)
      errors.push(domainError('import.header-duplicate', column, { column, header }));
    else columns[column] = index;
  });
  for (const column of required) {
    if (columns[column] === undefined) errors.push(domainError('import.header-missing', column, { column }));
  }
  if (rows.length - headerIndex - 1 > maxRows) {
    errors.push(domainError('import.too-many-rows', undefined, { max: maxRows }));
  }
  return { headerIndex, columns, errors, ignored };
}

/** Dates as sheets hold them: 1990-01-01, 1990/1/1, 1990.1.1, 1990年1月1日, 19900101, or an Excel serial day. */
export function parseSheetDate(raw: string): string | null {
  const v = normaliseCell(raw);
  const parts = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (parts !== null) {
    const [y, m, d] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
    return isCalendarDay(y, m, d) ? isoDate(y, m, d) : null;
  }
  if (/^\d{4,5}$/.test(v)) {
    // Excel's 1900 date system: serial 1 is 1900-01-01 and 60 a fictitious 1900-02-29, so count from 1899-12-30.
    const date = new Date(Date.UTC(1899, 11, 30) + Number(v) * 86_400_000);
    return date.toISOString().slice(0, 10);
  }
  return null;
}

function parseArea(raw: string): number | null | 'invalid' {
  const v = normaliseCell(raw).replace(/(平方米|平米|m2|m²|㎡)$/i, '');
  if (v === '') return null;
  if (!/^\d+(\.\d+)?$/.test(v)) return 'invalid';
  const n = Number(v);
  return n > 0 && n <= 100_000 ? n : 'invalid';
}

interface Lookups {
  readonly compounds: Map<string, string>;
  /** `compoundId|buildingKey` and `*|buildingKey` → building ids. */
  readonly buildings: Map<string, string[]>;
  /** ID numbers two living residents hold (a merge of two devices' work). */
  readonly shared: Set<string>;
  /** Living residents by ID number (the first of two after a merge). */
  readonly residents: Map<string, RegistrySnapshot['residents'] extends ReadonlyMap<string, infer R> ? R : never>;
  readonly entrances: Map<string, string>;
  readonly households: Set<string>;
}

function lookups(snapshot: RegistrySnapshot): Lookups {
  const compounds = new Map<string, string>();
  for (const c of snapshot.compounds.values()) compounds.set(compoundKey(c.name), c.id);
  const buildings = new Map<string, string[]>();
  const add = (key: string, id: string) => buildings.set(key, [...(buildings.get(key) ?? []), id]);
  for (const b of snapshot.buildings.values()) {
    add(`${b.compoundId}|${buildingKey(b.name)}`, b.id);
    add(`*|${buildingKey(b.name)}`, b.id);
  }
  const residents: Lookups['residents'] = new Map();
  const shared = new Set<string>();
  for (const r of snapshot.residents.values()) {
    if (r.deletedAt != null) continue;
    if (residents.has(r.idNumber)) shared.add(r.idNumber);
    else residents.set(r.idNumber, r);
  }
  const entrances = new Map<string, string>();
  for (const e of snapshot.entrances.values()) entrances.set(`${e.buildingId}|${entranceKey(e.name)}`, e.id);
  const households = new Set<string>();
  for (const h of snapshot.households.values())
    households.add(`${h.buildingId}|${h.entranceId ?? ''}|${doorKey(h.doorNumber)}`);
  return { compounds, buildings, residents, shared, entrances, households };
}

function splitTags(raw: string): { tags: ResidentTag[]; unknown: string[] } {
  const tags: ResidentTag[] = [];
  const unknown: string[] = [];
  for (const word of normaliseCell(raw).split(/[,，、;；/|]+/)) {
    if (word === '') continue;
    const tag = TAG_WORDS[word];
    if (tag === undefined) unknown.push(word);
    else if (!tags.includes(tag)) tags.push(tag);
  }
  return { tags, unknown };
}

/** The row is a footer that sums the sheet: its first filled cell starts with 合计, 总计, 小计 or 共计. */
export function isTotalRow(row: readonly string[]): boolean {
  const first = row.find((cell) => typeof cell === 'string' && normaliseCell(cell) !== '');
  return first !== undefined && TOTAL_ROW.test(normaliseCell(first));
}

/** A bare number names a building as offices write it (3 → 3栋); other names stay as written. */
function newBuildingName(text: string): string {
  const v = normaliseCell(text);
  return /^\d+$/.test(v) ? `${v}栋` : v;
}

/**
 * Plans an import. `rows[0..4]` is searched for the header row (title rows above it are skipped); every later row
 * becomes a plan row, except blank rows and a 合计/总计 footer, which are listed in `skipped` (blank rows after the last
 * filled one are not even listed). Missing required headers give header errors and no rows. `today` (`YYYY-MM-DD`)
 * bounds birth dates. The rules: docs/registry-model.md, "Import".
 */
export function planResidentImport(
  rows: readonly (readonly string[])[],
  snapshot: RegistrySnapshot,
  today: string,
  options: ImportOptions = {},
): ImportPlan {
  const mode = options.mode ?? 'create';
  const empty = (
    headerErrors: DomainError[],
    headerRow = 1,
    columns = {},
    ignoredHeaders: string[] = [],
  ): ImportPlan => ({
    headerErrors,
    headerRow,
    columns,
    ignoredHeaders,
    rows: [],
    validCount: 0,
    errorCount: 0,
    unchangedCount: 0,
    updateCount: 0,
    newHouseholds: 0,
    newBuildings: [],
    skipped: [],
  });
  const cellText = sheetCell;
  if (rows.length === 0 || rows.every(isBlankRow)) return empty([domainError('import.empty')]);
  const mapped = readSheetHeader(rows, columnOfHeader, REQUIRED_IMPORT_COLUMNS, MAX_IMPORT_ROWS);
  const headerIndex = mapped.headerIndex;
  const ignored = mapped.ignored.filter((h) => !PROBLEM_HEADER_KEYS.has(normaliseCell(h).toLowerCase()));
  if (mapped.errors.length > 0) return empty(mapped.errors, headerIndex + 1, mapped.columns, ignored);

  const col = mapped.columns;
  const look = lookups(snapshot);
  const defaultCompound =
    options.defaultCompoundId != null && snapshot.compounds.has(options.defaultCompoundId)
      ? options.defaultCompoundId
      : null;
  const firstRowOfId = new Map<string, number>();
  const newBuildings = new Map<string, { compoundId: string; name: string; rows: number[] }>();
  const planned: ImportPlanRow[] = [];
  const skipped: SkippedRow[] = [];
  let lastFilled = rows.length - 1;
  while (lastFilled > headerIndex && isBlankRow(rows[lastFilled] ?? [])) lastFilled--;

  for (let i = headerIndex + 1; i <= lastFilled; i++) {
    const row = rows[i] ?? [];
    const rowNumber = i + 1;
    if (isBlankRow(row)) {
      skipped.push({ rowNumber, reason: 'blank' });
      continue;
    }
    const get = (column: ImportColumn) => cellText(row, col[column]);
    if (isTotalRow(row) && !parseIdNumber(get('idNumber'), today).ok) {
      skipped.push({ rowNumber, reason: 'total' });
      continue;
    }
    const errors: DomainError[] = [];

    const name = normaliseCell(get('name'));
    if (name === '') errors.push(domainError('required', 'name'));

    let idNumber = '';
    let idSex: Sex | null = null;
    let idBirth: string | null = null;
    let existing: ReturnType<Lookups['residents']['get']> = undefined;
    if (get('idNumber') === '') errors.push(domainError('required', 'idNumber'));
    else {
      const parsed = parseIdNumber(get('idNumber'), today);
      if (!parsed.ok) errors.push(parsed.error);
      else {
        ({ idNumber } = parsed.value);
        idSex = parsed.value.sex;
        idBirth = parsed.value.birthDate;
        const earlier = firstRowOfId.get(idNumber);
        if (earlier !== undefined) errors.push(domainError('import.duplicate-in-file', 'idNumber', { row: earlier }));
        else {
          firstRowOfId.set(idNumber, rowNumber);
          existing = look.residents.get(idNumber);
          // Update mode cannot tell which of two residents sharing a number (a merge of two devices' work) is meant.
          if (existing !== undefined && (mode === 'create' || look.shared.has(idNumber)))
            errors.push(domainError('id-number.duplicate', 'idNumber'));
        }
      }
    }

    const sexText = normaliseCell(get('sex')).toLowerCase();
    if (sexText !== '') {
      const sex = SEX_WORDS[sexText] ?? SEX_WORDS[sexText.replace(/性$/, '')];
      if (sex === undefined) errors.push(domainError('import.sex-invalid', 'sex'));
      else if (idSex !== null && sex !== idSex) errors.push(domainError('id-number.sex-mismatch', 'sex'));
    }

    const birthText = get('birthDate');
    if (birthText !== '') {
      const birth = parseSheetDate(birthText);
      // A sheet's "出生年月" column often holds only year and month (1990-01 / 1990年1月): compare what it has.
      const yearMonth = /^(\d{4})[-/.年](\d{1,2})月?$/.exec(normaliseCell(birthText));
      if (birth === null && yearMonth === null) errors.push(domainError('date.invalid', 'birthDate'));
      else if (idBirth !== null) {
        const agrees =
          birth !== null
            ? birth === idBirth
            : idBirth.startsWith(`${yearMonth?.[1] ?? ''}-${(yearMonth?.[2] ?? '').padStart(2, '0')}`);
        if (!agrees) errors.push(domainError('id-number.birth-mismatch', 'birthDate'));
      }
    }

    let phone: string | null = null;
    if (get('phone') !== '') {
      const parsed = parsePhone(get('phone'));
      if (parsed.ok) phone = parsed.value.phone;
      else errors.push(parsed.error);
    }

    // The row's compound: its 小区 cell, else the compound chosen in the wizard, else none (any compound's building).
    let compoundId: string | null;
    let compoundKnown = true;
    const compoundText = get('compound');
    if (compoundText !== '') {
      compoundId = look.compounds.get(compoundKey(compoundText)) ?? null;
      if (compoundId === null) {
        compoundKnown = false;
        errors.push(domainError('import.compound-unknown', 'compound', { compound: compoundText }));
      }
    } else compoundId = defaultCompound;
    let buildingId: string | null = null;
    let newBuildingKey: string | null = null;
    const buildingText = get('building');
    if (buildingText === '') errors.push(domainError('required', 'building'));
    else if (compoundKnown) {
      const candidates = look.buildings.get(`${compoundId ?? '*'}|${buildingKey(buildingText)}`) ?? [];
      if (candidates.length > 1)
        errors.push(domainError('import.building-ambiguous', 'building', { building: buildingText }));
      else if (candidates.length === 1) buildingId = candidates[0] ?? null;
      else if (compoundId === null)
        errors.push(domainError('import.building-unknown', 'building', { building: buildingText }));
      else newBuildingKey = `${compoundId}|${buildingKey(buildingText)}`;
    }

    const doorNumber = normaliseCell(get('doorNumber'));
    if (doorNumber === '') errors.push(domainError('required', 'doorNumber'));
    const entranceName = normaliseCell(get('entrance'));

    let relation: Relation = 'other';
    const relationText = normaliseCell(get('relation'));
    if (relationText !== '') {
      const mappedRelation = RELATION_WORDS[relationText];
      if (mappedRelation === undefined)
        errors.push(domainError('import.relation-unknown', 'relation', { relation: relationText }));
      else relation = mappedRelation;
    }

    const { tags, unknown } = splitTags(get('tags'));
    for (const tag of unknown) errors.push(domainError('import.tag-unknown', 'tags', { tag }));

    const area = parseArea(get('floorArea'));
    if (area === 'invalid') errors.push(domainError('number.invalid', 'floorArea'));

    if (errors.length > 0 || (buildingId === null && newBuildingKey === null)) {
      planned.push({ rowNumber, errors });
      continue;
    }
    // Entrances and households of a building to be created are all new.
    const newEntrance = `new:${entranceKey(entranceName)}`;
    const entranceId =
      entranceName === ''
        ? ''
        : buildingId === null
          ? newEntrance
          : (look.entrances.get(`${buildingId}|${entranceKey(entranceName)}`) ?? newEntrance);
    const hKey = `${buildingId ?? `new:${newBuildingKey ?? ''}`}|${entranceId}|${doorKey(doorNumber)}`;
    const note = get('note');
    const input: ImportRowInput = {
      name,
      idNumber,
      phone,
      ...(buildingId !== null
        ? { buildingId: buildingId as ImportRowInput['buildingId'] }
        : {
            newBuilding: {
              compoundId: compoundId as NonNullable<ImportRowInput['newBuilding']>['compoundId'],
              name: newBuildingName(buildingText),
            },
          }),
      entranceName: entranceName === '' ? null : entranceName,
      doorNumber,
      relation,
      tags,
      floorArea: area === 'invalid' ? null : area,
      partyCheckIn: null,
      note,
    };

    const places = {
      ...(look.households.has(hKey) ? {} : { newHousehold: hKey }),
      ...(newBuildingKey === null ? {} : { newBuilding: newBuildingKey }),
    };
    if (existing !== undefined) {
      // Update mode: compare the roster with the stored resident, field by field; a column the sheet lacks, or an
      // empty cell the person did not ask to clear, changes nothing (docs/registry-model.md, "Import").
      const has = (column: ImportColumn) => col[column] !== undefined;
      const clear = options.clearBlanks === true;
      const changes: ImportChange[] = [];
      const fields: ImportUpdateField[] = [];
      const change = (field: ImportUpdateField, from: string, to: string) => {
        fields.push(field);
        if (from !== to) changes.push({ field, from, to });
      };
      if (name !== existing.name) change('name', existing.name, name);
      if (has('phone') && (phone !== null || clear) && phone !== existing.phone) {
        change(
          'phone',
          existing.phone === null ? '' : maskPhone(existing.phone),
          phone === null ? '' : maskPhone(phone),
        );
      }
      const current = snapshot.households.get(existing.householdId);
      const currentKey =
        current === undefined ? '' : `${current.buildingId}|${current.entranceId ?? ''}|${doorKey(current.doorNumber)}`;
      // A roster without a 单元 (the column or the cell) keeps a resident in the entrance of the same building and door.
      const sameDoor =
        entranceName === '' &&
        current !== undefined &&
        current.buildingId === buildingId &&
        doorKey(current.doorNumber) === doorKey(doorNumber);
      if (hKey !== currentKey && !sameDoor) {
        const buildingCompound = buildingId === null ? null : snapshot.buildings.get(buildingId)?.compoundId;
        const compoundName = snapshot.compounds.get(buildingCompound ?? compoundId ?? '')?.name ?? '';
        const building =
          buildingId === null ? newBuildingName(buildingText) : (snapshot.buildings.get(buildingId)?.name ?? '');
        change('household', current?.address ?? '', `${compoundName}${building}${entranceName}${doorNumber}`);
      }
      if (relationText !== '' && relation !== existing.relation) change('relation', existing.relation, relation);
      const sameTags = tags.length === existing.tags.length && tags.every((tag) => existing.tags.includes(tag));
      if (has('tags') && (tags.length > 0 || clear) && !sameTags) {
        change('tags', existing.tags.join(','), tags.join(','));
      }
      if (has('note') && (note !== '' || clear) && note !== existing.note) change('note', existing.note, note);
      const update = { residentId: existing.id, changes };
      if (changes.length === 0) {
        planned.push({ rowNumber, errors, update });
        continue;
      }
      // A resident who stays where they live makes no household or building.
      const moves = fields.includes('household');
      planned.push({ rowNumber, errors, update, input: { ...input, update: fields }, ...(moves ? places : {}) });
    } else planned.push({ rowNumber, errors, input, ...places });
    if (newBuildingKey !== null && compoundId !== null) {
      const known = newBuildings.get(newBuildingKey);
      if (known === undefined) {
        newBuildings.set(newBuildingKey, { compoundId, name: newBuildingName(buildingText), rows: [rowNumber] });
      } else known.rows.push(rowNumber);
    }
  }
  const validCount = planned.filter((r) => r.input !== undefined).length;
  const errorCount = planned.filter((r) => r.errors.length > 0).length;
  const updateCount = planned.filter((r) => r.input !== undefined && r.update !== undefined).length;
  return {
    headerErrors: [],
    headerRow: headerIndex + 1,
    columns: col,
    ignoredHeaders: ignored,
    rows: planned,
    validCount,
    errorCount,
    unchangedCount: planned.length - validCount - errorCount,
    updateCount,
    newHouseholds: countNewHouseholds(planned),
    newBuildings: [...newBuildings].map(([key, b]) => ({
      key,
      compoundId: b.compoundId,
      compoundName: snapshot.compounds.get(b.compoundId)?.name ?? '',
      name: b.name,
      rows: b.rows,
    })),
    skipped,
  };
}

function countNewHouseholds(rows: readonly ImportPlanRow[]): number {
  return new Set(rows.flatMap((r) => (r.input === undefined || r.newHousehold === undefined ? [] : [r.newHousehold])))
    .size;
}

/**
 * The plan when the person declines to create the missing buildings: the rows living in them become problem rows
 * (`import.building-unknown`), to fix and import again, and nothing new is built.
 */
export function withoutNewBuildings(plan: ImportPlan): ImportPlan {
  if (plan.newBuildings.length === 0) return plan;
  const names = new Map(plan.newBuildings.map((b) => [b.key, b.name]));
  const rows = plan.rows.map((r): ImportPlanRow => {
    if (r.newBuilding === undefined) return r;
    const building = names.get(r.newBuilding) ?? '';
    return {
      rowNumber: r.rowNumber,
      errors: [domainError('import.building-unknown', 'building', { building })],
      ...(r.update === undefined ? {} : { update: r.update }),
    };
  });
  const validCount = rows.filter((r) => r.input !== undefined).length;
  const errorCount = rows.filter((r) => r.errors.length > 0).length;
  return {
    ...plan,
    rows,
    validCount,
    errorCount,
    updateCount: rows.filter((r) => r.input !== undefined && r.update !== undefined).length,
    newHouseholds: countNewHouseholds(rows),
    newBuildings: [],
  };
}

/** The `importResidents` input for the valid rows of a plan. */
export function importInputFromPlan(plan: ImportPlan): { rows: ImportRowInput[] } {
  return { rows: plan.rows.flatMap((r) => (r.input === undefined ? [] : [r.input])) };
}
