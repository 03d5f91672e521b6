/**
 * Generates the demo community off the main thread, so the window stays responsive (and shows progress) while
 * thousands of residents are made. Posts the finished document as one Yjs update.
 */
import * as Y from 'yjs';
import { generateDemoCommunity } from '@shared/domain/registry/demo';

export interface DemoRequest {
  seed: number;
  residents: number;
  today: string;
}

export type DemoMessage = { kind: 'done'; update: Uint8Array; residents: number } | { kind: 'failed'; message: string };

// The renderer's types are the window's; the few worker members used here are described by hand.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<DemoRequest>) => void) | null;
  postMessage(message: DemoMessage, options?: { transfer: Transferable[] }): void;
};

scope.onmessage = (event: MessageEvent<DemoRequest>) => {
  try {
    const { doc, counts } = generateDemoCommunity(event.data.seed, {
      residents: event.data.residents,
      today: event.data.today,
    });
    const update = Y.encodeStateAsUpdate(doc);
    const message: DemoMessage = { kind: 'done', update, residents: counts.residents };
    scope.postMessage(message, { transfer: [update.buffer as ArrayBuffer] });
  } catch (error) {
    const message: DemoMessage = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    scope.postMessage(message);
  }
};
