/**
 * Content-Security-Policy of the app window. Pure: the protocol handler puts the result on every response of `app://`.
 *
 * Sync server websockets: the renderer talks to exactly one remote host, the sync server configured in settings.json
 * (main owns that file, so a page cannot widen its own policy). With no server configured, only a server on this very
 * machine (`ws://127.0.0.1:*`, `ws://localhost:*`) is reachable: a community office may run the sync server on its
 * own desktop, and loopback cannot leak data off the machine. Plain `http(s)://` origins are translated to `ws(s)://`
 * because y-websocket only ever opens websockets; the matching `http(s)://` origin is allowed too, for the server's
 * token check (`GET /auth/check`), which answers only what a refused websocket cannot tell.
 */

export interface CspOptions {
  /** Configured sync server origins (`wss://sync.example.cn`, `https://sync.example.cn:8443`, ...). */
  syncServerOrigins?: readonly string[];
}

/** Always allowed: a sync server on the same machine (websocket, and HTTP for its token check `/auth/check`). */
export const LOOPBACK_WEBSOCKETS = ['ws://127.0.0.1:*', 'ws://localhost:*'] as const;
export const LOOPBACK_HTTP = ['http://127.0.0.1:*', 'http://localhost:*'] as const;

/**
 * The HTTP origin matching a server's websocket origin (`wss://h` -> `https://h`): the app asks the server's
 * `GET /auth/check` over HTTP because a browser websocket cannot see why an upgrade was refused.
 */
export function toHttpOrigin(address: string): string | null {
  const origin = toWebSocketOrigin(address);
  return origin === null ? null : origin.replace(/^ws/, 'http');
}

/**
 * The websocket origin (`ws:`/`wss:` + host + port) of a configured server address, or `null` when the address is not
 * a usable http(s)/ws(s) URL. Only the origin is kept: a path, credentials, query or a `*` could otherwise widen or
 * break the policy (a `;` in a source would start a new directive).
 */
export function toWebSocketOrigin(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return null;
  }
  const protocol = { 'http:': 'ws:', 'ws:': 'ws:', 'https:': 'wss:', 'wss:': 'wss:' }[url.protocol];
  if (protocol === undefined || url.hostname === '' || url.username !== '' || url.password !== '') return null;
  // URL has already lower-cased and punycoded the host, so only [a-z0-9.-], brackets (IPv6) and a port remain.
  if (!/^[a-z0-9.\-[\]:]+$/.test(url.host)) return null;
  return `${protocol}//${url.host}`;
}

export function buildCsp({ syncServerOrigins = [] }: CspOptions = {}): string {
  const websockets = new Set<string>([...LOOPBACK_WEBSOCKETS, ...LOOPBACK_HTTP]);
  for (const address of syncServerOrigins) {
    const origin = toWebSocketOrigin(address);
    const http = toHttpOrigin(address);
    if (origin !== null) websockets.add(origin);
    if (http !== null) websockets.add(http);
  }
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    // Mantine (and Emotion-style CSS variables) inject <style> tags and style attributes at runtime, so inline
    // styles must be allowed. Scripts stay 'self' only: inline styles cannot run code.
    ['style-src', "'self'", "'unsafe-inline'"],
    // data:/blob: for generated images (QR codes, charts exported as images, previews of opened files).
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'", 'data:'],
    ['connect-src', "'self'", ...websockets],
    ['worker-src', "'self'", 'blob:'],
    ['object-src', "'none'"],
    ['frame-src', "'none'"],
    ['frame-ancestors', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
  ];
  return directives.map((parts) => parts.join(' ')).join('; ');
}
