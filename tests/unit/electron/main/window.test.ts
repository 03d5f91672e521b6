import { describe, expect, it, vi } from 'vitest';
import {
  appOrigins,
  buildWebPreferences,
  buildWindowOptions,
  hardenWebContents,
  isAllowedExternal,
  isPermissionAllowed,
  type WebContentsLike,
} from '../../../../electron/main/window';

const state = { x: 10, y: 20, width: 1280, height: 800, maximized: false };

describe('window options', () => {
  it('isolate and sandbox the page, with no Node and full web security', () => {
    const prefs = buildWebPreferences('/app/out/preload/index.cjs');
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.spellcheck).toBe(false);
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('use those preferences in the BrowserWindow options, with the remembered bounds', () => {
    const options = buildWindowOptions({ preloadPath: '/p.cjs', state });
    expect(options.webPreferences).toEqual(buildWebPreferences('/p.cjs'));
    expect(options).toMatchObject({ x: 10, y: 20, width: 1280, height: 800, show: false, title: '社区治理工作台' });
  });
});

/** A webContents that keeps its listeners so a test can play Electron's part. */
function fakeContents() {
  const listeners = new Map<string, (event: { url: string; preventDefault: () => void }) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: WebContentsLike = {
    on: (event: string, listener: (event: { url: string; preventDefault: () => void }) => void) => {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler: (handler) => {
      openHandler = handler;
    },
  };
  const emit = (event: string, url = '') => {
    const preventDefault = vi.fn();
    const listener = listeners.get(event);
    if (listener === undefined) throw new Error(`no listener for ${event}`);
    listener({ url, preventDefault });
    return preventDefault;
  };
  const open = (url: string) => {
    if (openHandler === undefined) throw new Error('no window open handler');
    return openHandler({ url });
  };
  return { contents, emit, open };
}

describe('hardenWebContents', () => {
  const origins = appOrigins();
  const silent = () => undefined;

  it('refuses navigation and redirects to another origin, and allows moves inside the app', () => {
    const { contents, emit } = fakeContents();
    hardenWebContents(contents, { origins, log: silent });
    expect(emit('will-navigate', 'https://evil.example/')).toHaveBeenCalled();
    expect(emit('will-navigate', 'file:///etc/passwd')).toHaveBeenCalled();
    expect(emit('will-redirect', 'https://evil.example/')).toHaveBeenCalled();
    expect(emit('will-navigate', 'app://workstation/index.html')).not.toHaveBeenCalled();
  });

  it('refuses <webview> attachment', () => {
    const { contents, emit } = fakeContents();
    hardenWebContents(contents, { origins, log: silent });
    expect(emit('will-attach-webview')).toHaveBeenCalled();
  });

  it('denies every new window; allow-listed https links go to the OS browser instead', () => {
    const { contents, open } = fakeContents();
    const openExternal = vi.fn();
    hardenWebContents(contents, { origins, externalAllowList: ['https://www.gov.cn'], openExternal, log: silent });
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open('http://www.gov.cn/')).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(open('https://www.gov.cn/zhengce/')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://www.gov.cn/zhengce/');
  });
});

describe('isAllowedExternal', () => {
  it('needs https and an exact origin match', () => {
    expect(isAllowedExternal('https://www.gov.cn/x', [])).toBe(false);
    expect(isAllowedExternal('https://www.gov.cn.evil.example/', ['https://www.gov.cn'])).toBe(false);
    expect(isAllowedExternal('https://www.gov.cn/x', ['https://www.gov.cn'])).toBe(true);
  });
});

describe('isPermissionAllowed', () => {
  const origins = appOrigins('http://localhost:5173');
  it('denies device and tracking permissions even to the app', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'display-capture', 'unknown']) {
      expect(isPermissionAllowed(permission, 'app://workstation/', origins)).toBe(false);
    }
  });
  it('grants clipboard writing to the app only', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://workstation/', origins)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'http://localhost:5173/', origins)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', origins)).toBe(false);
  });
});
