import { chinaDate } from '@shared/domain/dates';
import { snapshotRegistry } from '@shared/ydoc/registry';
import type { ImportOptions } from '@shared/domain/registry/import';
import type { CommunityId } from '@shared/ydoc/docName';
import type { SheetContent } from '../../../data/excel';
import { runImport, type ImportMessage, type ImportRequest } from '../../../data/importRun';
import type { WorkstationStore } from '../../../data/store';

export type { ImportMessage, ImportStage } from '../../../data/importRun';

export type ImportOutcome = Exclude<ImportMessage, { kind: 'progress' }>;

/**
 * Reads and plans a residents workbook (its bytes, or the sheet as read before) in a worker against the community's
 * registry as it is now, with the wizard's options, reporting progress. Resolves with the worker's last message (plan,
 * refusal or failure); `signal` stops the worker. Where no worker can be started (jsdom in the unit tests) the same
 * `runImport` runs on this thread.
 */
export async function planImportInWorker(
  store: WorkstationStore,
  community: CommunityId,
  source: { bytes: Uint8Array } | { content: SheetContent },
  options: ImportOptions,
  onProgress: (message: Extract<ImportMessage, { kind: 'progress' }>) => void,
  signal?: AbortSignal,
): Promise<ImportOutcome> {
  const { doc } = await store.registry(community);
  const request: ImportRequest = { source, snapshot: snapshotRegistry(doc), today: chinaDate(new Date()), options };
  if (typeof Worker === 'undefined') return runImport(request, onProgress);
  const worker = new Worker(new URL('../../../data/importWorker.ts', import.meta.url), { type: 'module' });
  try {
    return await new Promise<ImportOutcome>((resolve) => {
      signal?.addEventListener('abort', () => resolve({ kind: 'failed', message: 'aborted' }), { once: true });
      worker.onmessage = (event: MessageEvent<ImportMessage>) => {
        if (event.data.kind === 'progress') onProgress(event.data);
        else resolve(event.data);
      };
      worker.onerror = (event) => resolve({ kind: 'failed', message: event.message || 'import worker failed' });
      worker.postMessage(request);
    });
  } finally {
    worker.terminate();
  }
}
