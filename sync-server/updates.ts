/** Checks on Yjs updates that the protocol code makes before it stores anything. */
import * as Y from 'yjs';

/**
 * True when every struct of a decoded update is below the document's state vector and every range it deletes is
 * deleted already: applying it would change nothing. Never throws: a range of length 0 or less (which Yjs itself
 * ignores) names nothing, and anything unexpected answers "no" so the update takes the normal, guarded path. A
 * 14-byte update with a zero-length range at the server's own clock used to throw here and stop the process.
 */
export function holdsAlready(doc: Y.Doc, decoded: ReturnType<typeof Y.decodeUpdate>): boolean {
  try {
    return holds(doc, decoded);
  } catch {
    return false;
  }
}

function holds(doc: Y.Doc, decoded: ReturnType<typeof Y.decodeUpdate>): boolean {
  const stateVector = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const struct of decoded.structs) {
    if (struct.id.clock + struct.length > (stateVector.get(struct.id.client) ?? 0)) return false;
  }
  for (const [client, ranges] of decoded.ds.clients) {
    for (const { clock, len } of ranges) {
      if (!(len > 0)) continue;
      if (!deletedAlready(doc.store, client, clock, len)) return false;
    }
  }
  return true;
}

/**
 * Whether the document holds the range `clock .. clock + len` of `client` and has every struct of it deleted: a
 * delete-set range that changes nothing. May throw on a store Yjs would not build; callers catch.
 */
export function deletedAlready(store: Y.Doc['store'], client: number, clock: number, len: number): boolean {
  const structs = store.clients.get(client);
  if (structs === undefined || clock < 0 || clock + len > Y.getState(store, client)) return false;
  let index = Y.findIndexSS(structs, clock);
  for (let at = clock; at < clock + len; index++) {
    const struct = structs[index];
    if (struct === undefined || !struct.deleted) return false;
    at = struct.id.clock + struct.length;
  }
  return true;
}
