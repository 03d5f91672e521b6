/**
 * The y-websocket wire protocol, decoded and encoded without touching any document: every frame a client sends is
 * parsed here first, so malformed and truncated frames and unknown message types are refused before they reach Yjs.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { encodeStateAsUpdates } from '@shared/sync/chunks';
import { MESSAGE_AWARENESS, MESSAGE_GZIP_ANSWER, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC } from '@shared/sync/protocol';

export type ClientMessage =
  | { readonly kind: 'sync-step-1'; readonly stateVector: Uint8Array }
  | { readonly kind: 'sync-step-2' | 'update'; readonly update: Uint8Array }
  | { readonly kind: 'awareness'; readonly update: Uint8Array }
  | { readonly kind: 'query-awareness' };

export type DecodeResult =
  { readonly ok: true; readonly message: ClientMessage } | { readonly ok: false; readonly error: string };

/** Parses one client frame. Never throws. */
export function decodeClientMessage(frame: Uint8Array): DecodeResult {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC: {
        const sub = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (sub === syncProtocol.messageYjsSyncStep1)
          return { ok: true, message: { kind: 'sync-step-1', stateVector: payload } };
        if (sub === syncProtocol.messageYjsSyncStep2)
          return { ok: true, message: { kind: 'sync-step-2', update: payload } };
        if (sub === syncProtocol.messageYjsUpdate) return { ok: true, message: { kind: 'update', update: payload } };
        return { ok: false, error: `unknown sync message type ${sub}` };
      }
      case MESSAGE_AWARENESS:
        return { ok: true, message: { kind: 'awareness', update: decoding.readVarUint8Array(decoder) } };
      case MESSAGE_QUERY_AWARENESS:
        return { ok: true, message: { kind: 'query-awareness' } };
      default:
        return { ok: false, error: `unknown message type ${type}` };
    }
  } catch (error) {
    // lib0 throws "Unexpected end of array" and friends on truncated frames.
    return { ok: false, error: `undecodable frame: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** Largest piece of the server's answer to a sync-step-1 (about the rows the app stores; see encodeSyncAnswer). */
export const ANSWER_MESSAGE_BYTES = 1024 * 1024;

/**
 * The answer to a client's sync-step-1 in messages of at most about `maxBytes`: everything the client lacks, cut
 * along the document's structs (shared/sync/chunks.ts), as update messages and a last sync-step-2. y-websocket counts
 * a client synced at the sync-step-2, so only once it holds all of it; a client applies each piece as it arrives
 * (a browser paints in between, and a 12 MiB registry is not one 2-second task) and can store the pieces as they
 * came. A small answer is one sync-step-2, as y-protocols would write it.
 */
export function encodeSyncAnswer(doc: Y.Doc, stateVector: Uint8Array, maxBytes = ANSWER_MESSAGE_BYTES): Uint8Array[] {
  const updates = encodeStateAsUpdates(doc, Y.decodeStateVector(stateVector), maxBytes);
  return updates.map((update, index) =>
    index === updates.length - 1 ? encodeSyncStep2FromUpdate(update) : encodeUpdate(update),
  );
}

/** A MESSAGE_GZIP_ANSWER message around the gzipped answer. */
export function encodeGzipAnswer(gzipped: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_GZIP_ANSWER);
  encoding.writeVarUint8Array(encoder, gzipped);
  return encoding.toUint8Array(encoder);
}

/** A sync-step-2 message carrying an update encoded already (the whole document, for a client that holds nothing). */
export function encodeSyncStep2FromUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  return awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
}

/**
 * The keepalive: an awareness message naming no client (its update is the count 0). A stock y-websocket client
 * applies it as a change of nobody and counts it as a message received (it closes a socket silent for 30 s).
 */
export const KEEPALIVE_MESSAGE: Uint8Array = awarenessMessage(new Uint8Array([0]));
