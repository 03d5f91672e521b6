/**
 * Channel names of the IPC contract, kept free of any runtime dependency so that the sandboxed preload can import
 * them without bundling the validation library. `contract.ts` adds the argument schemas and result types and checks
 * (with `satisfies`) that it covers exactly these methods.
 */
export const ipcChannels = {
  getAppInfo: 'app:get-info',
  saveFile: 'file:save',
  openFile: 'file:open',
  printToPdf: 'print:pdf',
  storeSecret: 'secret:store',
  loadSecret: 'secret:load',
  deleteSecret: 'secret:delete',
  osKeyStatus: 'oskey:status',
  osKeySeal: 'oskey:seal',
  osKeyOpen: 'oskey:open',
  setSyncServer: 'settings:set-sync-server',
  confirmClose: 'window:confirm-close',
} as const;

export type IpcMethod = keyof typeof ipcChannels;
export const ipcMethods = Object.keys(ipcChannels) as IpcMethod[];

/** Events sent from main to the renderer. Each `on...` of the bridge returns its unsubscribe function. */
export const ipcEvents = {
  onNavigate: 'event:navigate',
  onCloseRequested: 'event:close-requested',
  onSystemLock: 'event:system-lock',
} as const;

export type IpcEvent = keyof typeof ipcEvents;
export const ipcEventNames = Object.keys(ipcEvents) as IpcEvent[];

export interface IpcEventPayloads {
  /** The application menu asks the renderer to show an area, e.g. `/registry`. */
  onNavigate: string;
  /**
   * The window is about to close: the renderer writes out what is pending (and, online, waits a moment for the sync
   * server to store changes in flight), then calls `confirmClose`. Main closes anyway after a few seconds.
   */
  onCloseRequested: null;
  /**
   * The OS is locking the screen or the machine is going to sleep (Electron `powerMonitor`): the renderer locks the
   * workstation at once (ends the session, forgets the keys), as after the idle time. A plain browser never sends it.
   */
  onSystemLock: SystemLockReason;
}

/** Which OS event locked the workstation: `powerMonitor`'s 'lock-screen' or 'suspend'. */
export type SystemLockReason = 'lock-screen' | 'suspend';
export const SYSTEM_LOCK_REASONS: readonly SystemLockReason[] = ['lock-screen', 'suspend'];
