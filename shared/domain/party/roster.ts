/**
 * The 双报到 records offices keep in Excel (docs/party-model.md, "Excel"): the roster of members and units with where
 * their check-in stands, the service hours per member and the 小红帽 hours per volunteer of a year (exports), and a
 * members' check-in roster read back from a sheet (import). Pure functions: the renderer reads and writes the .xlsx
 * bytes (renderer/features/party/excel.ts) and runs `recordCheckIn` for each row planned here.
 *
 * A row's 身份证号 (PIPL art. 28: sensitive personal information) is read to find the person and kept in the plan
 * only for the screen, which shows it masked; it is never logged, and the check-in recorded names the resident by id.
 *
 * The sheet's headers and words (线下/线上, 未报到) are Chinese in either UI language: they are the file format offices
 * exchange, as the registry's residents sheet.
 */
import { normaliseIdNumber, parseIdNumber } from '../registry/idNumber';
import { checkInsOf, checkInState, volunteerTotals, type CheckInState } from './rules';
import { subjectKey, type CheckIn, type CheckInChannel, type ServiceRecord, type VolunteerHours } from './types';

/** A party member as the roster names them (a living resident tagged 党员). */
export interface RosterMember {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  /** The registry's 报到 day (`partyCheckIn`). */
  readonly partyCheckIn: string | null;
}

export interface RosterUnit {
  readonly id: string;
  readonly name: string;
  readonly checkedInOn: string | null;
}

export interface RosterRow {
  readonly kind: 'member' | 'unit';
  readonly id: string;
  readonly name: string;
  /** A member's address; empty for a unit. */
  readonly address: string;
  readonly state: CheckInState;
  /** A member's 工作单位 named at the latest check-in that named one; empty for a unit. */
  readonly workplace: string;
  readonly checkIns: number;
}

/**
 * The 双报到 roster on `today`: every party member then every unit, with first and last check-in, the re-check-in due
 * and whether it is overdue (`checkInState`), and a member's workplace. `checkIns` are this and last year's records.
 */
export function rosterRows(
  members: readonly RosterMember[],
  units: readonly RosterUnit[],
  checkIns: readonly CheckIn[],
  today: string,
): RosterRow[] {
  const rows: RosterRow[] = [];
  for (const m of members) {
    const mine = checkInsOf(checkIns, { kind: 'member', id: m.id }).sort((a, b) => (a.on < b.on ? -1 : 1));
    rows.push({
      kind: 'member',
      id: m.id,
      name: m.name,
      address: m.address,
      state: checkInState(m.partyCheckIn, mine, today),
      workplace: [...mine].reverse().find((c) => c.workplace !== '')?.workplace ?? '',
      checkIns: mine.length,
    });
  }
  for (const u of units) {
    const mine = checkInsOf(checkIns, { kind: 'unit', id: u.id });
    rows.push({
      kind: 'unit',
      id: u.id,
      name: u.name,
      address: '',
      state: checkInState(u.checkedInOn, mine, today),
      workplace: '',
      checkIns: mine.length,
    });
  }
  return rows;
}

export interface MemberHoursRow {
  readonly memberId: string;
  readonly services: number;
  readonly hours: number;
}

/** Service hours per party member in `year` (every member, those with none at 0), in the members' order. */
export function memberHourRows(
  members: readonly string[],
  services: readonly ServiceRecord[],
  year: number,
): MemberHoursRow[] {
  const totals = new Map<string, { services: number; hours: number }>();
  for (const s of services) {
    if (s.subject.kind !== 'member' || !s.on.startsWith(`${year}-`)) continue;
    const t = totals.get(s.subject.id) ?? { services: 0, hours: 0 };
    totals.set(s.subject.id, { services: t.services + 1, hours: t.hours + s.hours });
  }
  return members.map((memberId) => ({ memberId, ...(totals.get(memberId) ?? { services: 0, hours: 0 }) }));
}

/** 小红帽 hours per volunteer in `year`, most first (`volunteerTotals`). */
export function volunteerHourRows(records: readonly VolunteerHours[], year: number) {
  return volunteerTotals(records, year);
}

// --- import ---------------------------------------------------------------------------------------------------------

/** The columns of a members' check-in roster, by the header words offices use (any one of each list). */
export const ROSTER_COLUMNS = {
  name: ['姓名', '党员姓名'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '证件号码'],
  address: ['住址', '地址', '家庭住址', '居住地址'],
  on: ['报到日期', '报到时间', '日期'],
  channel: ['报到方式', '方式'],
  workplace: ['工作单位', '单位'],
} as const;
export type RosterColumn = keyof typeof ROSTER_COLUMNS;

/** The header row the exported roster and the import template write (the first word of each column). */
export const ROSTER_IMPORT_HEADERS: readonly string[] = [
  ROSTER_COLUMNS.name[0],
  ROSTER_COLUMNS.idNumber[0],
  ROSTER_COLUMNS.address[0],
  ROSTER_COLUMNS.on[0],
  ROSTER_COLUMNS.channel[0],
  ROSTER_COLUMNS.workplace[0],
];

