/**
 * The `app://` scheme that serves the built renderer (out/renderer) to the window.
 *
 * Why a custom scheme instead of `file://`: a standard + secure scheme gives the page a real origin
 * (`app://workstation`), so IndexedDB (Dexie), `fetch` and the CSP's `'self'` behave as on a web server, while `file://`
 * would give every local file the same opaque origin and extra privileges. Nothing here imports `electron`, so the
 * resolver and the handler are tested in plain Node; index.ts registers them with `protocol.handle`.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import path from 'node:path';

export const APP_SCHEME = 'app';
/** Standard schemes need a host; there is only one. */
export const APP_HOST = 'workstation';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The file under `rootDir` that `requestUrl` names, or `null` when the URL is not ours or would leave `rootDir`
 * (`..`, encoded `%2e%2e`, backslashes, NUL bytes, absolute paths). Paths without an extension are client-side
 * routes (`/registry`) and get `index.html`, like a single-page-app web server.
 */
export function resolveAppPath(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;

  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null; // malformed percent-encoding
  }
  // URL parsing already folded `/a/../b`; anything that still looks like a traversal after decoding was encoded on
  // purpose. Backslashes are folder separators on Windows and NUL truncates paths in some APIs.
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const segments = pathname.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.' || /^[a-zA-Z]:$/.test(segment))) return null;

  const last = segments.at(-1);
  if (last === undefined || !last.includes('.')) segments.splice(0, segments.length, 'index.html');

  const root = path.resolve(rootDir);
  const resolved = path.resolve(root, ...segments);
  const relative = path.relative(root, resolved);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return resolved;
}

const mimeTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(filePath: string): string {
  return mimeTypes[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export interface AppProtocolOptions {
  rootDir: string;
  /** The Content-Security-Policy header value (csp.ts), or a function giving the current one (it changes when the
   * person joins a sync server; pages loaded after that get the new policy). */
  csp: string | (() => string);
  readFile?: (filePath: string) => Promise<Uint8Array>;
}

/** A `protocol.handle` handler: GET/HEAD of files under `rootDir`, every response carrying the CSP. */
export function createAppProtocolHandler({
  rootDir,
  csp,
  readFile = fsReadFile,
}: AppProtocolOptions): (request: Request) => Promise<Response> {
  const headers = (extra: Record<string, string> = {}): Headers =>
    new Headers({
      'Content-Security-Policy': typeof csp === 'string' ? csp : csp(),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
      ...extra,
    });
  const plain = (status: number, text: string): Response =>
    new Response(text, { status, headers: headers({ 'Content-Type': 'text/plain; charset=utf-8' }) });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method Not Allowed');
    const filePath = resolveAppPath(rootDir, request.url);
    if (filePath === null) return plain(404, 'Not Found');
    let body: Uint8Array;
    try {
      body = await readFile(filePath);
    } catch {
      return plain(404, 'Not Found');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: headers({ 'Content-Type': mimeTypeOf(filePath) }),
    });
  };
}
