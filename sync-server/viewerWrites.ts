/**
 * What a viewer may write: nothing but new entries at the end of a document's access-log arrays (rules:
 * `viewerAppendableArrays` in shared/ydoc/permanent.ts; docs/sync-server.md, *Roles*). A viewer device records its
 * prints and exports of residents' data in the registry's `audit` (PIPL: who saw whose data); those entries must
 * reach the district like anyone's, while everything else a viewer sends stays dropped.
 *
 * `auditAppendOnly` decides from the decoded update and the document as the server holds it, before anything is
 * stored, and accepts an update only when applying it would do exactly that:
 *
 * - every struct the document does not hold yet is an Item of plain JSON content (no shared type, no map key) whose
 *   place is the end of an allowed top-level array: its parent is that array by name, or its left neighbour (its
 *   `origin`) is an entry of that array (in the document or earlier in the same update), and it has no right
 *   neighbour (`rightOrigin`: an append, not an insertion before an entry);
 * - no struct leaves a gap in its client's clocks (Yjs would keep it aside and integrate it later, unchecked);
 * - every range the delete set names is deleted in the document already (a client's sync-step-2 carries its whole
 *   delete set; deleting anything new is refused).
 *
 * Anything else refuses the whole update: a frame that appends an entry and changes a resident is not cut in two.
 * Never throws: whatever it cannot read refuses.
 */
import * as Y from 'yjs';
import { deletedAlready } from './updates';

type Decoded = ReturnType<typeof Y.decodeUpdate>;

export type ViewerVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const ACCEPT: ViewerVerdict = { ok: true };
const refuse = (reason: string): ViewerVerdict => ({ ok: false, reason });

/** A new struct of the update, with what places it. */
interface NewItem {
  readonly item: Y.Item;
  /** The top-level array it goes into: `undefined` until known, `null` when it is not an allowed one. */
  root: string | null | undefined;
}

export function auditAppendOnly(doc: Y.Doc, decoded: Decoded, arrays: readonly string[]): ViewerVerdict {
  try {
    return check(doc, decoded, arrays);
  } catch {
    return refuse('the update could not be read');
  }
}

function check(doc: Y.Doc, decoded: Decoded, arrays: readonly string[]): ViewerVerdict {
  if (arrays.length === 0) return refuse('this document takes no writes from a viewer');
  const store = doc.store;
  const allowed = new Set(arrays);
  /** Names of the document's top-level types. */
  const rootNames = new Map<Y.AbstractType<unknown>, string>();
  for (const [name, type] of doc.share) rootNames.set(type as Y.AbstractType<unknown>, name);

  // 1. The structs the document lacks, each checked on its own.
  const fresh: NewItem[] = [];
  const byClient = new Map<number, NewItem[]>();
  /** Per client, the next clock a struct may start at without a gap. */
  const next = new Map<number, number>();
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    const state = Y.getState(store, client);
    const expected = next.get(client) ?? state;
    if (clock + struct.length <= state) continue;
    if (clock > expected) return refuse('a gap in the clocks of a client');
    // Two structs of one update covering the same clock: no encoder writes that. Refused, so that each client's
    // new structs below are in increasing clock order (looked up by bisection).
    if (clock < expected && next.has(client)) return refuse('structs of a client overlap');
    next.set(client, clock + struct.length);
    if (!(struct instanceof Y.Item)) return refuse('not an inserted entry');
    if (struct.parentSub !== null) return refuse('sets a map key');
    if (!(struct.content instanceof Y.ContentAny)) return refuse('not a plain entry');
    if (struct.rightOrigin !== null) return refuse('inserts before an existing entry');
    const entry: NewItem = { item: struct, root: undefined };
    if (struct.origin === null) {
      // Without neighbours the parent travels with the item: a top-level name, or an ID (a nested type). Yjs types
      // it as the integrated parent; decoded, it is the name or the ID.
      const parent: unknown = struct.parent;
      if (typeof parent !== 'string' || !allowed.has(parent)) return refuse('writes outside the access log');
      entry.root = parent;
    }
    fresh.push(entry);
    let list = byClient.get(client);
    if (list === undefined) byClient.set(client, (list = []));
    list.push(entry);
  }

  // 2. Where each lands: after an entry of an allowed array, in the document or earlier in this update. Every step
  // is a bisection or a set lookup: an 8 MiB update holds some 800,000 one-entry structs, and the check runs on the
  // document's queue, so work that grows with the square of that would stall every client of the community.
  const inUpdate = (id: Y.ID): NewItem | undefined => {
    const list = byClient.get(id.client);
    if (list === undefined) return undefined;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = list[middle];
      if (found === undefined) return undefined;
      if (id.clock < found.item.id.clock) high = middle - 1;
      else if (id.clock >= found.item.id.clock + found.item.length) low = middle + 1;
      else return found;
    }
    return undefined;
  };
  const inDocument = (id: Y.ID): string | null => {
    if (id.clock >= Y.getState(store, id.client)) return null;
    const found = Y.getItem(store, id) as unknown;
    if (!(found instanceof Y.Item) || found.parentSub !== null) return null;
    const parent = found.parent;
    if (!(parent instanceof Y.AbstractType) || parent._item !== null) return null;
    const name = rootNames.get(parent as Y.AbstractType<unknown>);
    return name !== undefined && allowed.has(name) ? name : null;
  };
  for (const start of fresh) {
    // Follows the chain of left neighbours inside the update (iteratively: a chain may be long).
    const chain = new Set<NewItem>();
    let current: NewItem = start;
    let root: string | null = null;
    for (;;) {
      if (current.root !== undefined) {
        root = current.root;
        break;
      }
      chain.add(current);
      const origin: Y.ID | null = current.item.origin;
      if (origin === null) break;
      const before = inUpdate(origin);
      if (before === undefined) {
        root = inDocument(origin);
        break;
      }
      if (chain.has(before)) break;
      current = before;
    }
    for (const link of chain) link.root = root;
    if (root === null) return refuse('writes outside the access log');
  }

  // 3. Deletes nothing the document does not have deleted already.
  for (const [client, ranges] of decoded.ds.clients) {
    for (const { clock, len } of ranges) {
      if (!(len > 0)) continue;
      if (!deletedAlready(store, client, clock, len)) return refuse('deletes something');
    }
  }
  return ACCEPT;
}
