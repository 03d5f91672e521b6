/**
 * The one IPC contract between Electron main and the renderer (docs/conventions.md, habit 4).
 *
 * - `ipcContract` maps each bridge method name to its channel and to the schema of its arguments. Main registers one
 *   handler per entry through `registerIpcHandlers` (electron/main/ipc.ts), which validates the arguments with the
 *   schema; the preload builds one function per entry; the renderer sees `BridgeApi`.
 * - Results travel as `IpcResult<T>`: a malformed call gets `{ ok: false, error: { code: 'invalid-arguments' } }`
 *   back instead of an exception, because exceptions lose their type across the context bridge.
 */
import { z } from 'zod';
import { ipcChannels, type IpcEvent, type IpcEventPayloads, type IpcMethod } from './channels';

export * from './channels';

export const fileFilterSchema = z.object({
  name: z.string().min(1).max(100),
  extensions: z
    .array(z.string().regex(/^[A-Za-z0-9*]{1,10}$/))
    .min(1)
    .max(20),
});
export type FileFilter = z.infer<typeof fileFilterSchema>;

function hasUnsafeChar(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || name[i] === '/' || name[i] === '\\') return true;
  }
  return false;
}

/** A safe file name: no folders, no control characters. */
const fileNameSchema = z
  .string()
  .min(1)
  .max(200)
  .refine(
    // Control characters (U+0000-U+001F) and separators would let a name leave the chosen folder or confuse a dialog.
    (name) => !hasUnsafeChar(name) && name !== '.' && name !== '..',
    'not a plain file name',
  );

export const saveFileRequestSchema = z.object({
  defaultName: fileNameSchema,
  /** Text is written as UTF-8; bytes as they are. */
  content: z.union([z.string(), z.instanceof(Uint8Array)]),
  filters: z.array(fileFilterSchema).max(10).optional(),
  title: z.string().max(200).optional(),
});
export type SaveFileRequest = z.infer<typeof saveFileRequestSchema>;

export const openFileRequestSchema = z.object({
  filters: z.array(fileFilterSchema).max(10).optional(),
  title: z.string().max(200).optional(),
  /** Largest file accepted, in bytes; larger files are refused with `file-too-large`. */
  maxBytes: z
    .number()
    .int()
    .positive()
    .max(512 * 1024 * 1024)
    .optional(),
});
export type OpenFileRequest = z.infer<typeof openFileRequestSchema>;

export const printToPdfRequestSchema = z.object({
  defaultName: fileNameSchema,
  landscape: z.boolean().optional(),
  pageSize: z.enum(['A4', 'A3', 'A5']).optional(),
  title: z.string().max(200).optional(),
});
export type PrintToPdfRequest = z.infer<typeof printToPdfRequestSchema>;

/** Name of a secret in the OS keychain store: lower-case letters, digits and dashes. */
const secretNameSchema = z.string().regex(/^[a-z0-9-]{1,64}$/);
/** A sync token is well under 4 KiB; the limit keeps the secrets file small. */
const secretValueSchema = z
  .string()
  .min(1)
  .max(16 * 1024);
/** A key of the page sealed or opened by the OS keychain ("remember on this computer"): 32 bytes, sealed a little more. */
const osKeyBytesSchema = z
  .instanceof(Uint8Array)
  .refine((bytes) => bytes.byteLength > 0 && bytes.byteLength <= 4096, 'between 1 and 4096 bytes');
/** The sync server's address (`ws(s)://host[:port]`), or `null` to forget it. */
const syncServerSchema = z.union([
  z
    .string()
    .max(2048)
    .regex(/^(wss?|https?):\/\/[^\s]+$/),
  z.null(),
]);

export interface AppInfo {
  name: string;
  version: string;
  /** Folder where the app keeps its own files (window state, settings, logs). */
  dataFolder: string;
  platform: string;
  electronVersion: string;
}

/**
 * Whether the OS keychain can seal a key for "remember on this computer" (Electron `safeStorage`): `no-keychain` when
 * the OS offers none, `basic-text` on Linux without a keyring (a fixed key: no protection, so not offered).
 */
export type OsKeyStatus =
  { readonly available: true } | { readonly available: false; readonly reason: 'no-keychain' | 'basic-text' };

/** `null` when the person cancelled the dialog. */
export type SaveFileResult = { path: string; bytes: number } | null;
export type OpenFileResult = { path: string; name: string; bytes: Uint8Array } | null;
export type PrintToPdfResult = { path: string; bytes: number } | null;

export type IpcErrorCode =
  'invalid-arguments' | 'unknown-channel' | 'file-too-large' | 'io-error' | 'keychain-unavailable' | 'internal';
export interface IpcError {
  code: IpcErrorCode;
  message: string;
}
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Argument schema of each bridge method: a tuple of the method's parameters, checked by main before the handler. */
export const ipcContract = {
  getAppInfo: { channel: ipcChannels.getAppInfo, args: z.tuple([]) },
  saveFile: { channel: ipcChannels.saveFile, args: z.tuple([saveFileRequestSchema]) },
  openFile: { channel: ipcChannels.openFile, args: z.tuple([openFileRequestSchema]) },
  printToPdf: { channel: ipcChannels.printToPdf, args: z.tuple([printToPdfRequestSchema]) },
  storeSecret: { channel: ipcChannels.storeSecret, args: z.tuple([secretNameSchema, secretValueSchema]) },
  loadSecret: { channel: ipcChannels.loadSecret, args: z.tuple([secretNameSchema]) },
  deleteSecret: { channel: ipcChannels.deleteSecret, args: z.tuple([secretNameSchema]) },
  osKeyStatus: { channel: ipcChannels.osKeyStatus, args: z.tuple([]) },
  osKeySeal: { channel: ipcChannels.osKeySeal, args: z.tuple([osKeyBytesSchema]) },
  osKeyOpen: { channel: ipcChannels.osKeyOpen, args: z.tuple([osKeyBytesSchema]) },
  setSyncServer: { channel: ipcChannels.setSyncServer, args: z.tuple([syncServerSchema]) },
  confirmClose: { channel: ipcChannels.confirmClose, args: z.tuple([]) },
} as const satisfies Record<IpcMethod, { channel: string; args: z.ZodTuple }>;

/** Result type of each bridge method (results come from our own main process, so they are typed, not validated). */
export interface IpcResults {
  getAppInfo: AppInfo;
  saveFile: SaveFileResult;
  openFile: OpenFileResult;
  printToPdf: PrintToPdfResult;
  storeSecret: null;
  /** `null` when no secret of that name is kept. */
  loadSecret: string | null;
  deleteSecret: null;
  osKeyStatus: OsKeyStatus;
  osKeySeal: Uint8Array;
  /** `null` when the sealed bytes cannot be opened by this OS account (another account or machine, a reset keychain). */
  osKeyOpen: Uint8Array | null;
  /** `reload: true` when the page must reload for its Content-Security-Policy to allow the new server. */
  setSyncServer: { reload: boolean };
  confirmClose: null;
}

export type IpcArgs<M extends IpcMethod> = z.infer<(typeof ipcContract)[M]['args']>;
export type IpcReturn<M extends IpcMethod> = IpcResults[M];

/** What the preload exposes as `window.api`: one async function per contract entry, plus the event subscriptions. */
export type BridgeApi = {
  readonly [M in IpcMethod]: (...args: IpcArgs<M>) => Promise<IpcResult<IpcReturn<M>>>;
} & BridgeEvents;

export type BridgeEvents = {
  readonly [E in IpcEvent]: (listener: (payload: IpcEventPayloads[E]) => void) => () => void;
};
