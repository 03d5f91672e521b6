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
import { parsePhone } from './phone';
import type { BuildingId, ImportResidentRow, Relation, ResidentTag, Sex } from './types';

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

export interface ImportPlanRow {
  /** The row number Excel shows (header row included, 1-based). */
  readonly rowNumber: number;
  /** Present when the row has no errors: ready for `importResidents`. */
  readonly input?: ImportResidentRow & { readonly buildingId: BuildingId };
  readonly errors: readonly DomainError[];
}

export interface ImportPlan {
  readonly headerErrors: readonly DomainError[];
  /** Row number of the header row as Excel shows it. */
  readonly headerRow: number;
  readonly columns: Readonly<Partial<Record<ImportColumn, number>>>;
  /** Headers that map to nothing (shown to the user so a misspelt column is noticed). */
  readonly ignoredHeaders: readonly string[];
  readonly rows: readonly ImportPlanRow[];
  readonly validCount: number;
  readonly errorCount: number;
  /** Households the valid rows will create (the rest are matched to existing ones). */
  readonly newHouseholds: number;
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
  readonly idNumbers: Set<string>;
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
  const idNumbers = new Set<string>();
  for (const r of snapshot.residents.values()) if (r.deletedAt == null) idNumbers.add(r.idNumber);
  const entrances = new Map<string, string>();
  for (const e of snapshot.entrances.values()) entrances.set(`${e.buildingId}|${entranceKey(e.name)}`, e.id);
  const households = new Set<string>();
  for (const h of snapshot.households.values())
    households.add(`${h.buildingId}|${h.entranceId ?? ''}|${doorKey(h.doorNumber)}`);
  return { compounds, buildings, idNumbers, entrances, households };
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

/**
 * Plans an import. `rows[0..4]` is searched for the header row (title rows above it are skipped); every later row that
 * is not blank becomes a plan row. Missing required headers give header errors and no rows. `today` (`YYYY-MM-DD`)
 * bounds birth dates.
 */
export function planResidentImport(
  rows: readonly (readonly string[])[],
  snapshot: RegistrySnapshot,
  today: string,
): ImportPlan {
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
    newHouseholds: 0,
  });
  const cellText = sheetCell;
  if (rows.length === 0 || rows.every(isBlankRow)) return empty([domainError('import.empty')]);
  const mapped = readSheetHeader(rows, columnOfHeader, REQUIRED_IMPORT_COLUMNS, MAX_IMPORT_ROWS);
  const headerIndex = mapped.headerIndex;
  if (mapped.errors.length > 0) return empty(mapped.errors, headerIndex + 1, mapped.columns, mapped.ignored);

  const col = mapped.columns;
  const look = lookups(snapshot);
  const firstRowOfId = new Map<string, number>();
  const newHouseholds = new Set<string>();
  const planned: ImportPlanRow[] = [];

  for (let i = headerIndex + 1; i < rows.length; i++) {
    const row = rows[i] ?? [];
    if (isBlankRow(row)) continue;
    const rowNumber = i + 1;
    const get = (column: ImportColumn) => cellText(row, col[column]);
    const errors: DomainError[] = [];

    const name = normaliseCell(get('name'));
    if (name === '') errors.push(domainError('required', 'name'));

    let idNumber = '';
    let idSex: Sex | null = null;
    let idBirth: string | null = null;
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
          if (look.idNumbers.has(idNumber)) errors.push(domainError('id-number.duplicate', 'idNumber'));
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

    let compoundId: string | null = null;
    const compoundText = get('compound');
    if (compoundText !== '') {
      compoundId = look.compounds.get(compoundKey(compoundText)) ?? null;
      if (compoundId === null)
        errors.push(domainError('import.compound-unknown', 'compound', { compound: compoundText }));
    }
    let buildingId: string | null = null;
    const buildingText = get('building');
    if (buildingText === '') errors.push(domainError('required', 'building'));
    else if (compoundText === '' || compoundId !== null) {
      const candidates = look.buildings.get(`${compoundId ?? '*'}|${buildingKey(buildingText)}`) ?? [];
      if (candidates.length === 0)
        errors.push(domainError('import.building-unknown', 'building', { building: buildingText }));
      else if (candidates.length > 1)
        errors.push(domainError('import.building-ambiguous', 'building', { building: buildingText }));
      else buildingId = candidates[0] ?? null;
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

    if (errors.length > 0 || buildingId === null) {
      planned.push({ rowNumber, errors });
      continue;
    }
    const entranceId =
      entranceName === ''
        ? ''
        : (look.entrances.get(`${buildingId}|${entranceKey(entranceName)}`) ?? `new:${entranceKey(entranceName)}`);
    const hKey = `${buildingId}|${entranceId}|${doorKey(doorNumber)}`;
    if (!look.households.has(hKey)) newHouseholds.add(hKey);
    planned.push({
      rowNumber,
      errors,
      input: {
        name,
        idNumber,
        phone,
        buildingId: buildingId as BuildingId,
        entranceName: entranceName === '' ? null : entranceName,
        doorNumber,
        relation,
        tags,
        floorArea: area === 'invalid' ? null : area,
        partyCheckIn: null,
        note: get('note'),
      },
    });
  }
  const validCount = planned.filter((r) => r.input !== undefined).length;
  return {
    headerErrors: [],
    headerRow: headerIndex + 1,
    columns: col,
    ignoredHeaders: mapped.ignored,
    rows: planned,
    validCount,
    errorCount: planned.length - validCount,
    newHouseholds: newHouseholds.size,
  };
}

/** The `importResidents` input for the valid rows of a plan. */
export function importInputFromPlan(plan: ImportPlan): { rows: ImportResidentRow[] } {
  return { rows: plan.rows.flatMap((r) => (r.input === undefined ? [] : [r.input])) };
}
