/**
 * The 双报到 workbooks (docs/party-model.md, "Excel"): the roster of members and units, the year's service hours per
 * member and 小红帽 hours per volunteer, the import templates of members' check-ins and of units (each with a sheet
 * 填写说明 after the one to fill in: the import reads the first visible sheet), and the rows an import could not take
 * with the reason of each. Written with exceljs as the registry's and the funds' workbooks are (renderer/data/excel.ts,
 * renderer/features/resources/exportFunds.ts); read back by `readSheet`. Headers and cell words are Chinese in either
 * UI language (the file format offices exchange); a problem's reason is the screen's language.
 */
import * as ExcelJS from 'exceljs';
import { creditCheckChar } from '@shared/domain/party/creditCode';
import { makeIdNumber, seqForSex } from '@shared/domain/registry/idNumber';
import { CHANNEL_WORDS, ROSTER_IMPORT_HEADERS, type MemberHoursRow, type RosterRow } from '@shared/domain/party/roster';
import {
  AGREEMENT_DEFAULT_CONTENT,
  AGREEMENT_WORDS,
  UNIT_IMPORT_HEADERS,
  UNIT_KIND_WORDS,
} from '@shared/domain/party/unitImport';

/** The sheets' names and headers (file format). */
export const ROSTER_SHEETS = { members: '党员报到', units: '驻区单位' } as const;
export const MEMBER_ROSTER_HEADERS = [
  '姓名',
  '住址',
  '首次报到',
  '最近报到',
  '报到次数',
  '复报到到期日',
  '报到状态',
  '工作单位',
];
export const UNIT_ROSTER_HEADERS = ['单位名称', '首次报到', '最近报到', '报到次数', '复报到到期日', '报到状态'];
export const HOURS_SHEETS = { members: '党员服务时长', volunteers: '小红帽志愿时长' } as const;
export const MEMBER_HOURS_HEADERS = ['姓名', '服务次数', '服务时长'];
export const VOLUNTEER_HOURS_HEADERS = ['志愿者', '服务次数', '志愿时长'];
export const PROBLEM_HEADER = '未导入原因';
/** 报到状态 in the sheet. */
export const STATUS_WORDS = { never: '未报到', due: '复报到已到期', ok: '正常' } as const;

const HOURS = '0.0';

function toBytes(data: ArrayBuffer | Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(data instanceof Uint8Array ? data : new Uint8Array(data));
}

async function finish(workbook: ExcelJS.Workbook): Promise<Uint8Array<ArrayBuffer>> {
  return toBytes(await workbook.xlsx.writeBuffer());
}

function table(workbook: ExcelJS.Workbook, name: string, title: string, headers: readonly string[]) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.addRow([title]).font = { bold: true, size: 13 };
  sheet.addRow([...headers]).font = { bold: true };
  headers.forEach((_, i) => (sheet.getColumn(i + 1).width = i === 0 ? 20 : 14));
  return sheet;
}

/** The 双报到 roster: the members' sheet, then the units' sheet, as they stand on `today`. */
export async function writeRosterWorkbook(
  rows: readonly RosterRow[],
  communityName: string,
  today: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'community-workstation';
  const title = `${communityName} 双报到名册 ${today}`.trim();
  const members = table(workbook, ROSTER_SHEETS.members, title, MEMBER_ROSTER_HEADERS);
  const units = table(workbook, ROSTER_SHEETS.units, title, UNIT_ROSTER_HEADERS);
  for (const r of rows) {
    const s = r.state;
    const common = [s.first ?? '', s.last ?? '', r.checkIns, s.due ?? '', STATUS_WORDS[s.status]];
    if (r.kind === 'member') members.addRow([r.name, r.address, ...common, r.workplace]);
    else units.addRow([r.name, ...common]);
  }
  members.getColumn(2).width = 28;
  members.getColumn(8).width = 24;
  return finish(workbook);
}

/** The year's service hours per party member and 小红帽 hours per volunteer, two sheets. */
export async function writeHoursWorkbook(
  year: number,
  communityName: string,
  members: readonly MemberHoursRow[],
  volunteers: readonly { volunteerId: string; hours: number; times: number }[],
  nameOf: (id: string) => string,
): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'community-workstation';
  const m = table(
    workbook,
    HOURS_SHEETS.members,
    `${communityName} ${year}年 党员服务时长`.trim(),
    MEMBER_HOURS_HEADERS,
  );
  for (const r of members) m.addRow([nameOf(r.memberId), r.services, r.hours]);
  m.getColumn(3).numFmt = HOURS;
  const v = table(
    workbook,
    HOURS_SHEETS.volunteers,
    `${communityName} ${year}年 小红帽志愿时长`.trim(),
    VOLUNTEER_HOURS_HEADERS,
  );
  for (const r of volunteers) v.addRow([nameOf(r.volunteerId), r.times, r.hours]);
  v.getColumn(3).numFmt = HOURS;
  return finish(workbook);
}

/** The sheet of a template's instructions: a title, then one line per column or rule. */
function instructions(workbook: ExcelJS.Workbook, title: string, lines: readonly (readonly [string, string])[]) {
  const sheet = workbook.addWorksheet(TEMPLATE_HELP_SHEET);
  sheet.addRow([title]).font = { bold: true, size: 13 };
  sheet.addRow(['列', '怎么填']).font = { bold: true };
  for (const line of lines) sheet.addRow([...line]);
  sheet.getColumn(1).width = 18;
  sheet.getColumn(2).width = 90;
}

