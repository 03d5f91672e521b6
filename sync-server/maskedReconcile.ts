/**
 * Bringing a registry's masked copy in line at load (masking.ts `linkMasked`; shared/ydoc/registryMasked.ts
 * `reconcileMasked`) in the registry's answer worker (answerWorker.ts) instead of on the event loop: a pass over the
 * whole registry, 1.0-1.1 s for 20,000 residents when the copy is in line and 5.5 s when it is made, on a loaded
 * machine. The worker holds the registry's replica (answers.ts), exactly what the main thread's registry holds when
 * the request is posted (messages are handled in order); it builds the copy from the bytes it is sent (the copy as
 * stored, which is what the main thread's copy holds: it is not handed out before it is linked), runs the same
 * `reconcileMasked` on it and sends back the one update that reconciliation wrote (empty when the copy is in line),
 * with the copy's audit ids and the entries the registry lacks. The main thread applies that update to its copy (a
 * big one, when the copy is made, in slices with the event loop free between them), stores it and relays it, as it
 * did with the update it wrote itself.
 *
 * The update is written under the worker's copy's own client id, a new one at every load (as the main thread's copy's
 * is), never one a device may hold other content of. Audit entries keep their ids as they are (`maskedEntry`).
 */
import * as Y from 'yjs';
import { reconcileMasked } from '@shared/ydoc/registryMasked';
import { SLICE_STRUCTS, sliceStructs, structsAfter } from './docSlices';
import { rebuildDoc } from './docState';

/** What the worker's reconciliation found, and the update it wrote. */
export interface MaskedReconciled {
  /** The update that brings the copy in line: null when it already is. */
  readonly update: Uint8Array | null;
  /** Ids of the copy's audit entries after the update. */
  readonly knownAudit: Set<string>;
  /** Entries of the copy's audit the registry lacks (a viewer's, not carried yet). */
  readonly missingInSource: unknown[];
  /** The state vector of the copy the worker built, before the update: the main thread's copy must hold the same. */
  readonly maskedStateVector: Uint8Array;
  /** Its state vector after the update. */
  readonly maskedStateVectorAfter: Uint8Array;
  /**
   * A big update (the copy made for the first time: the whole masked registry) also as slices to integrate one task
   * at a time (docSlices.ts), its delete set last; empty when the update is small enough to apply at once.
   */
  readonly slices: Uint8Array[];
}

/** Origin of the worker's reconciliation (nothing listens for it there). */
const WORKER_MASK_ORIGIN = { kind: 'server-mask-worker' } as const;

/**
 * In the worker: `registry` is the replica, `masked` the copy's stored updates. The result as messages to post
 * (each with a buffer of its own, so they can be moved): the update (empty when none), the JSON of the audit ids
 * and missing entries, and the copy's state vector before the update.
 */
export function reconcileMaskedMessages(registry: Y.Doc, masked: readonly Uint8Array[]): Uint8Array[] {
  const target = rebuildDoc(masked, () => undefined).ydoc;
  try {
    const before = Y.encodeStateVector(target);
    const updates: Uint8Array[] = [];
    target.on('update', (update: Uint8Array) => void updates.push(update));
    const { knownAudit, missingInSource } = reconcileMasked(registry, target, WORKER_MASK_ORIGIN);
    const [first] = updates;
    const update = first === undefined ? new Uint8Array(0) : updates.length === 1 ? first : Y.mergeUpdates(updates);
    const meta = new TextEncoder().encode(JSON.stringify({ knownAudit: [...knownAudit], missingInSource }));
    const after = Y.encodeStateVector(target);
    const beforeMap = Y.decodeStateVector(before);
    const slices =
      first !== undefined && structsAfter(target, beforeMap) > SLICE_STRUCTS
        ? [...sliceStructs(target, SLICE_STRUCTS, beforeMap), Y.diffUpdate(update, after)]
        : [];
    return [new Uint8Array(update), meta, before, after, ...slices.map((slice) => new Uint8Array(slice))];
  } finally {
    target.destroy();
  }
}

/** On the main thread: the worker's messages read back. */
export function readMaskedReconciled(messages: readonly Uint8Array[]): MaskedReconciled {
  const [update, meta, maskedStateVector, maskedStateVectorAfter, ...slices] = messages;
  if (
    update === undefined ||
    meta === undefined ||
    maskedStateVector === undefined ||
    maskedStateVectorAfter === undefined
  )
    throw new Error('answer worker sent an incomplete reconciliation');
  const parsed = JSON.parse(new TextDecoder().decode(meta)) as { knownAudit: string[]; missingInSource: unknown[] };
  return {
    update: update.byteLength === 0 ? null : update,
    knownAudit: new Set(parsed.knownAudit),
    missingInSource: parsed.missingInSource,
    maskedStateVector,
    maskedStateVectorAfter,
    slices,
  };
}

/** Two encoded state vectors name the same clocks (Yjs writes the clients in a fixed order). */
export function sameStateVector(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
