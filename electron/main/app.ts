/**
 * The thin glue between Electron and the pure modules of electron/main. This is the only main-process module that
 * imports `electron` at runtime; its tests mock `electron` (plain Node cannot load it).
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
} from 'electron';
import { fileURLToPath } from 'node:url';
import { ipcEvents } from '@shared/ipc/channels';
import { createCloseGuard } from './closeGuard';
import { buildCsp, toWebSocketOrigin } from './csp';
import { createHandlers } from './handlers';
import { IpcHandlerError, registerIpcHandlers } from './ipc';
import { APP_DISPLAY_NAME, buildMenuTemplate } from './menu';
import { APP_ENTRY_URL, APP_SCHEME, createAppProtocolHandler } from './protocol';
import { createOsKey } from './osKey';
import { createSecretStore, secretsPath } from './secrets';
import { loadSettings, saveSettings, settingsPath, type Settings } from './settings';
import { forwardSystemLock } from './systemLock';
import { appOrigins, buildWindowOptions, hardenWebContents, isPermissionAllowed } from './window';
import { debounce, loadWindowState, saveWindowState, windowStatePath } from './windowState';

/** Sites whose links open in the OS browser; empty: every link the page tries to open is refused (window.ts). */
export const EXTERNAL_ALLOW_LIST: readonly string[] = [];

/** Built layout: out/main/index.js next to out/preload/index.cjs and out/renderer/. */
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));

export interface MainWindowOptions {
  userDataDir: string;
  /** Vite dev server URL; only ever set when the app is not packaged. */
  devServerUrl?: string | undefined;
}

export function createMainWindow({ userDataDir, devServerUrl }: MainWindowOptions): BrowserWindow {
  const stateFile = windowStatePath(userDataDir);
  const state = loadWindowState(stateFile, screen.getAllDisplays(), screen.getPrimaryDisplay());
  const win = new BrowserWindow(buildWindowOptions({ preloadPath, state }));
  if (state.maximized) win.maximize();

  hardenWebContents(win.webContents, {
    origins: appOrigins(devServerUrl),
    externalAllowList: EXTERNAL_ALLOW_LIST,
    openExternal: (url) => void shell.openExternal(url),
  });

  const save = (): void => {
    if (win.isDestroyed()) return;
    try {
      saveWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (error: unknown) {
      // A full or read-only disk must not break closing the window; the next start falls back to the default.
      console.warn('window: could not save its state', error);
    }
  };
  const saver = debounce(save, 500);
  win.on('move', saver.schedule);
  win.on('resize', saver.schedule);
  win.on('maximize', saver.schedule);
  win.on('unmaximize', saver.schedule);
  win.on('close', () => {
    saver.cancel();
    save();
  });

  win.once('ready-to-show', () => {
    win.show();
  });
  void win.loadURL(devServerUrl ?? APP_ENTRY_URL);
  return win;
}

export function startApp(): void {
  // Must happen before 'ready'. standard + secure give app:// a real origin (IndexedDB, CSP 'self'); supportFetchAPI
  // lets the page fetch its own assets. corsEnabled stays off: our module scripts are same-origin, and the privilege
  // would let other origins read app:// responses.
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
  // Sandbox every renderer, including any the page might get created despite window.ts.
  app.enableSandbox();

  // A second copy would open the same IndexedDB and settings; hand over to the first one instead.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  // A dev server URL from the environment is honoured only in development: a packaged app must never be pointed at
  // another page by an environment variable.
  const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  const origins = appOrigins(devServerUrl);
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (mainWindow === null || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    app.quit();
  });

  void app.whenReady().then(() => {
    const userDataDir = app.getPath('userData');
    const settingsFile = settingsPath(userDataDir);
    let settings: Settings = loadSettings(settingsFile);
    const cspFor = (current: Settings): string =>
      buildCsp({ syncServerOrigins: current.syncServer === undefined ? [] : [current.syncServer] });
    // The policy of pages loaded from now on; the page already shown keeps the one it was loaded with.
    let csp = cspFor(settings);
    let pageCsp = csp;
    protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: rendererDir, csp: () => (pageCsp = csp) }));

    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
      callback(isPermissionAllowed(permission, details.requestingUrl, origins));
    });
    session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
      isPermissionAllowed(permission, requestingOrigin, origins),
    );

    const window = createMainWindow({ userDataDir, devServerUrl });
    mainWindow = window;
    const parent = (): BrowserWindow | undefined => (window.isDestroyed() ? undefined : window);
    const closeGuard = createCloseGuard({
      ask: () => {
        if (!window.isDestroyed()) window.webContents.send(ipcEvents.onCloseRequested, null);
      },
      close: () => {
        if (!window.isDestroyed()) window.close();
      },
    });
    window.on('close', (event) => {
      if (closeGuard.intercept()) event.preventDefault();
    });
    // The OS locks the screen or goes to sleep: the workstation locks too (powerMonitor works only after 'ready').
    const stopSystemLock = forwardSystemLock(powerMonitor, (reason) => {
      if (!window.isDestroyed()) window.webContents.send(ipcEvents.onSystemLock, reason);
    });
    window.on('closed', stopSystemLock);

    registerIpcHandlers(
      ipcMain,
      createHandlers({
        appInfo: {
          name: APP_DISPLAY_NAME,
          version: app.getVersion(),
          dataFolder: userDataDir,
          platform: process.platform,
          electronVersion: process.versions.electron,
        },
        documentsDir: app.getPath('documents'),
        showSaveDialog: (options) => {
          const owner = parent();
          return owner === undefined ? dialog.showSaveDialog(options) : dialog.showSaveDialog(owner, options);
        },
        showOpenDialog: (options) => {
          const owner = parent();
          return owner === undefined ? dialog.showOpenDialog(options) : dialog.showOpenDialog(owner, options);
        },
        secrets: createSecretStore(secretsPath(userDataDir), safeStorage),
        osKey: createOsKey(safeStorage),
        setSyncServer: (server) => {
          settings = server === null ? {} : { ...settings, syncServer: server };
          saveSettings(settingsFile, settings);
          csp = cspFor(settings);
          // Loopback servers are always allowed; any other needs a page loaded under the new policy.
          const origin = server === null ? null : toWebSocketOrigin(server);
          if (origin === null || /^wss?:\/\/(127\.0\.0\.1|localhost)(:|$)/.test(origin)) return false;
          return !pageCsp.includes(`${origin};`) && !pageCsp.includes(`${origin} `);
        },
        confirmClose: () => closeGuard.confirm(),
        printToPdf: (options) => {
          // One window: the page that asked is the page printed.
          if (window.isDestroyed()) throw new IpcHandlerError('internal', 'the window is closed');
          return window.webContents.printToPDF(options);
        },
      }),
      { devServerUrl },
    );

    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          isPackaged: app.isPackaged,
          navigate: (path) => {
            if (!window.isDestroyed()) window.webContents.send(ipcEvents.onNavigate, path);
          },
          showAbout: () => {
            void dialog.showMessageBox(window, {
              type: 'info',
              title: `关于 ${APP_DISPLAY_NAME}`,
              message: APP_DISPLAY_NAME,
              detail: `版本 ${app.getVersion()}\nElectron ${process.versions.electron}\n数据文件夹：${userDataDir}`,
            });
          },
        }),
      ),
    );
  });
}