export const TEMPLATE_HELP_SHEET = '填写说明';

/** A made-up ID number for the template's example row: valid in form, held by nobody (birth day 1 January 1970). */
export const TEMPLATE_ID_NUMBER = makeIdNumber('511302', '1970-01-01', seqForSex(7, 'male'));

/**
 * An empty members' check-in roster to fill in (the columns the import reads) with one example row, and a sheet
 * 填写说明. The 身份证号 column is text: an 18-digit number typed into a number cell loses its last digits in Excel.
 */
export async function writeRosterTemplate(): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('党员报到');
  sheet.addRow([...ROSTER_IMPORT_HEADERS]).font = { bold: true };
  ROSTER_IMPORT_HEADERS.forEach((_, i) => (sheet.getColumn(i + 1).width = 18));
  sheet.getColumn(2).width = 22;
  sheet.getColumn(2).numFmt = '@';
  sheet.addRow(['王建国', TEMPLATE_ID_NUMBER, '3栋301', '2026-03-02', CHANNEL_WORDS.offline, '南充市第一中学']);
  instructions(workbook, '党员报到导入：填写说明（示例行导入前请删除）', [
    ['姓名', '必填（填了身份证号时可不填）。'],
    [
      '身份证号',
      '建议填写：按身份证号找到登记簿中的党员，同名也不会认错。18 位，末位可为 X；本列为文本格式，请勿改成数字，否则后几位会丢失。身份证号与姓名不符、登记簿中没有此人、此人不是党员时，该行不导入并写明原因。',
    ],
    ['住址', '没有身份证号时按姓名找党员；几位党员同名时，填住址（如 3栋301）区分。'],
    ['报到日期', '必填，如 2026-03-02、2026/3/2、2026年3月2日；不能晚于今天。'],
    ['报到方式', '线下 或 线上；不填为线下。'],
    ['工作单位', '可不填，100 字以内。'],
    ['重复导入', '同一党员同一天的报到已登记过的，再次导入时跳过，不会重复登记。'],
  ]);
  return finish(workbook);
}

/** A made-up credit code for the template's example row, with a right check character (GB 32100-2015). */
export const TEMPLATE_CREDIT_CODE = `12511300MB1234567${creditCheckChar('12511300MB1234567') ?? ''}`;

/**
 * An empty units sheet to fill in (the columns the units import reads) with one example row, and a sheet 填写说明.
 * The credit code column is text, as the ID number's.
 */
export async function writeUnitTemplate(): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(ROSTER_SHEETS.units);
  sheet.addRow([...UNIT_IMPORT_HEADERS]).font = { bold: true };
  UNIT_IMPORT_HEADERS.forEach((_, i) => (sheet.getColumn(i + 1).width = 16));
  sheet.getColumn(1).width = 24;
  sheet.getColumn(2).width = 22;
  sheet.getColumn(2).numFmt = '@';
  sheet.addRow([
    '南充市第一中学',
    TEMPLATE_CREDIT_CODE,
    UNIT_KIND_WORDS.institution,
    '南充市第一中学党委',
    '刘芳',
    '0817-2345678',
    '人民南路 1 号',
    '2026-03-02',
    AGREEMENT_WORDS.yes[0],
    '2026-03-02',
    '2027-03-01',
    '共建文明小区，每季度一次志愿服务',
  ]);
  instructions(workbook, '驻区单位导入：填写说明（示例行导入前请删除）', [
    [
      '单位名称',
      '必填，100 字以内。已登记的单位按统一社会信用代码找，没有代码时按名称找；找到的更新，找不到的新登记。',
    ],
    ['统一社会信用代码', '可不填；填写时须为 18 位且校验位正确。已登记单位按代码找到时，单位名称不同即改名。'],
    ['单位类型', `新单位必填：${Object.values(UNIT_KIND_WORDS).join('、')}。`],
    ['单位党组织、联系人、联系电话、地址', '可不填；不填的不改动已登记的内容。'],
    ['首次报到日期', '新单位必填，不能晚于今天；已登记单位的首次报到日期不能改，填写时须与已登记的相同。'],
    [
      '共建协议',
      `${AGREEMENT_WORDS.yes[0]} 或 ${AGREEMENT_WORDS.no[0]}；填“${AGREEMENT_WORDS.yes[0]}”时须填协议签订日期和到期日期（已登记过协议的可不填），协议内容不填记为“${AGREEMENT_DEFAULT_CONTENT}”。填“${AGREEMENT_WORDS.no[0]}”不会终止已生效的协议。`,
    ],
    ['重复导入', '内容与已登记的相同的行跳过，不会重复登记。'],
  ]);
  return finish(workbook);
}

/**
 * The rows an import did not take, as they were in the file, with the reason of each in a last column: the person
 * corrects them there and imports the sheet again (rows already recorded are skipped then). Members' rows and
 * units' rows alike.
 */
export async function writeRosterProblems<R extends { readonly cells: readonly string[] }>(
  headers: readonly string[],
  rows: readonly R[],
  reason: (row: R) => string,
): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('未导入');
  const width = Math.max(headers.length, ...rows.map((r) => r.cells.length));
  const pad = (cells: readonly string[]) => Array.from({ length: width }, (_, i) => cells[i] ?? '');
  sheet.addRow([...pad(headers), PROBLEM_HEADER]).font = { bold: true };
  for (const row of rows) sheet.addRow([...pad(row.cells), reason(row)]);
  sheet.getColumn(width + 1).width = 40;
  return finish(workbook);
}
