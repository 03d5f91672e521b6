import { chinaDate } from '@shared/domain/dates';
import type { CommunityId } from '@shared/ydoc/docName';
import type { DemoMessage, DemoRequest } from './demoWorker';
import type { WorkstationStore } from './store';

/** Generates the demo community in a worker and adds it to this device. */
export async function loadDemoCommunity(store: WorkstationStore, residents = 3000): Promise<CommunityId> {
  const worker = new Worker(new URL('./demoWorker.ts', import.meta.url), { type: 'module' });
  try {
    const message = await new Promise<DemoMessage>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<DemoMessage>) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message || 'demo worker failed'));
      const request: DemoRequest = { seed: 20261126, residents, today: chinaDate(new Date()) };
      worker.postMessage(request);
    });
    if (message.kind === 'failed') throw new Error(message.message);
    return await store.addDemoCommunity(message.update);
  } finally {
    worker.terminate();
  }
}
