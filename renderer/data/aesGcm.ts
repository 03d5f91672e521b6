/**
 * AES-GCM of one value (WebCrypto), as every sealed row uses it (sealed.ts), and the answer to a request of the
 * worker that does it off the main thread (aesWorker.ts, aesThread.ts). No imports: the worker's bundle is this file.
 */

export const IV_BYTES = 12;
/** AES-GCM's tag, at the end of the ciphertext. */
const TAG_BYTES = 16;

/** WebCrypto takes views of ArrayBuffers only; a view of another kind of buffer is copied. */
function ownBuffer(view: Uint8Array): Uint8Array<ArrayBuffer> {
  return view.buffer instanceof ArrayBuffer ? (view as Uint8Array<ArrayBuffer>) : Uint8Array.from(view);
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** AES-GCM with a fresh random IV: IV, then ciphertext and tag, in one new buffer of exactly that size. */
export async function sealBytes(key: CryptoKey, aad: Uint8Array<ArrayBuffer>, plain: Uint8Array): Promise<Uint8Array> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const body = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, ownBuffer(plain));
  const sealed = new Uint8Array(IV_BYTES + body.byteLength);
  sealed.set(iv, 0);
  sealed.set(new Uint8Array(body), IV_BYTES);
  return sealed;
}

/** Opens what `sealBytes` made; rejects (WebCrypto's OperationError) on another key, other additional data or any change. */
export async function openBytes(key: CryptoKey, aad: Uint8Array<ArrayBuffer>, sealed: Uint8Array): Promise<Uint8Array> {
  const bytes = ownBuffer(sealed);
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new RangeError('too short to be sealed');
  const plain = await subtle().decrypt(
    { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: aad },
    key,
    bytes.subarray(IV_BYTES),
  );
  return new Uint8Array(plain);
}

/** A value to seal or open, as posted to the worker. Text is encoded (to seal) or decoded (once opened) there too. */
export type AesRequest =
  | {
      readonly id: number;
      readonly op: 'seal';
      readonly key: CryptoKey;
      readonly aad: Uint8Array<ArrayBuffer>;
      readonly plain: Uint8Array | string;
    }
  | {
      readonly id: number;
      readonly op: 'open';
      readonly key: CryptoKey;
      readonly aad: Uint8Array<ArrayBuffer>;
      readonly sealed: Uint8Array;
      /** The opened bytes decoded as UTF-8 (a bucket's JSON). */
      readonly text: boolean;
    };

export type AesReply =
  | { readonly id: number; readonly ok: true; readonly value: Uint8Array | string }
  | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };

/** Does what a request asks, here: in the worker, and on the main thread when there is no worker. */
export async function answerAes(request: AesRequest): Promise<AesReply> {
  try {
    if (request.op === 'seal') {
      const plain = typeof request.plain === 'string' ? encoder.encode(request.plain) : request.plain;
      return { id: request.id, ok: true, value: await sealBytes(request.key, request.aad, plain) };
    }
    const opened = await openBytes(request.key, request.aad, request.sealed);
    return { id: request.id, ok: true, value: request.text ? decoder.decode(opened) : opened };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return { id: request.id, ok: false, name, message };
  }
}
