/**
 * What a client sends to the sync server, split into messages below the server's size limit.
 *
 * The server refuses any message above its `--max-message-bytes` (8 MiB by default) by closing the socket with 1009.
 * A device that imported a big residents sheet holds one large Yjs transaction (20,000 residents: 12.4 MiB as one
 * update), and stock y-websocket would send it as one sync-step-2 when it first joins: refused, every time. So the
 * app sends "everything the server lacks" as several updates instead, cut along the document's own structs:
 *
 * - per client id, the structs above the server's state vector in clock order, cut into pieces whose encoding stays
 *   below the budget (a piece is a run of whole structs; only the first may start inside a struct, as Yjs allows);
 * - pieces of small clients first (edits are small and often refer to the big content, which is then held as
 *   "pending" by the server for a moment rather than the other way round), each update holding at most one piece of
 *   a client (an update names each client once) and naming its clients highest id first, as Yjs writes them:
 *   `Y.mergeUpdates` (the device's rows, the server's log) reads them in that order, and given another it may name a
 *   client twice in what it writes, the second section replacing the first when read (structs lost, no error);
 * - the delete set of the document (which every sync-step-2 carries) in the last update, or in updates of its own
 *   when it does not fit.
 *
 * Applied in order, the updates give exactly what `Y.encodeStateAsUpdate(doc, target)` gives; applied in any order
 * they converge to it (Yjs keeps what it cannot integrate yet as pending). Only a single struct larger than the
 * budget (one string of several MiB) cannot be cut: it travels alone in an update above the limit.
 *
 * Uses Yjs's struct store (`doc.store.clients`) and `Item.write`, the same calls `encodeStateAsUpdate` makes.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** Largest message the app sends to the sync server (well below the server's default limit of 8 MiB). */
export const CLIENT_MESSAGE_BYTES = 1024 * 1024;

/** Room left for the framing around an update (message type, sync message type, length prefix). */
const FRAME_BYTES = 32;
/** Upper bound of the bytes a piece's header takes (struct count, client id, first clock: three varuints). */
const PIECE_HEADER_BYTES = 24;
/** Upper bound of one delete-set range (clock and length varuints). */
const DS_RANGE_BYTES = 16;

/** A struct of the document's store (an Item or a GC). */
type Struct = NonNullable<ReturnType<Y.Doc['store']['clients']['get']>>[number];

interface Piece {
  readonly client: number;
  /** Clock of the piece's first struct (inside that struct when the target ends there). */
  readonly clock: number;
  readonly count: number;
  /** The structs' encoding (a slice of the client's encoding). */
  readonly body: Uint8Array;
  readonly bytes: number;
}

interface DsPart {
  readonly client: number;
  readonly ranges: { readonly clock: number; readonly len: number }[];
}

interface Pack {
  pieces: Piece[];
  bytes: number;
  readonly clients: Set<number>;
}

/**
 * The pieces of one client's structs from `from` on, each encoding to at most `budget` bytes (unless one struct is
 * larger). The structs are encoded once: in Yjs's v1 encoding a struct's bytes do not depend on what precedes them,
 * so a piece is a slice of the client's encoding.
 */
function piecesOf(client: number, structs: Struct[], from: number, budget: number): Piece[] {
  const first = structs[0];
  if (first === undefined) return [];
  const clock = Math.max(from, first.id.clock);
  const startIndex = Y.findIndexSS(structs, clock);
  const encoder = new Y.UpdateEncoderV1();
  const ends: number[] = [];
  for (let index = startIndex; index < structs.length; index++) {
    const struct = structs[index] as Struct;
    struct.write(encoder, index === startIndex ? clock - struct.id.clock : 0);
    ends.push(encoding.length(encoder.restEncoder));
  }
  const bytes = encoder.toUint8Array();
  const pieces: Piece[] = [];
  let pieceStart = 0; // index into `ends` of the piece's first struct
  let pieceClock = clock;
  let startByte = 0;
  const cut = (end: number) => {
    const endByte = ends[end - 1] ?? startByte;
    pieces.push({
      client,
      clock: pieceClock,
      count: end - pieceStart,
      body: bytes.subarray(startByte, endByte),
      bytes: endByte - startByte + PIECE_HEADER_BYTES,
    });
    startByte = endByte;
  };
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] as number;
    if (i > pieceStart && end - startByte > budget - PIECE_HEADER_BYTES) {
      cut(i);
      pieceStart = i;
      pieceClock = (structs[startIndex + i] as Struct).id.clock;
    }
  }
  cut(ends.length);
  return pieces;
}

