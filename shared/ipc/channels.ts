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
} as const;

export type IpcMethod = keyof typeof ipcChannels;
export const ipcMethods = Object.keys(ipcChannels) as IpcMethod[];

/** Events sent from main to the renderer. Each `on...` of the bridge returns its unsubscribe function. */
export const ipcEvents = {
  onNavigate: 'event:navigate',
} as const;

export type IpcEvent = keyof typeof ipcEvents;
export const ipcEventNames = Object.keys(ipcEvents) as IpcEvent[];

export interface IpcEventPayloads {
  /** The application menu asks the renderer to show an area, e.g. `/registry`. */
  onNavigate: string;
}
