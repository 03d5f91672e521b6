/**
 * Registers the IPC contract (shared/ipc/contract.ts) on `ipcMain`, through one generic helper (docs/conventions.md, habit 4).
 *
 * Every call is answered with an `IpcResult`, never an exception: exceptions lose their type across the context
 * bridge, and an unhandled rejection in a handler must not be able to take main down. Arguments come from a renderer
 * and are untrusted: they are parsed with the contract's zod tuple before the handler sees them.
 */
import type { IpcMainInvokeEvent } from 'electron';
import {
  ipcContract,
  ipcMethods,
  type IpcArgs,
  type IpcErrorCode,
  type IpcMethod,
  type IpcResult,
  type IpcReturn,
} from '@shared/ipc/contract';
import { APP_ORIGIN } from './protocol';

/** What a handler implements for each method of the contract: the validated arguments in, the value out. */
export type IpcHandlers = { [M in IpcMethod]: (...args: IpcArgs<M>) => Promise<IpcReturn<M>> };

/** A failure a handler expects and names (the rest become `internal` or `io-error`). */
export class IpcHandlerError extends Error {
  override readonly name = 'IpcHandlerError';
  constructor(
    readonly code: Exclude<IpcErrorCode, 'invalid-arguments' | 'unknown-channel'>,
    message: string,
  ) {
    super(message);
  }
}

/** The part of `ipcMain` used here, so tests can pass a recorder. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
}

/** The part of the invoke event looked at: which frame sent the call. */
export type IpcSenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

export interface RegisterOptions {
  /** `ELECTRON_RENDERER_URL` in development, when the page comes from the Vite dev server. */
  devServerUrl?: string | undefined;
  /** Where refused calls and handler failures are written. */
  log?: (message: string, detail?: unknown) => void;
}

/**
 * Whether a frame at `frameUrl` is our own page: `app://workstation/...`, or the dev server's origin in development.
 * Compared by parsed origin, not by string prefix, so `app://workstation.evil/` or `http://localhost:51730` fail.
 */
export function isTrustedSenderUrl(frameUrl: string | undefined, devServerUrl?: string): boolean {
  const url = parseUrl(frameUrl);
  if (url === null) return false;
  // Node's URL reports the origin of a custom scheme as "null", so app:// is compared by protocol and host.
  if (`${url.protocol}//${url.host}` === APP_ORIGIN) return true;
  const dev = parseUrl(devServerUrl);
  return dev !== null && url.origin !== 'null' && url.origin === dev.origin;
}

function parseUrl(value: string | undefined): URL | null {
  if (value === undefined || value === '') return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .map(({ path, message }) => (path.length > 0 ? `${path.map(String).join('.')}: ${message}` : message))
    .join('; ');
}

/** Maps anything a handler threw to a typed error. Node's system errors (`ENOENT`, `EACCES`, ...) are `io-error`. */
export function toIpcError(error: unknown): { code: IpcErrorCode; message: string } {
  if (error instanceof IpcHandlerError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  const errno = (error as { code?: unknown } | null)?.code;
  if (typeof errno === 'string' && /^E[A-Z]+$/.test(errno)) return { code: 'io-error', message };
  return { code: 'internal', message };
}

/**
 * Answers one call of `method`: checks the sender, parses the arguments, runs the handler, wraps the outcome.
 * Exported for tests; `registerIpcHandlers` is what main uses.
 */
export async function dispatch<M extends IpcMethod>(
  method: M,
  handler: (...args: IpcArgs<M>) => Promise<IpcReturn<M>>,
  event: IpcSenderEvent,
  rawArgs: unknown[],
  options: RegisterOptions = {},
): Promise<IpcResult<IpcReturn<M>>> {
  const log = options.log ?? ((message, detail) => console.warn(message, detail));
  try {
    const frameUrl = event.senderFrame?.url;
    if (!isTrustedSenderUrl(frameUrl, options.devServerUrl)) {
      log(`ipc: refused ${method} from an untrusted frame`, frameUrl);
      return { ok: false, error: { code: 'invalid-arguments', message: 'caller is not the application page' } };
    }
    const parsed = ipcContract[method].args.safeParse(rawArgs);
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid-arguments', message: describeIssues(parsed.error.issues) } };
    }
    // `IpcArgs<M>` is by definition the output type of `ipcContract[M].args`, but TypeScript cannot follow an indexed
    // access through the generic `M` and sees the union of all methods' tuples.
    const value = await handler(...(parsed.data as IpcArgs<M>));
    return { ok: true, value };
  } catch (error: unknown) {
    const ipcError = toIpcError(error);
    if (ipcError.code === 'internal') log(`ipc: ${method} failed`, error);
    return { ok: false, error: ipcError };
  }
}

/** Registers one `ipcMain.handle` per contract entry; returns the channels registered. */
export function registerIpcHandlers(
  ipcMainLike: IpcMainLike,
  handlers: IpcHandlers,
  options: RegisterOptions = {},
): string[] {
  // Generic so that `handlers[method]` keeps the type of that one method (a plain IpcMethod would give a union).
  const register = <M extends IpcMethod>(method: M): (typeof ipcContract)[M]['channel'] => {
    const { channel } = ipcContract[method];
    const handler = handlers[method];
    ipcMainLike.handle(channel, (event, ...rawArgs) => dispatch(method, handler, event, rawArgs, options));
    return channel;
  };
  return ipcMethods.map(register);
}