function deleteSetParts(doc: Y.Doc, budget: number): DsPart[][] {
  const ds = Y.createDeleteSetFromStructStore(doc.store);
  const groups: DsPart[][] = [[]];
  let bytes = 0;
  const clients = [...ds.clients.entries()].sort((a, b) => b[0] - a[0]);
  for (const [client, items] of clients) {
    let part: DsPart | null = null;
    for (const item of items) {
      if (bytes + DS_RANGE_BYTES + PIECE_HEADER_BYTES > budget) {
        groups.push([]);
        bytes = 0;
        part = null;
      }
      if (part === null) {
        part = { client, ranges: [] };
        groups[groups.length - 1]?.push(part);
        bytes += PIECE_HEADER_BYTES;
      }
      part.ranges.push({ clock: item.clock, len: item.len });
      bytes += DS_RANGE_BYTES;
    }
  }
  return groups;
}

function encodeUpdate(pieces: readonly Piece[], deleteSet: readonly DsPart[]): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, pieces.length);
  for (const piece of [...pieces].sort((a, b) => b.client - a.client)) {
    encoding.writeVarUint(encoder.restEncoder, piece.count);
    encoder.writeClient(piece.client);
    encoding.writeVarUint(encoder.restEncoder, piece.clock);
    encoding.writeUint8Array(encoder.restEncoder, piece.body);
  }
  writeDeleteSet(
    encoder,
    deleteSet.map((part) => [part.client, part.ranges]),
  );
  return encoder.toUint8Array();
}

/** A delete set, client by client with its ranges, written as Yjs's v1 encoding writes one. */
export function writeDeleteSet(
  encoder: Y.UpdateEncoderV1,
  clients: readonly (readonly [number, readonly { readonly clock: number; readonly len: number }[]])[],
): void {
  encoding.writeVarUint(encoder.restEncoder, clients.length);
  for (const [client, ranges] of clients) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const range of ranges) {
      encoder.writeDsClock(range.clock);
      encoder.writeDsLen(range.len);
    }
  }
}

/**
 * Everything `doc` holds beyond `target` (a state vector: client id -> clock) as v1 updates of at most `maxBytes`
 * each, framing included (see the module comment for the one exception). Never empty: with nothing to send it is
 * one update holding the delete set, as `Y.encodeStateAsUpdate` would be.
 */
export function encodeStateAsUpdates(
  doc: Y.Doc,
  target: ReadonlyMap<number, number>,
  maxBytes = CLIENT_MESSAGE_BYTES,
): Uint8Array[] {
  const budget = Math.max(256, maxBytes - FRAME_BYTES);
  const byClient: { pieces: Piece[]; bytes: number }[] = [];
  for (const [client, structs] of doc.store.clients) {
    const last = structs[structs.length - 1];
    const from = target.get(client) ?? 0;
    if (last === undefined || last.id.clock + last.length <= from) continue;
    const pieces = piecesOf(client, structs, from, budget);
    byClient.push({ pieces, bytes: pieces.reduce((sum, piece) => sum + piece.bytes, 0) });
  }
  byClient.sort((a, b) => a.bytes - b.bytes);

  const packs: Pack[] = [];
  let current: Pack = { pieces: [], bytes: 0, clients: new Set() };
  for (const piece of byClient.flatMap((client) => client.pieces)) {
    if (current.pieces.length > 0 && (current.bytes + piece.bytes > budget || current.clients.has(piece.client))) {
      packs.push(current);
      current = { pieces: [], bytes: 0, clients: new Set() };
    }
    current.pieces.push(piece);
    current.bytes += piece.bytes;
    current.clients.add(piece.client);
  }

  const dsGroups = deleteSetParts(doc, budget);
  const dsBytes = (group: readonly DsPart[]) =>
    group.reduce((sum, part) => sum + PIECE_HEADER_BYTES + part.ranges.length * DS_RANGE_BYTES, 0);
  const updates: Uint8Array[] = [];
  const firstDs = dsGroups[0] ?? [];
  if (current.pieces.length > 0 && dsGroups.length === 1 && current.bytes + dsBytes(firstDs) <= budget) {
    // The usual case: the delete set rides along with the last structs.
    for (const pack of packs) updates.push(encodeUpdate(pack.pieces, []));
    updates.push(encodeUpdate(current.pieces, firstDs));
  } else {
    if (current.pieces.length > 0) packs.push(current);
    for (const pack of packs) updates.push(encodeUpdate(pack.pieces, []));
    for (const group of dsGroups) updates.push(encodeUpdate([], group));
  }

  // What the document received but could not integrate yet (rare) goes along, as encodeStateAsUpdate does.
  const pendingDs = doc.store.pendingDs;
  if (pendingDs) updates.push(Y.convertUpdateFormatV2ToV1(pendingDs));
  const pendingStructs = doc.store.pendingStructs;
  if (pendingStructs) {
    const targetVector = Y.encodeStateVector(new Map(target));
    updates.push(Y.convertUpdateFormatV2ToV1(Y.diffUpdateV2(pendingStructs.update, targetVector)));
  }
  return updates;
}

type Decoded = ReturnType<typeof Y.decodeUpdate>;

