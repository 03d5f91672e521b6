import type {
  AppInfo,
  OsKeyStatus,
  SystemLockReason,
  IpcErrorCode,
  OpenFileRequest,
  OpenFileResult,
  PrintToPdfRequest,
  PrintToPdfResult,
  SaveFileRequest,
  SaveFileResult,
} from '@shared/ipc/contract';

/**
 * The only way the renderer reaches the platform (docs/electron.md: the app also runs as a web build, without Electron). Two implementations:
 * `desktop.ts` over the preload bridge, `browser.ts` for `npm run web` and the end-to-end tests in Chromium.
 */
export interface Platform {
  readonly kind: 'desktop' | 'browser';
  getAppInfo(): Promise<AppInfo>;
  /** Saves through the save dialog (desktop) or as a download (browser). `null` when cancelled. */
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  /** Opens through the open dialog (desktop) or a file input (browser). `null` when cancelled. */
  openFile(request: OpenFileRequest): Promise<OpenFileResult>;
  /**
   * Prints the current view: to a PDF file through a save dialog (desktop), or through the browser's print dialog,
   * where the person picks "save as PDF" (browser; resolves `null` because the browser does not tell the outcome).
   */
  printToPdf(request: PrintToPdfRequest): Promise<PrintToPdfResult>;
  /** The application menu asks to show an area. Returns the unsubscribe function. */
  onNavigate(listener: (path: string) => void): () => void;
  /**
   * Where secrets (the sync token) are kept: the OS keychain through Electron `safeStorage` (desktop), or this
   * origin's IndexedDB (browser: weaker, readable by any script of the origin; see docs/sync-client.md).
   */
  readonly secretStorage: 'keychain' | 'indexeddb';
  storeSecret(name: string, value: string): Promise<void>;
  /** `null` when no secret of that name is kept. */
  loadSecret(name: string): Promise<string | null>;
  deleteSecret(name: string): Promise<void>;
  /**
   * Remembers the sync server the app talks to (desktop: settings.json, which widens the window's CSP for it).
   * Resolves `true` when the page must reload for the change to take effect.
   */
  setSyncServer(server: string | null): Promise<boolean>;
  /**
   * The window is about to close (desktop). The listener gets ready (writes out what is pending) and resolves; the
   * window then closes. Returns the unsubscribe function.
   */
  onCloseRequested(listener: () => Promise<void>): () => void;
  /**
   * The OS locks the screen or goes to sleep (desktop: Electron `powerMonitor`): the workstation locks too. Absent in
   * a plain browser, which is not told (there the idle lock remains). Returns the unsubscribe function.
   */
  onSystemLock?(listener: (reason: SystemLockReason) => void): () => void;
  /** "Remember on this computer" (desktop only). Absent in a plain browser: the option is not offered there. */
  readonly osKey?: OsKeyBridge;
}

/**
 * The OS keychain for "remember on this computer" (desktop: Electron `safeStorage`, docs/security.md). It seals a key
 * of the vault so that only this OS account on this machine opens it again.
 */
export interface OsKeyBridge {
  /** Whether the OS can seal at all; when not, why (the sign-in screen says so and offers nothing). */
  status(): Promise<OsKeyStatus>;
  seal(bytes: Uint8Array): Promise<Uint8Array>;
  /** `null` when this OS account cannot open them (another account or machine, a reset keychain). */
  open(sealed: Uint8Array): Promise<Uint8Array | null>;
}

export class PlatformError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}
