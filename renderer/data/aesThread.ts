/**
 * Big values sealed and opened in a worker of their own (aesWorker.ts), not on the page's main thread.
 *
 * Chromium runs WebCrypto's `encrypt` and `decrypt` **on the thread that calls them** (measured: 16 decrypts of
 * 0.9 MB started in one task took 64 ms inside the calls, and their promises were settled when the calls returned).
 * At 100,000 residents a community's rows are 75 MB sealed: opening them on the main thread held the page for seconds
 * while a person typed or the other documents' sockets waited (docs/bench-scale.md, "WebCrypto runs on the calling
 * thread"). Values of `OFF_THREAD_BYTES` or more go to the worker, with their text's encoding or decoding; smaller
 * ones stay here (a round trip costs more than they do).
 *
 * If the worker cannot start, cannot take a request, or fails, that request and every one after it is done here, as
 * before the worker: slower, never lost, never reported as a row that does not open.
 */
import { answerAes, type AesReply, type AesRequest } from './aesGcm';

/** Values this big (bytes, or characters of text) or bigger go to the worker. */
export const OFF_THREAD_BYTES = 32 * 1024;

/** The worker as this module uses it (a real `Worker` in the app; an in-process one in the tests). */
export interface AesPort {
  post(request: AesRequest, transfer: Transferable[]): void;
  /** Its replies, and a failure of the worker itself (it did not load, it crashed, a reply could not be read). */
  listen(onReply: (reply: AesReply) => void, onFailure: (error: Error) => void): void;
  terminate(): void;
}

type Ask =
  | { readonly op: 'seal'; readonly plain: Uint8Array | string }
  | {
      readonly op: 'open';
      readonly sealed: Uint8Array;
      readonly text: boolean;
    };

interface Pending {
  readonly request: AesRequest;
  readonly resolve: (reply: AesReply) => void;
}

export class AesThread {
  private port: AesPort | null = null;
  private failed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly start: () => AesPort) {}

  /** Whether requests still go to the worker (false once it failed: everything is done here). */
  get working(): boolean {
    return !this.failed;
  }

  seal(key: CryptoKey, aad: Uint8Array<ArrayBuffer>, plain: Uint8Array | string): Promise<Uint8Array> {
    return this.ask(key, aad, { op: 'seal', plain }).then((value) => value as Uint8Array);
  }

  open(key: CryptoKey, aad: Uint8Array<ArrayBuffer>, sealed: Uint8Array): Promise<Uint8Array> {
    return this.ask(key, aad, { op: 'open', sealed, text: false }).then((value) => value as Uint8Array);
  }

  /** Opens and decodes UTF-8 text (a bucket's JSON). */
  openText(key: CryptoKey, aad: Uint8Array<ArrayBuffer>, sealed: Uint8Array): Promise<string> {
    return this.ask(key, aad, { op: 'open', sealed, text: true }).then((value) => value as string);
  }

  /**
   * Starts the worker now, before its first request (the page calls this while the sign-in screen waits for a
   * passphrase: the worker's script is then loaded and running by the time the first big bucket is read).
   */
  warm(): void {
    if (!this.failed) this.portNow();
  }

  /** Ends the worker; a request after this is done here. */
  close(): void {
    this.fail(new Error('the crypto worker was closed'));
  }

  private async ask(key: CryptoKey, aad: Uint8Array<ArrayBuffer>, ask: Ask): Promise<Uint8Array | string> {
    const request = { id: this.nextId++, key, aad, ...ask } as AesRequest;
    const reply = await new Promise<AesReply>((resolve) => {
      const port = this.failed ? null : this.portNow();
      if (port === null) {
        void answerAes(request).then(resolve);
        return;
      }
      this.pending.set(request.id, { request, resolve });
      try {
        // Posted as a copy: the row the caller read stays whole (a failed open still names it).
        port.post(request, []);
      } catch (error) {
        // A value the worker cannot take (a key that does not clone): this one and the rest are done here.
        this.fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
    if (reply.ok) return reply.value;
    const error = new Error(reply.message);
    error.name = reply.name;
    throw error;
  }

  private portNow(): AesPort | null {
    if (this.port !== null) return this.port;
    try {
      const port = this.start();
      port.listen(
        (reply) => {
          const waiting = this.pending.get(reply.id);
          if (waiting === undefined) return;
          this.pending.delete(reply.id);
          waiting.resolve(reply);
        },
        (error) => this.fail(error),
      );
      this.port = port;
      return port;
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return null;
    }
  }

  /** The worker is given up: what it still owed is done here, and so is everything after. */
  private fail(error: Error): void {
    if (!this.failed && this.port !== null)
      console.warn('The crypto worker stopped; sealing on the main thread', error);
    this.failed = true;
    const port = this.port;
    this.port = null;
    port?.terminate();
    const owed = [...this.pending.values()];
    this.pending.clear();
    for (const { request, resolve } of owed) void answerAes(request).then(resolve);
  }
}

let shared: AesThread | null | undefined;
/** `cgw:aes-worker` is marked at the worker's first reply (the end-to-end tests check that it answers). */
let answered = false;

/**
 * The page's one crypto worker, started on its first request; `null` where there are no workers (Node, the unit
 * tests): everything is then sealed and opened on the calling thread.
 */
export function pageAesThread(): AesThread | null {
  if (shared !== undefined) return shared;
  shared =
    typeof Worker === 'undefined' || typeof window === 'undefined'
      ? null
      : new AesThread(() => {
          const worker = new Worker(new URL('./aesWorker.ts', import.meta.url), { type: 'module', name: 'cgw-aes' });
          return {
            post: (request, transfer) => worker.postMessage(request, transfer),
            listen: (onReply, onFailure) => {
              worker.onmessage = (event: MessageEvent<AesReply>) => {
                if (!answered) performance.mark('cgw:aes-worker');
                answered = true;
                onReply(event.data);
              };
              worker.onerror = (event) => {
                event.preventDefault();
                onFailure(new Error(event.message || 'the crypto worker did not start or failed'));
              };
              worker.onmessageerror = () => onFailure(new Error('a reply of the crypto worker could not be read'));
            },
            terminate: () => worker.terminate(),
          };
        });
  return shared;
}
