import { describe, expect, it, vi } from 'vitest';
import { answerAes, type AesReply, type AesRequest } from '../../../../renderer/data/aesGcm';
import { AesThread, OFF_THREAD_BYTES, type AesPort } from '../../../../renderer/data/aesThread';
import { MemoryKeyRing } from '../../../../renderer/data/keyring';
import { SealedRowError, SealedRows } from '../../../../renderer/data/sealed';
import type { ProjectionStateRow, ResidentBucketRow, StoredListHead } from '../../../../renderer/data/db';

/**
 * A worker in this process: requests answered by the worker's own code (aesGcm.ts `answerAes`) a task later, as a
 * real worker's reply arrives. `failAfter`: the worker dies (without replying) when it is given its n-th request.
 */
function inProcessWorker(options: { failAfter?: number } = {}) {
  const posted: AesRequest[] = [];
  let onReply: ((reply: AesReply) => void) | null = null;
  let onFailure: ((error: Error) => void) | null = null;
  let terminated = false;
  const port: AesPort = {
    post(request) {
      // A real worker is given a copy: the caller's bytes stay its own.
      posted.push(structuredClone(request));
      if (options.failAfter !== undefined && posted.length >= options.failAfter) {
        setTimeout(() => onFailure?.(new Error('the worker crashed')), 0);
        return;
      }
      const copy = posted.at(-1)!;
      setTimeout(() => void answerAes(copy).then((reply) => !terminated && onReply?.(reply)), 0);
    },
    listen(reply, failure) {
      onReply = reply;
      onFailure = failure;
    },
    terminate() {
      terminated = true;
    },
  };
  return { port, posted, isTerminated: () => terminated };
}

/** A bucket's JSON of about `chars` characters, Chinese as the registry's is. */
function bucketJson(chars: number): string {
  const rows: { id: string; name: string; address: string }[] = [];
  let length = 2;
  for (let i = 0; length < chars; i++) {
    const row = { id: `r-${i}`, name: `王建国${i}`, address: `幸福小区3栋2单元${i}号` };
    rows.push(row);
    length += JSON.stringify(row).length + 1;
  }
  return JSON.stringify(rows);
}

