/**
 * The 双报到 workbooks (docs/party-model.md, "Excel"): the roster of members and units, the year's service hours per
 * member and 小红帽 hours per volunteer, the members' check-in import template, and the rows an import could not take
 * with the reason of each. Written with exceljs as the registry's and the funds' workbooks are (renderer/data/excel.ts,
 * renderer/features/resources/exportFunds.ts); read back by `readSheet`. Headers and cell words are Chinese in either
 * UI language (the file format offices exchange); a problem's reason is the screen's language.
 */
import * as ExcelJS from 'exceljs';
import {
  CHANNEL_WORDS,
  ROSTER_IMPORT_HEADERS,
  type MemberHoursRow,
  type PlannedRosterRow,
  type RosterRow,
} from '@shared/domain/party/roster';

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

/** An empty members' check-in roster to fill in (the columns the import reads), with one example row. */
export async function writeRosterTemplate(): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('党员报到');
  sheet.addRow([...ROSTER_IMPORT_HEADERS]).font = { bold: true };
  sheet.addRow(['王建国', '3栋301', '2026-03-02', CHANNEL_WORDS.offline, '南充市第一中学']);
  ROSTER_IMPORT_HEADERS.forEach((_, i) => (sheet.getColumn(i + 1).width = 18));
  return finish(workbook);
}

/**
 * The rows an import did not take, as they were in the file, with the reason of each in a last column: the person
 * corrects them there and imports the sheet again (rows already recorded are skipped then).
 */
export async function writeRosterProblems(
  headers: readonly string[],
  rows: readonly PlannedRosterRow[],
  reason: (row: PlannedRosterRow) => string,
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
