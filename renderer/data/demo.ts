import * as Y from 'yjs';
import { chinaDate } from '@shared/domain/dates';
import { docName, type CommunityId } from '@shared/ydoc/docName';
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
    const community = await store.addDemoCommunity(message.update);
    // The demo's tasks, at every stage, in the tasks document of their year, as if they had arrived by sync.
    const tasks = await store.document(docName({ community, collection: 'tasks', year: message.tasks.year }));
    Y.applyUpdate(tasks, message.tasks.update, 'demo');
    // Its mediation cases, meetings, services and grid events at every stage, in the documents of their years, the
    // same way.
    for (const [collection, updates] of [
      ['cases', message.cases],
      ['meetings', message.meetings],
      ['services', message.services],
      ['incidents', message.incidents],
      ['activities', message.activities],
    ] as const) {
      for (const { year, update } of updates) {
        Y.applyUpdate(await store.document(docName({ community, collection, year })), update, 'demo');
      }
    }
    await store.docs.flush();
    return community;
  } finally {
    worker.terminate();
  }
}
