/**
 * Case numbers: `(2026)顺人调字第 12 号` — year, the district's short name (顺 for Shunqing, a setting: a parameter
 * here), 人调字 (people's mediation), and a number counted per community and year.
 *
 * Two offline laptops cannot agree on the next number, so numbering is done in two steps:
 * 1. At intake a device gives the case the next number it knows of (`nextProvisionalNumber`): unique on that device.
 * 2. After any sync, `settleNumbers` computes the final numbers from all cases of the document, the same on every
 *    device because it is a function of the merged set only.
 *
 * The settling rule keeps as many numbers as possible, because a number may already be written on a paper dossier or
 * told to a resident: cases are taken in registration order (registration instant, then case id, which breaks ties
 * identically everywhere); each keeps its number unless an earlier case already holds it; the cases that lost their
 * number get the numbers after the highest one in use, in the same order. Only the later of two colliding cases
 * moves, the sequence stays without gaps (every device counts up from what it knew), and a case that never collided
 * never changes number. A case that moves records the renumbering (`Renumbering`) so the UI can show
 * "原第 5 号，现第 7 号".
 */
import type { CaseId, MediationCase } from './types';

export interface CaseNumberFormat {
  /** The district's short name in the number, e.g. 顺. */
  readonly prefix: string;
  /** The word after it; 人调字 for people's mediation. */
  readonly word?: string;
}

/** `(2026)顺人调字第 12 号`. Half-width brackets and spaces around the number, as the issue writes it. */
export function formatCaseNumber(year: number, n: number, format: CaseNumberFormat): string {
  return `(${year})${format.prefix}${format.word ?? '人调字'}第 ${n} 号`;
}

const NUMBER_PATTERN = /^[(（](\d{4})[)）](.+?)第\s*(\d+)\s*号$/;

/** Reads a case number back (either bracket width, with or without spaces); null when it is not one. */
export function parseCaseNumber(text: string): { year: number; head: string; n: number } | null {
  const match = NUMBER_PATTERN.exec(text.trim());
  if (match === null) return null;
  return { year: Number(match[1]), head: match[2] ?? '', n: Number(match[3]) };
}

type NumberView = Pick<MediationCase, 'id' | 'registeredAt' | 'number' | 'provisionalNumber'>;

/** The number a device gives a new case: one more than any number it knows (stored or provisional). */
export function nextProvisionalNumber(cases: Iterable<Pick<MediationCase, 'number' | 'provisionalNumber'>>): number {
  let max = 0;
  for (const c of cases) max = Math.max(max, c.number, c.provisionalNumber);
  return max + 1;
}

function byRegistration(a: NumberView, b: NumberView): number {
  if (a.registeredAt !== b.registeredAt) return a.registeredAt < b.registeredAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The final number of every case of one community and year (see the rule above). */
export function settleNumbers(cases: Iterable<NumberView>): Map<CaseId, number> {
  const ordered = [...cases].sort(byRegistration);
  const taken = new Set<number>();
  const result = new Map<CaseId, number>();
  const losers: NumberView[] = [];
  for (const c of ordered) {
    // The provisional number is the claim: a stored number may itself be the result of an earlier settling.
    if (c.provisionalNumber > 0 && !taken.has(c.provisionalNumber)) {
      taken.add(c.provisionalNumber);
      result.set(c.id, c.provisionalNumber);
    } else losers.push(c);
  }
  let next = Math.max(0, ...taken);
  for (const c of losers) result.set(c.id, ++next);
  return result;
}

export interface Renumbering {
  readonly caseId: CaseId;
  /** The number the case was shown with before (its stored number). */
  readonly from: number;
  readonly to: number;
}

/** The cases whose stored number differs from the settled one: what `renumberCases` writes and the UI reports. */
export function renumberings(cases: Iterable<NumberView>): Renumbering[] {
  const list = [...cases];
  const settled = settleNumbers(list);
  const out: Renumbering[] = [];
  for (const c of list.sort(byRegistration)) {
    const to = settled.get(c.id);
    if (to !== undefined && to !== c.number) out.push({ caseId: c.id, from: c.number, to });
  }
  return out;
}
