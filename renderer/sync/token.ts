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

/** `ws(s)://host[:port]` for what a person typed: `host:port`, `http(s)://…`, `ws(s)://…`; `null` if unusable. */
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

/** The HTTP origin of a websocket server address (`ws://h:p` -> `http://h:p`), for the token check. */
export function httpOrigin(server: string): string {
  return server.replace(/^ws(s?):\/\//, 'http$1://');
}
