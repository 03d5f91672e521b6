/**
 * Reading a sync token on the device. The token is a JWT signed by the district server; the app cannot verify the
 * signature (only the server holds the key) and does not need to: it reads the claims to know which communities to
 * sync and with which role, and the server checks everything again on every connection.
 */
import { isRole, type Role } from '@shared/sync/protocol';

export interface TokenInfo {
  readonly tokenId: string;
  readonly user: string;
  readonly communities: readonly string[];
  readonly role: Role;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The claims of a token, or `null` when it is not a well-formed sync token (pasted wrongly, cut off). */
export function readToken(token: string): TokenInfo | null {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts[1] === undefined) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(base64UrlDecode(parts[1]));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const { jti, sub, com, role, exp } = payload as Record<string, unknown>;
  if (
    typeof jti !== 'string' ||
    typeof sub !== 'string' ||
    !Array.isArray(com) ||
    !com.every((c): c is string => typeof c === 'string') ||
    typeof role !== 'string' ||
    !isRole(role) ||
    typeof exp !== 'number'
  ) {
    return null;
  }
  return { tokenId: jti, user: sub, communities: com, role, expiresAt: exp };
}

/**
 * `ws(s)://host[:port]` for what a person typed: `host:port`, `http(s)://…`, `ws(s)://…`; `null` if unusable.
 *
 * An address typed without a scheme is read as `ws://` (unencrypted), but never silently for another computer: the
 * join form asks first ({@link isPlainRemote}). Asking rather than quietly trying `wss://` is for the office worker:
 * they type what district IT wrote down, and if the server has no TLS on that port a quiet `wss://` would only end
 * in "cannot reach the server" with no hint why. The form's question instead says in plain words that the token
 * and the residents' data would travel unencrypted, offers the encrypted `wss://` address with one button, and
 * takes the unencrypted one only on an explicit confirmation, so the worker knows what to ask district IT for.
 */
export function normaliseServerAddress(input: string): string | null {
  let text = input.trim();
  if (text === '') return null;
  if (!/^[a-z]+:\/\//i.test(text)) text = `ws://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const protocol = { 'http:': 'ws:', 'ws:': 'ws:', 'https:': 'wss:', 'wss:': 'wss:' }[url.protocol];
  if (protocol === undefined || url.hostname === '' || url.username !== '' || url.password !== '') return null;
  return `${protocol}//${url.host}`;
}

/**
 * Is `hostname` (as `URL.hostname` gives it) this computer: 127.0.0.0/8, ::1 or `localhost`? Only these: a name
 * that merely resolves to a private address (10.x, 192.168.x) is another computer on the network.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets[1] === '127' && octets.slice(2).every((octet) => Number(octet) <= 255);
}

/**
 * True when a server address (as `normaliseServerAddress` returns it) is unencrypted (`ws://`, `http://`) and not
 * this computer: the token and the residents' data would cross the network in clear, so the person must confirm it.
 * `wss://` anywhere and `ws://` on loopback (the demo server, the tests) are false; so is an unusable address.
 */
export function isPlainRemote(address: string): boolean {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return false;
  }
  return (url.protocol === 'ws:' || url.protocol === 'http:') && !isLoopbackHost(url.hostname);
}

/** The encrypted form of a server address (`ws://h:p` -> `wss://h:p`). */
export function encryptedAddress(address: string): string {
  return address.replace(/^ws:\/\//i, 'wss://');
}

/** The HTTP origin of a websocket server address (`ws://h:p` -> `http://h:p`), for the token check. */
export function httpOrigin(server: string): string {
  return server.replace(/^ws(s?):\/\//, 'http$1://');
}
