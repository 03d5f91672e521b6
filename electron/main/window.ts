/**
 * The locked-down window (docs/conventions.md, habit 5), as pure builders and a function that hardens any `webContents` handed to
 * it. No `electron` import: index.ts passes the real objects, tests pass fakes.
 *
 * External links: every `window.open`/`target=_blank` is denied. A URL whose origin is on `externalAllowList` is
 * instead handed to the operating system's browser; the list is empty by default, so nothing leaves the app unless a
 * later change names the site (e.g. a government portal). Navigation of the window itself away from the app is always
 * refused: the page must never be replaced by remote content that would inherit the preload's bridge.
 */
import type { BrowserWindowConstructorOptions, HandlerDetails, WebPreferences } from 'electron';
import { APP_DISPLAY_NAME } from './menu';
import { APP_ORIGIN } from './protocol';
import { MIN_SIZE, type WindowState } from './windowState';

export function buildWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

export function buildWindowOptions({
  preloadPath,
  state,
  iconPath,
}: {
  preloadPath: string;
  state: WindowState;
  iconPath?: string | undefined;
}): BrowserWindowConstructorOptions {
  return {
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: APP_DISPLAY_NAME,
    // Shown on 'ready-to-show' so the person never sees an empty white frame.
    show: false,
    backgroundColor: '#ffffff',
    ...(iconPath === undefined ? {} : { icon: iconPath }),
    webPreferences: buildWebPreferences(preloadPath),
  };
}

/** The origins the window may show: our scheme, plus the Vite dev server in development. */
export function appOrigins(devServerUrl?: string): string[] {
  const origins = [APP_ORIGIN];
  if (devServerUrl !== undefined && devServerUrl !== '') {
    try {
      origins.push(new URL(devServerUrl).origin);
    } catch {
      // An unparsable dev URL adds nothing.
    }
  }
  return origins;
}

/** Origin of `url` as `scheme://host[:port]`; Node's URL says "null" for custom schemes, so it is rebuilt here. */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.host === '' ? null : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

export function isAppUrl(url: string, origins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && origins.includes(origin);
}

/** Whether a link may be opened in the OS browser: https only, and only for an allow-listed origin. */
export function isAllowedExternal(url: string, externalAllowList: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && url.startsWith('https://') && externalAllowList.includes(origin);
}

/** Permissions granted to our own page; everything else (camera, geolocation, notifications, ...) is denied. */
const grantedPermissions = new Set(['clipboard-sanitized-write', 'fullscreen']);

export function isPermissionAllowed(permission: string, requestingUrl: string, origins: readonly string[]): boolean {
  return grantedPermissions.has(permission) && isAppUrl(requestingUrl, origins);
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The part of `WebContents` hardened here. */
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: Pick<HandlerDetails, 'url'>) => { action: 'deny' }): void;
}

export interface HardenOptions {
  origins: readonly string[];
  externalAllowList?: readonly string[];
  openExternal?: (url: string) => void;
  log?: (message: string, url: string) => void;
}

export function hardenWebContents(contents: WebContentsLike, options: HardenOptions): void {
  const { origins, externalAllowList = [], openExternal, log = (m, u) => console.warn(m, u) } = options;
  const refuseUnlessApp = (kind: string) => (event: PreventableEvent & { url: string }) => {
    if (isAppUrl(event.url, origins)) return;
    event.preventDefault();
    log(`window: refused ${kind}`, event.url);
  };
  contents.on('will-navigate', refuseUnlessApp('navigation'));
  contents.on('will-redirect', refuseUnlessApp('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (openExternal !== undefined && isAllowedExternal(url, externalAllowList)) openExternal(url);
    else log('window: refused new window', url);
    return { action: 'deny' };
  });
}
