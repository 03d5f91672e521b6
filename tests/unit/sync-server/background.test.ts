import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BackgroundWorker } from '../../../sync-server/background';
import { foldMissing } from '../../../sync-server/docState';

/** Nice values of this process's threads (Linux), from /proc: field 19 of each task's stat. */
function threadNices(): number[] {
  return readdirSync(`/proc/${process.pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[16]);
  });
}

describe('BackgroundWorker', () => {
  let worker: BackgroundWorker | null = null;
  afterEach(async () => {
    await worker?.close();
    worker = null;
  });

  it("folds what the node's snapshot lacks of the stored state, as foldMissing does, in a thread of the lowest priority", async () => {
    const stored = new Y.Doc();
    stored.getMap('m').set('a', 1);
    const node = new Y.Doc();
    Y.applyUpdate(node, Y.encodeStateAsUpdate(stored));
    node.getMap('m').set('b', 2);
    // Stored meanwhile by another node, and not yet on this one.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(stored));
    other.getMap('m').set('c', 3);
    const older = [Y.encodeStateAsUpdate(stored), Y.encodeStateAsUpdate(other, Y.encodeStateVector(stored))];
    const snapshot = Y.encodeStateAsUpdate(node);

    worker = new BackgroundWorker();
    const folded = await worker.fold(snapshot, older);
    expect(folded).toEqual(foldMissing(snapshot, older));
    const result = new Y.Doc();
    Y.applyUpdate(result, folded);
    expect(result.getMap('m').toJSON()).toEqual({ a: 1, b: 2, c: 3 });
    // The caller's bytes are copied, not moved: still readable.
    expect(snapshot.byteLength).toBeGreaterThan(0);

    if (process.platform === 'linux') {
      expect(worker.lowered).toBe(true);
      expect(threadNices()).toContain(19);
      // Only the worker's thread: this one keeps its priority.
      expect(threadNices()[0]).toBe(0);
    }
  });

  it('refuses once closed, so that the caller folds elsewhere', async () => {
    worker = new BackgroundWorker();
    await worker.close();
    await expect(worker.fold(new Uint8Array([0, 0]), [new Uint8Array([0, 0])])).rejects.toThrow(/closed/);
  });
});
