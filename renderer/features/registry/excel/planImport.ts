import { chinaDate } from '@shared/domain/dates';
import { snapshotRegistry } from '@shared/ydoc/registry';
import type { CommunityId } from '@shared/ydoc/docName';
import type { ImportMessage, ImportRequest } from '../../../data/importWorker';
import type { WorkstationStore } from '../../../data/store';

export type { ImportMessage, ImportStage } from '../../../data/importWorker';

export type ImportOutcome = Exclude<ImportMessage, { kind: 'progress' }>;

/**
 * Reads and plans a residents workbook in a worker against the community's registry as it is now, reporting progress.
 * Resolves with the worker's last message (plan, refusal or failure); `signal` stops the worker.
 */
export async function planImportInWorker(
  store: WorkstationStore,
  community: CommunityId,
  bytes: Uint8Array,
  onProgress: (message: Extract<ImportMessage, { kind: 'progress' }>) => void,
  signal?: AbortSignal,
): Promise<ImportOutcome> {
  const { doc } = await store.registry(community);
  const request: ImportRequest = { bytes, snapshot: snapshotRegistry(doc), today: chinaDate(new Date()) };
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
