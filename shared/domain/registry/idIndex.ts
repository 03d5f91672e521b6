/**
 * The ID numbers of a registry document's living residents, kept per document and following every change.
 *
 * Commands refuse a second living resident with the same ID number. Building the index by scanning all residents on
 * each command cost tens of milliseconds per edit at 20,000 residents (500 edits: 16-35 s). This index is built once
 * per document (on first use) and then follows the document through a deep observer on the residents map: local
 * commands, updates from other devices, soft deletes and un-deletes all reach it at the end of their transaction.
 *
 * After a merge two living residents may share an ID number (two devices registered the same person offline), so an
 * ID number maps to a set of resident ids.
 */
import * as Y from 'yjs';
import { collectionMap, recordField } from '../../ydoc/registry';

export class IdNumberIndex {
  /** ID number -> living residents holding it. */
  private readonly byNumber = new Map<string, Set<string>>();
  /** Resident id -> the ID number it is indexed under (living residents only). */
  private readonly byResident = new Map<string, string>();
  private readonly residents: Y.Map<Y.Map<unknown>>;
  private readonly observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]): void => {
    for (const event of events) {
      if (event.target === this.residents && event instanceof Y.YMapEvent) {
        for (const id of event.keysChanged as Set<string>) this.refresh(id);
      } else if (typeof event.path[0] === 'string') {
        // A field of one resident changed; only its ID number and deletion matter, but reading them is cheap.
        this.refresh(event.path[0]);
      }
    }
  };

  constructor(doc: Y.Doc) {
    this.residents = collectionMap(doc, 'residents');
    this.residents.forEach((_, id) => this.refresh(id));
    this.residents.observeDeep(this.observer);
  }

  /** Residents (living) holding this ID number. */
  holders(idNumber: string): ReadonlySet<string> {
    return this.byNumber.get(idNumber) ?? EMPTY;
  }

  has(idNumber: string): boolean {
    return this.byNumber.has(idNumber);
  }

  /** True when a living resident other than `residentId` holds this ID number. */
  heldByOther(idNumber: string, residentId: string | null): boolean {
    const holders = this.byNumber.get(idNumber);
    if (holders === undefined) return false;
    return holders.size > (residentId !== null && holders.has(residentId) ? 1 : 0);
  }

  /** Number of ID numbers indexed (tests). */
  get size(): number {
    return this.byNumber.size;
  }

  private refresh(id: string): void {
    const old = this.byResident.get(id);
    if (old !== undefined) {
      const holders = this.byNumber.get(old);
      holders?.delete(id);
      if (holders?.size === 0) this.byNumber.delete(old);
      this.byResident.delete(id);
    }
    const map = this.residents.get(id);
    if (!(map instanceof Y.Map) || recordField(map, 'deletedAt') != null) return;
    const idNumber = recordField(map, 'idNumber');
    if (typeof idNumber !== 'string') return;
    this.byResident.set(id, idNumber);
    const holders = this.byNumber.get(idNumber);
    if (holders === undefined) this.byNumber.set(idNumber, new Set([id]));
    else holders.add(id);
  }

  destroy(): void {
    this.residents.unobserveDeep(this.observer);
  }
}

const EMPTY: ReadonlySet<string> = new Set();

const indexes = new WeakMap<Y.Doc, IdNumberIndex>();

/** The ID-number index of a registry document, built on first use and kept up to date from then on. */
export function idNumberIndex(doc: Y.Doc): IdNumberIndex {
  let index = indexes.get(doc);
  if (index === undefined) {
    index = new IdNumberIndex(doc);
    indexes.set(doc, index);
  }
  return index;
}
