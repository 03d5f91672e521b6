/**
 * The implementations behind the IPC contract. Everything that touches Electron (dialogs, the window's printToPDF,
 * app paths) comes in as a dependency, so these run and are tested in plain Node with real files in a temp folder.
 *
 * Arguments arrive already validated by ipc.ts; the checks here are the ones only main can make (file sizes, what
 * the person picked in a dialog).
 */
import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppInfo, FileFilter } from '@shared/ipc/contract';
import { IpcHandlerError, type IpcHandlers } from './ipc';
import type { OsKey } from './osKey';
import type { SecretStore } from './secrets';

/** Largest file `openFile` reads when the caller names no limit: 50 MiB, far above any spreadsheet of a community. */
export const DEFAULT_MAX_OPEN_BYTES = 50 * 1024 * 1024;

export interface FileSystemLike {
  writeFile(filePath: string, data: string | Uint8Array, encoding?: 'utf8'): Promise<void>;
  readFile(filePath: string): Promise<Uint8Array>;
  stat(filePath: string): Promise<{ size: number; isFile(): boolean }>;
}

export interface HandlerDeps {
  appInfo: AppInfo;
  /** The person's Documents folder: where save dialogs open. */
  documentsDir: string;
  /** `dialog.showSaveDialog` bound to the main window. */
  showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string | undefined }>;
  /** `dialog.showOpenDialog` bound to the main window. */
  showOpenDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  /** The main window's `webContents.printToPDF`. */
  printToPdf(options: {
    pageSize: 'A4' | 'A3' | 'A5';
    printBackground: boolean;
    landscape: boolean;
  }): Promise<Uint8Array>;
  fs?: FileSystemLike;
  /** The OS keychain store (secrets.ts). */
  secrets: SecretStore;
  /** The OS keychain sealing a key of the page for "remember on this computer" (osKey.ts). */
  osKey: OsKey;
  /**
   * Remembers the sync server in settings.json and widens the window's CSP for it. Returns `true` when the page
   * must reload for its policy to allow the server.
   */
  setSyncServer(server: string | null): boolean;
  /** The renderer is ready for the window to close (closeGuard.ts). */
  confirmClose(): void;
}

const nodeFs: FileSystemLike = {
  writeFile: (filePath, data, encoding) => writeFile(filePath, data, encoding),
  readFile: (filePath) => readFile(filePath),
  stat: (filePath) => stat(filePath),
};

/**
 * The default path of a save dialog. The contract already refuses names with folders in them; `basename` keeps that
 * true even if the schema is loosened one day, because this path decides where a file lands.
 */
function defaultSavePath(documentsDir: string, defaultName: string, requiredExtension?: string): string {
  let name = path.basename(defaultName);
  if (requiredExtension !== undefined && path.extname(name).toLowerCase() !== requiredExtension) {
    name += requiredExtension;
  }
  return path.join(documentsDir, name);
}

function filtersOrUndefined(filters: FileFilter[] | undefined): FileFilter[] | undefined {
  return filters !== undefined && filters.length > 0 ? filters : undefined;
}

export function createHandlers(deps: HandlerDeps): IpcHandlers {
  const fs = deps.fs ?? nodeFs;

  return {
    getAppInfo: () => Promise.resolve({ ...deps.appInfo }),

    saveFile: async ({ defaultName, content, filters, title }) => {
      const choice = await deps.showSaveDialog({
        title,
        defaultPath: defaultSavePath(deps.documentsDir, defaultName),
        filters: filtersOrUndefined(filters),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      if (choice.canceled || choice.filePath === undefined || choice.filePath === '') return null;
      if (typeof content === 'string') {
        await fs.writeFile(choice.filePath, content, 'utf8');
        return { path: choice.filePath, bytes: Buffer.byteLength(content, 'utf8') };
      }
      await fs.writeFile(choice.filePath, content);
      return { path: choice.filePath, bytes: content.byteLength };
    },

    openFile: async ({ filters, title, maxBytes = DEFAULT_MAX_OPEN_BYTES }) => {
      const choice = await deps.showOpenDialog({
        title,
        defaultPath: deps.documentsDir,
        filters: filtersOrUndefined(filters),
        properties: ['openFile'],
      });
      const filePath = choice.filePaths[0];
      if (choice.canceled || filePath === undefined) return null;
      const info = await fs.stat(filePath);
      if (!info.isFile()) throw new IpcHandlerError('io-error', `${path.basename(filePath)} is not a file`);
      const tooLarge = (size: number) =>
        new IpcHandlerError('file-too-large', `${path.basename(filePath)} is ${size} bytes; the limit is ${maxBytes}`);
      // Checked before reading so a multi-gigabyte pick never gets into memory.
      if (info.size > maxBytes) throw tooLarge(info.size);
      const bytes = await fs.readFile(filePath);
      // The file may have grown between stat and read.
      if (bytes.byteLength > maxBytes) throw tooLarge(bytes.byteLength);
      // A plain Uint8Array (not a Buffer view into Node's pool) crosses the bridge as exactly the file's bytes.
      return { path: filePath, name: path.basename(filePath), bytes: new Uint8Array(bytes) };
    },

    printToPdf: async ({ defaultName, landscape = false, pageSize = 'A4', title }) => {
      const choice = await deps.showSaveDialog({
        title,
        defaultPath: defaultSavePath(deps.documentsDir, defaultName, '.pdf'),
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      if (choice.canceled || choice.filePath === undefined || choice.filePath === '') return null;
      const pdf = await deps.printToPdf({ pageSize, printBackground: true, landscape });
      await fs.writeFile(choice.filePath, pdf);
      return { path: choice.filePath, bytes: pdf.byteLength };
    },

    storeSecret: (name, value) => {
      deps.secrets.store(name, value);
      return Promise.resolve(null);
    },
    loadSecret: (name) => Promise.resolve(deps.secrets.load(name)),
    deleteSecret: (name) => {
      deps.secrets.delete(name);
      return Promise.resolve(null);
    },
    osKeyStatus: () => Promise.resolve(deps.osKey.status()),
    osKeySeal: (bytes) => Promise.resolve(deps.osKey.seal(bytes)),
    osKeyOpen: (sealed) => Promise.resolve(deps.osKey.open(sealed)),
    setSyncServer: (server) => Promise.resolve({ reload: deps.setSyncServer(server) }),
    confirmClose: () => {
      deps.confirmClose();
      return Promise.resolve(null);
    },
  };
}