/** The words of a check-in's channel in the sheet. */
export const CHANNEL_WORDS: Readonly<Record<CheckInChannel, string>> = { offline: '线下', online: '线上' };

/**
 * Why a row is not imported. `exists` and `repeated` are not faults: the member's check-in of that day is already
 * recorded (an earlier import), or an earlier row of the same file names it; neither is written twice.
 */
export type RosterProblem =
  | 'name.missing'
  /** Not 18 characters of digits (and a last X): a number cut short or with a letter in it. */
  | 'id.format'
  /** 18 digits whose area code or birth date cannot be (GB 11643-1999 §5). */
  | 'id.invalid'
  /** The check digit does not match the first 17 (GB 11643-1999 §6.2): one digit mistyped. */
  | 'id.checksum'
  /** Typed into a number cell: Excel kept 15 digits and the number lost its last ones before it was read. */
  | 'id.as-number'
  /** A valid number no living resident of the registry holds (never registered, moved away or deceased). */
  | 'id.unknown'
  /** The registry's resident of that number is not a party member (not tagged 党员). */
  | 'id.not-member'
  /** The row's name is not the name the registry holds for that number. */
  | 'id.name-mismatch'
  | 'member.unknown'
  | 'member.ambiguous'
  | 'date.missing'
  | 'date.invalid'
  | 'date.future'
  | 'channel.invalid'
  | 'workplace.too-long';

export interface PlannedRosterRow {
  /** The row as Excel shows it (1-based). */
  readonly rowNumber: number;
  /** The cells as read (for the preview and the problem sheet). */
  readonly cells: readonly string[];
  readonly name: string;
  /**
   * The 身份证号 as typed, normalised (upper-case X, no spaces); '' when the row has none. For the screen's mask only:
   * never logged, never written into a record or the audit.
   */
  readonly idNumber: string;
  /** How the member was found: by the row's 身份证号, by its name (no ID number given), or not at all. */
  readonly matchedBy: 'id' | 'name' | null;
  readonly memberId: string | null;
  /** The matched member's name in the registry ('' when none): shown for a row found by its ID number. */
  readonly memberName: string;
  /** The day as `YYYY-MM-DD`; empty when the cell holds none. */
  readonly on: string;
  /** The day's cell as typed (shown when it is not a day). */
  readonly dayText: string;
  readonly channel: CheckInChannel;
  /** The channel's cell as typed (shown when it is neither 线下 nor 线上). */
  readonly channelText: string;
  readonly workplace: string;
  /** `new`: to be recorded; `exists` / `repeated`: already recorded or already in the file; `bad`: see problems. */
  readonly status: 'new' | 'exists' | 'repeated' | 'bad';
  readonly problems: readonly RosterProblem[];
}

export interface RosterPlan {
  /** The header row (1-based), or null when no row names the 姓名 and 报到日期 columns. */
  readonly headerRow: number | null;
  readonly headers: readonly string[];
  readonly rows: readonly PlannedRosterRow[];
}

/** A day as offices type it (2026-03-02, 2026/3/2, 2026.3.2, 2026年3月2日) as `YYYY-MM-DD`; null when it is not one. */
export function rosterDay(text: string): string | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

const norm = (s: string) => s.replace(/\s+/g, '');

function findHeader(
  grid: readonly (readonly string[])[],
): { row: number; columns: Partial<Record<RosterColumn, number>> } | null {
  for (let r = 0; r < Math.min(grid.length, 20); r++) {
    const cells = (grid[r] ?? []).map(norm);
    const columns: Partial<Record<RosterColumn, number>> = {};
    for (const column of Object.keys(ROSTER_COLUMNS) as RosterColumn[]) {
      const at = cells.findIndex((c) => (ROSTER_COLUMNS[column] as readonly string[]).includes(c));
      if (at >= 0) columns[column] = at;
    }
    if (columns.name !== undefined && columns.on !== undefined) return { row: r, columns };
  }
  return null;
}

/** What the plan knows of the registry beyond its party members: who holds an ID number, and the sheet's lossy cells. */
export interface RosterLookup {
  /** The ids of the registry's living residents holding a normalised ID number (`idNumberIndex`). */
  readonly idHolders?: (idNumber: string) => Iterable<string>;
  /** Cells read from a number too long to be exact (`readSheet`'s `longNumbers`: 1-based row, 0-based column). */
  readonly lossy?: readonly { readonly row: number; readonly column: number }[];
}

/**
 * Plans the import of a members' check-in roster: finds the header row, then for each filled row below it the
 * member and the day. A row with a 身份证号 is the party member holding that number (a valid number no one holds, a
 * holder who is not a party member, and a name other than the holder's each have their reason); a row without one is
 * the party member of that name (when several share it, the one whose address holds the row's 住址), the day
 * (not in the future), the channel (线下 when blank) and the workplace. A row whose member already checked in that day
 * (`existing`: the records of the years the file names) or that repeats an earlier row is not written again, so a
 * roster imported twice adds nothing the second time. Rows are in the file's order; nothing is dropped.
 */