describe('AesThread: big rows sealed and opened off the main thread', () => {
  it('seals and opens big rows in the worker, in the same format as the main thread, and small ones here', async () => {
    const keys = new MemoryKeyRing();
    const worker = inProcessWorker();
    const thread = new AesThread(() => worker.port);
    const offThread = new SealedRows(keys, thread);
    const here = new SealedRows(keys, null);
    const big = bucketJson(OFF_THREAD_BYTES * 3);

    const sealedThere = await offThread.residentBucket('c1/registry', 7, big);
    expect(worker.posted.map((request) => request.op)).toEqual(['seal']);
    // What the worker sealed opens on the main thread, and the other way round: one format.
    expect(await here.openResidentBucket(sealedThere)).toBe(big);
    const sealedHere = await here.residentBucket('c1/registry', 8, big);
    expect(await offThread.openResidentBucket(sealedHere)).toBe(big);
    expect(worker.posted.map((request) => request.op)).toEqual(['seal', 'open']);
    // Bytes too (a document's update).
    const update = new Uint8Array(OFF_THREAD_BYTES + 5).map((_, i) => i % 251);
    const row = await offThread.updateRow('c1/registry', 3, update, 1);
    expect(Array.from(await here.openUpdate(row))).toEqual(Array.from(update));
    expect(Array.from(await offThread.openUpdate(row))).toEqual(Array.from(update));
    expect(worker.posted).toHaveLength(4);

    // A small row stays here: no round trip.
    const small = await offThread.residentBucket('c1/registry', 9, '[]');
    expect(await offThread.openResidentBucket(small)).toBe('[]');
    expect(worker.posted).toHaveLength(4);
    expect(thread.working).toBe(true);
  });

  it('opens what a start waits for, the search keys and the list head, here however big', async () => {
    const keys = new MemoryKeyRing();
    const worker = inProcessWorker();
    const thread = new AesThread(() => worker.port);
    const rows = new SealedRows(keys, thread);
    const big = bucketJson(OFF_THREAD_BYTES * 3);
    const sealedKeys = await rows.residentKeys('c1/registry', 4, big);
    const head: StoredListHead = { total: 100_000, json: big };
    const { sealedHead } = await rows.listHead('c1/registry', head);
    // Both were sealed in the worker (a projection's write)…
    expect(worker.posted.map((request) => request.op)).toEqual(['seal', 'seal']);
    // …and are opened on this thread: a round trip to the worker made the first search of a start later.
    expect(await rows.openResidentKeys(sealedKeys)).toBe(big);
    const state: ProjectionStateRow = { docName: 'c1/registry', stateVector: new Uint8Array(), builtAt: 1, sealedHead };
    expect(await rows.openListHead(state)).toEqual(head);
    expect(worker.posted).toHaveLength(2);
    // A bucket of everyone's rows, as big, still goes to the worker.
    await rows.openResidentBucket(await new SealedRows(keys, null).residentBucket('c1/registry', 4, big));
    expect(worker.posted.map((request) => request.op)).toEqual(['seal', 'seal', 'open']);
    // Altered keys are refused here as the worker refuses them, naming the row.
    const altered = Uint8Array.from(sealedKeys.sealed!);
    altered[50] = altered[50]! ^ 1;
    const error = await rows.openResidentKeys({ ...sealedKeys, sealed: altered }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SealedRowError);
    expect((error as SealedRowError).row).toBe('c1/registry#4');
  });

  it('starts the worker when warmed, before its first request, and uses that one worker', async () => {
    const worker = inProcessWorker();
    const start = vi.fn(() => worker.port);
    const thread = new AesThread(start);
    thread.warm();
    expect(start).toHaveBeenCalledOnce();
    const rows = new SealedRows(new MemoryKeyRing(), thread);
    const big = bucketJson(OFF_THREAD_BYTES * 2);
    expect(await rows.openResidentBucket(await rows.residentBucket('c1/registry', 1, big))).toBe(big);
    expect(start).toHaveBeenCalledOnce();
    expect(worker.posted).toHaveLength(2);
  });

  it('names the row that does not open in the worker, as on the main thread, and keeps the worker', async () => {
    const keys = new MemoryKeyRing();
    const worker = inProcessWorker();
    const thread = new AesThread(() => worker.port);
    const rows = new SealedRows(keys, thread);
    const sealed = await rows.residentBucket('c1/registry', 7, bucketJson(OFF_THREAD_BYTES * 2));
    const altered = Uint8Array.from(sealed.sealed!);
    altered[100] = altered[100]! ^ 1;
    const moved: ResidentBucketRow = { ...sealed, bucket: 8 };
    for (const row of [{ ...sealed, sealed: altered }, moved]) {
      const error = await rows.openResidentBucket(row).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SealedRowError);
      expect((error as SealedRowError).row).toBe(`c1/registry#${row.bucket}`);
    }
    // Another community's key does not open it either.
    const other = await new SealedRows(new MemoryKeyRing(), thread).openResidentBucket(sealed).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(SealedRowError);
    expect(thread.working).toBe(true);
    expect(worker.isTerminated()).toBe(false);
  });

  it('does what a crashed worker owed on the main thread, and everything after it: nothing lost', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const keys = new MemoryKeyRing();
    const worker = inProcessWorker({ failAfter: 2 });
    const thread = new AesThread(() => worker.port);
    const rows = new SealedRows(keys, thread);
    const here = new SealedRows(keys, null);
    const texts = [1, 2, 3].map((n) => bucketJson(OFF_THREAD_BYTES * n));
    // Three at once: the first is answered, the worker dies on the second without answering it or the third.
    const sealed = await Promise.all(texts.map((text, bucket) => rows.residentBucket('c1/registry', bucket, text)));
    expect(thread.working).toBe(false);
    expect(worker.isTerminated()).toBe(true);
    for (const [bucket, row] of sealed.entries()) expect(await here.openResidentBucket(row)).toBe(texts[bucket]);
    // After the failure nothing more is posted.
    const posted = worker.posted.length;
    expect(await rows.openResidentBucket(sealed[2]!)).toBe(texts[2]);
    expect(worker.posted).toHaveLength(posted);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('works on the main thread when the worker does not start or cannot take a request', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const keys = new MemoryKeyRing();
    const text = bucketJson(OFF_THREAD_BYTES * 2);
    const noWorker = new AesThread(() => {
      throw new Error('workers are blocked here');
    });
    const sealed = await new SealedRows(keys, noWorker).residentBucket('c1/registry', 1, text);
    expect(await new SealedRows(keys, null).openResidentBucket(sealed)).toBe(text);
    expect(noWorker.working).toBe(false);

    // A key that does not clone into the worker (postMessage throws DataCloneError).
    const refusing = inProcessWorker();
    refusing.port.post = () => {
      throw new DOMException('CryptoKey could not be cloned', 'DataCloneError');
    };
    const cloneless = new AesThread(() => refusing.port);
    expect(await new SealedRows(keys, cloneless).openResidentBucket(sealed)).toBe(text);
    expect(cloneless.working).toBe(false);
    warn.mockRestore();
  });
});
