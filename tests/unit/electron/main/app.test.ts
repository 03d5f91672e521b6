/**
 * The glue of electron/main/app.ts with `electron` mocked (plain Node cannot load it). The fakes play Electron's part:
 * they keep what app.ts registers so the tests can fire events at it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannels, ipcEvents } from '@shared/ipc/channels';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  class FakeEmitter {
    readonly listeners = new Map<string, ((...args: unknown[]) => unknown)[]>();
    on(event: string, listener: (...args: unknown[]) => unknown) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: (...args: unknown[]) => unknown) {
      return this.on(event, listener);
    }
    removeListener(event: string, listener: (...args: unknown[]) => unknown) {
      this.listeners.set(
        event,
        (this.listeners.get(event) ?? []).filter((l) => l !== listener),
      );
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(event) ?? []) listener(...args);
    }
  }
  class FakeWebContents extends FakeEmitter {
    openHandler: ((details: { url: string }) => { action: string }) | undefined;
    readonly send = (..._args: unknown[]) => undefined;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    }
  }
  class FakeBrowserWindow extends FakeEmitter {
    static readonly created: FakeBrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    loadedUrl = '';
    focused = 0;
    constructor(readonly options: Record<string, unknown>) {
      super();
      FakeBrowserWindow.created.push(this);
    }
    loadURL(url: string) {
      this.loadedUrl = url;
      return Promise.resolve();
    }
    maximize() {}
    show() {}
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {
      this.focused += 1;
    }
    isMaximized() {
      return false;
    }
    getNormalBounds() {
      return { x: 1, y: 2, width: 1000, height: 700 };
    }
    closed = 0;
    close() {
      this.closed += 1;
    }
  }
  return { FakeEmitter, FakeBrowserWindow, powerMonitor: new FakeEmitter(), userData: '', hasLock: true };
});

const electron = vi.hoisted(() => ({
  app: {
    isPackaged: true,
    quit: vi.fn(),
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => fake.hasLock),
    on: vi.fn(),
    whenReady: vi.fn(() => Promise.resolve()),
    getPath: vi.fn((name: string) => (name === 'userData' ? fake.userData : `${fake.userData}/${name}`)),
    getVersion: () => '0.1.0',
  },
  BrowserWindow: fake.FakeBrowserWindow,
  dialog: { showSaveDialog: vi.fn(), showOpenDialog: vi.fn(), showMessageBox: vi.fn() },
  ipcMain: { handle: vi.fn() },
  Menu: { buildFromTemplate: vi.fn((template: unknown) => template), setApplicationMenu: vi.fn() },
  powerMonitor: fake.powerMonitor,
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  screen: {
    getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
    getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
  },
  session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() } },
  shell: { openExternal: vi.fn(() => Promise.resolve()) },
  safeStorage: {
    isEncryptionAvailable: () => true,
    encryptString: (text: string) => Buffer.from(text, 'utf8'),
    decryptString: (data: Buffer) => data.toString('utf8'),
  },
}));

vi.mock('electron', () => electron);

const { createMainWindow, startApp } = await import('../../../../electron/main/app');

beforeEach(() => {
  vi.clearAllMocks();
  fake.FakeBrowserWindow.created.length = 0;
  fake.userData = mkdtempSync(path.join(tmpdir(), 'app-glue-'));
  fake.hasLock = true;
  fake.powerMonitor.listeners.clear();
});

function lastWindow() {
  const win = fake.FakeBrowserWindow.created.at(-1);
  if (win === undefined) throw new Error('no window was created');
  return win;
}

describe('createMainWindow', () => {
  it('creates the window with the secure preferences and loads the app scheme', () => {
    createMainWindow({ userDataDir: fake.userData });
    const win = lastWindow();
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect((win.options.webPreferences as { preload: string }).preload).toMatch(/preload[/\\]index\.cjs$/);
    expect(win.loadedUrl).toBe('app://workstation/index.html');
  });

  it('prevents navigation to another origin and denies window.open', () => {
    createMainWindow({ userDataDir: fake.userData });
    const { webContents } = lastWindow();
    const preventDefault = vi.fn();
    webContents.emit('will-navigate', { url: 'https://evil.example/', preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    expect(webContents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('loads the dev server when one is given', () => {
    createMainWindow({ userDataDir: fake.userData, devServerUrl: 'http://localhost:5173/' });
    expect(lastWindow().loadedUrl).toBe('http://localhost:5173/');
  });
});

describe('startApp', () => {
  async function started() {
    startApp();
    await Promise.resolve();
    await Promise.resolve();
  }
  const appListener = (event: string): Listener => {
    const call = electron.app.on.mock.calls.find(([name]) => name === event) as [string, Listener] | undefined;
    if (call === undefined) throw new Error(`no app listener for ${event}`);
    return call[1];
  };

  it('registers app:// as a privileged standard, secure scheme before ready', async () => {
    await started();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) as unknown,
      }),
    ]);
    expect(electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(electron.app.enableSandbox).toHaveBeenCalled();
  });

  it('registers exactly the contract channels on ipcMain', async () => {
    await started();
    const channels = electron.ipcMain.handle.mock.calls.map(([channel]) => channel as string);
    expect(channels.sort()).toEqual(Object.values(ipcChannels).sort());
  });

  it('denies permission requests by default', async () => {
    await started();
    const [requestHandler] = electron.session.defaultSession.setPermissionRequestHandler.mock.calls[0] as [Listener];
    const callback = vi.fn();
    requestHandler({}, 'media', callback, { requestingUrl: 'app://workstation/index.html' });
    requestHandler({}, 'geolocation', callback, { requestingUrl: 'https://evil.example/' });
    expect(callback.mock.calls).toEqual([[false], [false]]);
    const [checkHandler] = electron.session.defaultSession.setPermissionCheckHandler.mock.calls[0] as [Listener];
    expect(checkHandler(null, 'notifications', 'app://workstation')).toBe(false);
  });

  it('sends menu navigation to the window as onNavigate', async () => {
    await started();
    const template = electron.Menu.buildFromTemplate.mock.calls[0]?.[0] as {
      label: string;
      submenu: { label: string; click?: () => void }[];
    }[];
    const send = vi.spyOn(lastWindow().webContents, 'send');
    template
      .find((menu) => menu.label === '视图')
      ?.submenu.find((item) => item.label === '五长调解')
      ?.click?.();
    expect(send).toHaveBeenCalledWith(ipcEvents.onNavigate, '/mediation');
  });

  const invoke = (channel: string, ...args: unknown[]) => {
    const call = electron.ipcMain.handle.mock.calls.find(([name]) => name === channel) as
      [string, (event: unknown, ...a: unknown[]) => Promise<unknown>] | undefined;
    if (call === undefined) throw new Error(`no handler for ${channel}`);
    return call[1]({ senderFrame: { url: 'app://workstation/index.html' } }, ...args);
  };

  it('lets the renderer finish before the window closes: asks, then closes on confirmClose', async () => {
    await started();
    const win = lastWindow();
    const send = vi.spyOn(win.webContents, 'send');
    const preventDefault = vi.fn();
    win.emit('close', { preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    expect(send).toHaveBeenCalledWith(ipcEvents.onCloseRequested, null);
    await expect(invoke(ipcChannels.confirmClose)).resolves.toEqual({ ok: true, value: null });
    expect(win.closed).toBe(1);
    const second = vi.fn();
    win.emit('close', { preventDefault: second });
    expect(second).not.toHaveBeenCalled();
  });

  it('tells the window when the OS locks the screen or goes to sleep, and stops once the window is closed', async () => {
    await started();
    const win = lastWindow();
    const send = vi.spyOn(win.webContents, 'send');
    fake.powerMonitor.emit('lock-screen');
    fake.powerMonitor.emit('suspend');
    expect(send.mock.calls).toEqual([
      [ipcEvents.onSystemLock, 'lock-screen'],
      [ipcEvents.onSystemLock, 'suspend'],
    ]);
    win.emit('closed');
    send.mockClear();
    fake.powerMonitor.emit('lock-screen');
    expect(send).not.toHaveBeenCalled();
  });

  it('seals a key of the page with safeStorage and opens it again ("remember on this computer")', async () => {
    await started();
    await expect(invoke(ipcChannels.osKeyStatus)).resolves.toEqual({ ok: true, value: { available: true } });
    const key = new Uint8Array([7, 0, 255, 42]);
    const sealed = (await invoke(ipcChannels.osKeySeal, key)) as { ok: true; value: Uint8Array };
    expect(sealed.ok).toBe(true);
    expect(sealed.value).toBeInstanceOf(Uint8Array);
    await expect(invoke(ipcChannels.osKeyOpen, sealed.value)).resolves.toEqual({ ok: true, value: key });
  });

  it('keeps the token through safeStorage and the sync server in settings.json', async () => {
    await started();
    await invoke(ipcChannels.storeSecret, 'sync-token', 'secret-token');
    expect(readFileSync(path.join(fake.userData, 'secrets.json'), 'utf8')).not.toContain('secret-token"');
    await expect(invoke(ipcChannels.loadSecret, 'sync-token')).resolves.toEqual({ ok: true, value: 'secret-token' });
    await expect(invoke(ipcChannels.setSyncServer, 'wss://sync.example.cn')).resolves.toEqual({
      ok: true,
      value: { reload: true },
    });
    expect(JSON.parse(readFileSync(path.join(fake.userData, 'settings.json'), 'utf8'))).toEqual({
      syncServer: 'wss://sync.example.cn',
    });
    await expect(invoke(ipcChannels.setSyncServer, 'ws://127.0.0.1:1234')).resolves.toEqual({
      ok: true,
      value: { reload: false },
    });
  });

  it('focuses the first window when a second instance starts', async () => {
    await started();
    appListener('second-instance')();
    expect(lastWindow().focused).toBe(1);
  });

  it('quits at once without a window when another instance holds the lock', async () => {
    fake.hasLock = false;
    await started();
    expect(electron.app.quit).toHaveBeenCalled();
    expect(fake.FakeBrowserWindow.created).toHaveLength(0);
    expect(electron.ipcMain.handle).not.toHaveBeenCalled();
  });
});
