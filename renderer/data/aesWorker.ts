/**
 * The worker that seals and opens big rows off the page's main thread (aesThread.ts): Chromium's WebCrypto encrypts
 * and decrypts on the thread that calls it.
 */
import { answerAes, type AesReply, type AesRequest } from './aesGcm';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<AesRequest>) => void) | null;
  postMessage(message: AesReply, transfer: Transferable[]): void;
};

scope.onmessage = (event) => {
  void answerAes(event.data).then((reply) => {
    const moved = reply.ok && reply.value instanceof Uint8Array ? [reply.value.buffer as ArrayBuffer] : [];
    scope.postMessage(reply, moved);
  });
};
