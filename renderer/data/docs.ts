import * as Y from 'yjs';
import type { WorkstationDb } from './db';

/** Origin of updates applied while loading a document from disk: they are already stored, so not written again. */
export const LOAD_ORIGIN = Symbol('loaded-from-disk');

/** Above this many stored updates a document's log is merged into one row. */
export const COMPACT_THRESHOLD = 300;

interface OpenDoc {
  doc: Y.Doc;
  pending: Uint8Array[];
  writing: Promise<void>;
  storedRows: number;
  onUpdate: (update: Uint8Array, origin: unknown) => void;
}

/**
 * Keeps the Yjs documents of this device in Dexie. Every update of an open document is appended to `docUpdates` at
 * once (batched per microtask), so nothing typed is lost if the app is killed a moment later; the log is merged into
 * one update when it grows past COMPACT_THRESHOLD rows, in one transaction so a crash mid-way loses nothing.
 */
export class LocalDocs {
  private readonly open = new Map<string, Promise<OpenDoc>>();
  private readonly listeners = new Set<(error: unknown) => void>();

  constructor(private readonly db: WorkstationDb) {}

  /** The document with this name, loaded from disk on first use and kept open until `close`. */
  async get(name: string): Promise<Y.Doc> {
    return (await this.entry(name)).doc;
  }

  isOpen(name: string): boolean {
    return this.open.has(name);
  }

  /** Is told when writing to disk fails (quota exceeded, storage gone), so the UI can warn. */
  onWriteError(listener: (error: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private entry(name: string): Promise<OpenDoc> {
    let entry = this.open.get(name);
    if (!entry) {
      entry = this.load(name);
      this.open.set(name, entry);
      entry.catch(() => this.open.delete(name));
    }
    return entry;
  }

  private async load(name: string): Promise<OpenDoc> {
    const rows = await this.db.docUpdates.where('docName').equals(name).sortBy('seq');
    const doc = new Y.Doc({ gc: true });
    if (rows.length > 0) {
      Y.applyUpdate(doc, Y.mergeUpdates(rows.map((row) => row.update)), LOAD_ORIGIN);
    }
    const entry: OpenDoc = {
      doc,
      pending: [],
      writing: Promise.resolve(),
      storedRows: rows.length,
      onUpdate: (update, origin) => {
        if (origin === LOAD_ORIGIN) return;
        this.enqueue(name, entry, update);
      },
    };
    doc.on('update', entry.onUpdate);
    if (rows.length > COMPACT_THRESHOLD) this.schedule(entry, () => this.compact(name, entry));
    return entry;
  }

  private enqueue(name: string, entry: OpenDoc, update: Uint8Array): void {
    const first = entry.pending.length === 0;
    entry.pending.push(update);
    if (!first) return;
    this.schedule(entry, async () => {
      const batch = entry.pending.splice(0);
      if (batch.length === 0) return;
      const merged = batch.length === 1 && batch[0] ? batch[0] : Y.mergeUpdates(batch);
      await this.db.docUpdates.add({ docName: name, update: merged, at: Date.now() });
      entry.storedRows += 1;
      if (entry.storedRows > COMPACT_THRESHOLD) await this.compact(name, entry);
    });
  }

  /** Runs disk work for one document strictly in order; a failure is reported and the chain goes on. */
  private schedule(entry: OpenDoc, work: () => Promise<void>): void {
    entry.writing = entry.writing
      .then(() => new Promise<void>((resolve) => queueMicrotask(resolve)))
      .then(work)
      .catch((error: unknown) => {
        for (const listener of this.listeners) listener(error);
      });
  }

  private async compact(name: string, entry: OpenDoc): Promise<void> {
    await this.db.transaction('rw', this.db.docUpdates, async () => {
      const rows = await this.db.docUpdates.where('docName').equals(name).sortBy('seq');
      if (rows.length <= 1) return;
      const merged = Y.mergeUpdates(rows.map((row) => row.update));
      await this.db.docUpdates.bulkDelete(rows.flatMap((row) => (row.seq === undefined ? [] : [row.seq])));
      await this.db.docUpdates.add({ docName: name, update: merged, at: Date.now() });
    });
    entry.storedRows = 1;
  }

  /** Resolves when every update made so far is on disk. */
  async flush(name?: string): Promise<void> {
    const names = name === undefined ? [...this.open.keys()] : [name];
    for (const docName of names) {
      const entry = await this.open.get(docName);
      if (!entry) continue;
      // New work may be chained while we wait; wait until the chain is quiet.
      let seen: Promise<void> | undefined;
      while (seen !== entry.writing) {
        seen = entry.writing;
        await seen;
      }
    }
  }

  /** Writes out what is pending and forgets the document. */
  async close(name: string): Promise<void> {
    const entry = await this.open.get(name);
    if (!entry) return;
    await this.flush(name);
    entry.doc.off('update', entry.onUpdate);
    entry.doc.destroy();
    this.open.delete(name);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.keys()].map((name) => this.close(name)));
  }

  /** Number of rows a document occupies in the update log (for the store benchmark and tests). */
  storedRowCount(name: string): Promise<number> {
    return this.db.docUpdates.where('docName').equals(name).count();
  }
}