export function planRosterImport(
  grid: readonly (readonly string[])[],
  members: readonly RosterMember[],
  existing: readonly CheckIn[],
  today: string,
  lookup: RosterLookup = {},
): RosterPlan {
  const header = findHeader(grid);
  if (header === null) return { headerRow: null, headers: [], rows: [] };
  const { columns } = header;
  const byName = new Map<string, RosterMember[]>();
  for (const m of members) byName.set(norm(m.name), [...(byName.get(norm(m.name)) ?? []), m]);
  const byId = new Map(members.map((m) => [m.id, m]));
  const lossy = new Set((lookup.lossy ?? []).map((c) => `${c.row}:${c.column}`));
  const known = new Set(existing.map((c) => `${subjectKey(c.subject)}@${c.on}`));
  const seen = new Set<string>();
  const rows: PlannedRosterRow[] = [];
  for (let r = header.row + 1; r < grid.length; r++) {
    const cells = grid[r] ?? [];
    if (cells.every((c) => c.trim() === '')) continue;
    const cell = (column: RosterColumn) => {
      const at = columns[column];
      return at === undefined ? '' : (cells[at] ?? '').trim();
    };
    const problems: RosterProblem[] = [];
    const name = cell('name');
    let memberId: string | null = null;
    let matchedBy: PlannedRosterRow['matchedBy'] = null;
    const idCell = cell('idNumber');
    const id = idCell === '' ? null : idMatch(idCell, lossy.has(`${r + 1}:${columns.idNumber ?? -1}`));
    const idNumber = id === null ? '' : id.idNumber;
    if (id !== null) {
      if (id.problem !== null) problems.push(id.problem);
      else {
        const holders = [...(lookup.idHolders?.(id.idNumber) ?? [])];
        const member = holders.map((h) => byId.get(h)).find((m) => m !== undefined);
        if (holders.length === 0) problems.push('id.unknown');
        else if (member === undefined) problems.push('id.not-member');
        else if (name !== '' && norm(name) !== norm(member.name)) problems.push('id.name-mismatch');
        else {
          memberId = member.id;
          matchedBy = 'id';
        }
      }
    } else if (name === '') problems.push('name.missing');
    else {
      const named = byName.get(norm(name)) ?? [];
      const address = norm(cell('address'));
      const matching =
        named.length > 1 && address !== '' ? named.filter((m) => norm(m.address).includes(address)) : named;
      if (named.length === 0) problems.push('member.unknown');
      else if (matching.length !== 1) problems.push('member.ambiguous');
      else {
        memberId = matching[0]?.id ?? null;
        matchedBy = 'name';
      }
    }
    const dayText = cell('on');
    const on = rosterDay(dayText) ?? '';
    if (dayText === '') problems.push('date.missing');
    else if (on === '') problems.push('date.invalid');
    else if (on > today) problems.push('date.future');
    const channelText = cell('channel');
    const channel = (Object.keys(CHANNEL_WORDS) as CheckInChannel[]).find((c) => CHANNEL_WORDS[c] === channelText);
    if (channelText !== '' && channel === undefined) problems.push('channel.invalid');
    const workplace = cell('workplace');
    if (workplace.length > 100) problems.push('workplace.too-long');
    let status: PlannedRosterRow['status'] = problems.length > 0 ? 'bad' : 'new';
    if (status === 'new' && memberId !== null) {
      const key = `${subjectKey({ kind: 'member', id: memberId })}@${on}`;
      if (known.has(key)) status = 'exists';
      else if (seen.has(key)) status = 'repeated';
      seen.add(key);
    }
    rows.push({
      rowNumber: r + 1,
      cells: [...cells],
      name,
      idNumber,
      matchedBy,
      memberId,
      memberName: memberId === null ? '' : (byId.get(memberId)?.name ?? ''),
      on,
      dayText,
      channel: channel ?? 'offline',
      channelText,
      workplace,
      status,
      problems,
    });
  }
  return { headerRow: header.row + 1, headers: [...(grid[header.row] ?? [])], rows };
}

/** A 身份证号 cell read: normalised, with the reason it cannot be used (null: a valid number). */
function idMatch(text: string, lossy: boolean): { idNumber: string; problem: RosterProblem | null } {
  // The registry bounds the birth date by today; the import only needs to know the number is well formed.
  const parsed = parseIdNumber(text, '9999-12-31');
  if (parsed.ok) return { idNumber: parsed.value.idNumber, problem: lossy ? 'id.as-number' : null };
  const idNumber = normaliseIdNumber(text);
  if (lossy) return { idNumber, problem: 'id.as-number' };
  const rule = parsed.error.code;
  return {
    idNumber,
    problem: rule === 'id-number.checksum' ? 'id.checksum' : rule === 'id-number.format' ? 'id.format' : 'id.invalid',
  };
}

/** The years a plan's rows to record fall in (the activities documents the import writes and must read first). */
export function rosterYears(plan: RosterPlan): number[] {
  return [...new Set(plan.rows.filter((r) => r.on !== '').map((r) => Number(r.on.slice(0, 4))))].sort();
}
