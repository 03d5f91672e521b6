/**
 * A one-off read of a document this device does not keep in sync: the registry's audit of an archived year,
 * `<community>/audit/<year>` (docs/registry-model.md, "Where the audit lives"), which only the server writes and which
 * the resident drawer opens on demand. Connects with the token (in the subprotocol header, never the URL), waits for
 * the server's answer, closes; nothing is stored on the device.
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { tokenSubprotocols } from '@shared/sync/protocol';

export async function readOnce(
  server: string,
  token: string,
  docName: string,
  options: { readonly timeoutMs?: number; readonly WebSocketImpl?: typeof WebSocket } = {},
): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server, docName, doc, {
    protocols: tokenSubprotocols(token),
    disableBc: true,
    shouldReconnect: () => false,
    ...(options.WebSocketImpl === undefined ? {} : { WebSocketPolyfill: options.WebSocketImpl }),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${docName}: no answer in time`)), options.timeoutMs ?? 20_000);
      provider.on('sync', (synced: boolean) => {
        if (!synced) return;
        clearTimeout(timer);
        resolve();
      });
      provider.on('connection-close', () => {
        if (provider.synced) return;
        clearTimeout(timer);
        reject(new Error(`${docName}: refused or closed`));
      });
    });
    return doc;
  } finally {
    provider.destroy();
  }
}