/**
 * Whether a decoded update names its clients as Yjs writes them: highest id first, each once, its structs in clock
 * order. `Y.mergeUpdates` needs that order (see the module comment); the app's pieces before 2026-12-04 named
 * their clients smallest first, and an older app may still send such updates.
 */
export function inYjsOrder(decoded: Decoded): boolean {
  let client = -1;
  let end = 0;
  for (const struct of decoded.structs) {
    if (struct.id.client !== client) {
      if (client !== -1 && struct.id.client > client) return false;
      client = struct.id.client;
    } else if (struct.id.clock < end) {
      return false;
    }
    end = struct.id.clock + struct.length;
  }
  return true;
}

/**
 * The same update written in Yjs's order (see `inYjsOrder`): every client's structs in one run, highest client
 * first, gaps between runs of one client filled with skips as Yjs fills them, overlaps written once, the delete set
 * as it was.
 */
export function inYjsOrderUpdate(decoded: Decoded): Uint8Array {
  const byClient = new Map<number, Struct[]>();
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    const structs = byClient.get(struct.id.client);
    if (structs === undefined) byClient.set(struct.id.client, [struct]);
    else structs.push(struct);
  }
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, byClient.size);
  for (const [client, structs] of [...byClient].sort((a, b) => b[0] - a[0])) {
    structs.sort((a, b) => a.id.clock - b.id.clock);
    const run: { struct: Struct | Y.Skip; offset: number }[] = [];
    let end = (structs[0] as Struct).id.clock;
    for (const struct of structs) {
      const last = struct.id.clock + struct.length;
      if (last <= end) continue; // written already
      if (struct.id.clock > end)
        run.push({ struct: new Y.Skip(Y.createID(client, end), struct.id.clock - end), offset: 0 });
      run.push({ struct, offset: Math.max(0, end - struct.id.clock) });
      end = last;
    }
    encoding.writeVarUint(encoder.restEncoder, run.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, (structs[0] as Struct).id.clock);
    for (const { struct, offset } of run) struct.write(encoder, offset);
  }
  writeDeleteSet(
    encoder,
    [...decoded.ds.clients].sort((a, b) => b[0] - a[0]),
  );
  return encoder.toUint8Array();
}

/**
 * `update` itself when it is in Yjs's order (or cannot be read: whoever applies it reports that), else the same
 * update written again in that order: what to hand `Y.mergeUpdates` when the update may come from an older app.
 */
export function inYjsOrderBytes(update: Uint8Array): Uint8Array {
  let decoded: Decoded;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return update;
  }
  return inYjsOrder(decoded) ? update : inYjsOrderUpdate(decoded);
}

/**
 * Applies the pieces of an answer (what `encodeStateAsUpdates` made) to `doc` in order, inside the caller's
 * transaction if any. Yjs keeps what it cannot integrate yet as pending and, at every later update, tries all of it
 * again (decoded, integrated as far as it goes, the rest encoded again): the pieces of small clients come first (see
 * the module comment), so when other devices' edits arrive before the structs they refer to, every later piece paid
 * for them again (a new device's apply of a 100,000-resident registry edited by other devices took 22 s instead of
 * 2; docs/bench-scale.md, "Pending structs"). So what a piece leaves pending is held aside (Yjs then has nothing to
 * try again) and applied once after the last piece, merged: Yjs wrote those updates itself, in the order
 * `Y.mergeUpdates` needs. What cannot be integrated even then stays pending, as it would have. Throws what
 * `Y.applyUpdate` throws, after putting back what it held.
 */
export function applyPieces(doc: Y.Doc, pieces: readonly Uint8Array[], origin?: unknown): void {
  const hold = new PendingHold(doc);
  try {
    for (const piece of pieces) hold.apply(piece, origin);
  } catch (error) {
    try {
      hold.release(origin);
    } catch {
      // The piece's error is the one to report.
    }
    throw error;
  }
  hold.release(origin);
}

/**
 * Updates applied to one document with what each leaves pending held aside until `release` (see `applyPieces`):
 * for a series of updates nobody looks at in between (an answer's pieces, a document's rows as it loads).
 */
export class PendingHold {
  private readonly held: Uint8Array[] = [];

  constructor(private readonly doc: Y.Doc) {}

  apply(update: Uint8Array, origin?: unknown): void {
    Y.applyUpdate(this.doc, update, origin);
    const pending = this.doc.store.pendingStructs;
    if (pending === null) return;
    this.held.push(pending.update);
    this.doc.store.pendingStructs = null;
  }

  /** Applies what was held, once; what still cannot be integrated stays pending, as Yjs would keep it. */
  release(origin?: unknown): void {
    const held = this.held.splice(0);
    if (held.length === 0) return;
    Y.applyUpdateV2(this.doc, held.length === 1 ? (held[0] as Uint8Array) : Y.mergeUpdatesV2(held), origin);
  }
}
