/**
 * The numbers of a cases document's cases, kept beside the document so that `intakeCase` numbers a new case without
 * reading every case of the year (issue 22: a busy year's document of 10,000 cases paid a fold of every case's
 * history per intake, n² per year; docs/mediation-model.md, "Case numbers").
 *
 * What it answers is exactly `nextProvisionalNumber(listCases(doc))` (caseNumber.ts): one more than the highest number,
 * stored or provisional, of any case in the document. It holds, per case, the higher of the two, read with
 * `recordField` (the case's own key if set later, else its created value: no history folded, no Y.Text read), and:
 *
 * - is built once per document (a scan of the numbers only), then kept in step **per transaction**: after each
 *   transaction (`afterTransaction`), the cases it added, replaced or removed (keys of the cases map) and the cases
 *   whose own fields changed (a renumbering sets `number`) are read again, nothing else;
 * - is exact inside a transaction too: a command running inside a transaction still open (several intakes in one
 *   `transact`, or a command run by an observer before the last transaction's `afterTransaction`) reads again the
 *   cases those transactions changed so far (Yjs keeps them in `transaction.changed`), so two intakes in one
 *   transaction never get one number. (So n intakes in one transaction read again the cases of that transaction
 *   each time, n² within it: no caller makes more than one intake per transaction.)
 *
 * Reading a case again is idempotent, so a case read twice (by the open transaction, then after it) costs twice, never
 * counts twice. A case whose highest number goes down or goes away makes the highest be computed again from the
 * numbers held (plain numbers, not cases).
 */
import * as Y from 'yjs';
import { casesMap } from '../../ydoc/cases';
import { recordField } from '../../ydoc/created';

/**
 * A number field: a positive number, else nothing (0). The only difference with the scan: a field that is not a number
 * (no version of the app writes one) made `nextProvisionalNumber` answer NaN; here it is left out.
 */
function numberOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/** The higher of a case's stored and provisional numbers; null when the key holds no case. */
function caseNumberOf(map: unknown): number | null {
  if (!(map instanceof Y.Map)) return null;
  const record = map as Y.Map<unknown>;
  return Math.max(numberOf(recordField(record, 'number')), numberOf(recordField(record, 'provisionalNumber')));
}

class CaseNumberIndex {
  private readonly cases: Y.Map<Y.Map<unknown>>;
  /** The higher number of each case, by case id. */
  private readonly numbers = new Map<string, number>();
  /** The highest of `numbers`, or null when it must be computed again (the case holding it went down or away). */
  private highest: number | null = 0;

  constructor(doc: Y.Doc) {
    this.cases = casesMap(doc);
    this.cases.forEach((map, id) => this.read(id, map));
    doc.on('afterTransaction', (transaction: Y.Transaction) => this.apply(transaction));
  }

  /** One more than the highest number in the document, counting what open transactions changed so far. */
  next(doc: Y.Doc): number {
    // Every transaction not cleaned up yet (the open one among them) may have passed its `afterTransaction` or not.
    for (const transaction of doc._transactionCleanups) this.apply(transaction);
    if (this.highest === null) {
      let highest = 0;
      for (const n of this.numbers.values()) if (n > highest) highest = n;
      this.highest = highest;
    }
    return this.highest + 1;
  }

  /** Reads again the cases a transaction touched: keys of the cases map, and cases whose own fields changed. */
  private apply(transaction: Y.Transaction): void {
    const cases = this.cases;
    transaction.changed.forEach((keys, type) => {
      if ((type as unknown) === cases) {
        for (const id of keys) if (id !== null) this.read(id, cases.get(id));
        return;
      }
      const item = type._item;
      if (item !== null && item.parent === cases && typeof item.parentSub === 'string') {
        this.read(item.parentSub, cases.get(item.parentSub));
      }
    });
  }

  private read(id: string, map: unknown): void {
    const before = this.numbers.get(id);
    const now = caseNumberOf(map);
    if (now === null) this.numbers.delete(id);
    else this.numbers.set(id, now);
    if (this.highest === null) return;
    if (now !== null && now >= this.highest) this.highest = now;
    else if (before !== undefined && before === this.highest) this.highest = null;
  }
}

const indexes = new WeakMap<Y.Doc, CaseNumberIndex>();

/**
 * The number a device gives a new case of this document: `nextProvisionalNumber(listCases(doc))`, without reading
 * the cases (see above). The first call on a document reads the numbers of its cases once.
 */
export function nextCaseNumber(doc: Y.Doc): number {
  let index = indexes.get(doc);
  if (index === undefined) {
    index = new CaseNumberIndex(doc);
    indexes.set(doc, index);
  }
  return index.next(doc);
}
