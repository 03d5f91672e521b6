import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeClientMessage, encodeSyncStep1, encodeUpdate } from '../../../sync-server/protocol';

describe('decodeClientMessage', () => {
  it('reads the frames a stock client sends', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('k', 1);
    const step1 = decodeClientMessage(encodeSyncStep1(doc));
    expect(step1).toEqual({ ok: true, message: { kind: 'sync-step-1', stateVector: Y.encodeStateVector(doc) } });
    const update = Y.encodeStateAsUpdate(doc);
    expect(decodeClientMessage(encodeUpdate(update))).toEqual({ ok: true, message: { kind: 'update', update } });
    expect(decodeClientMessage(new Uint8Array([3]))).toEqual({ ok: true, message: { kind: 'query-awareness' } });
  });

  it('refuses truncated frames, unknown types and empty frames without throwing', () => {
    const truncated = decodeClientMessage(new Uint8Array([0, 2, 50, 1]));
    expect(truncated.ok).toBe(false);
    expect(decodeClientMessage(new Uint8Array([])).ok).toBe(false);
    const unknown = decodeClientMessage(new Uint8Array([42]));
    expect(unknown).toEqual({ ok: false, error: 'unknown message type 42' });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 9);
    encoding.writeVarUint8Array(encoder, new Uint8Array([0]));
    expect(decodeClientMessage(encoding.toUint8Array(encoder))).toEqual({
      ok: false,
      error: 'unknown sync message type 9',
    });
  });
});
