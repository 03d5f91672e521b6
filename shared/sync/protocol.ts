/**
 * What the desktop app and the sync server agree on beyond the stock y-websocket protocol: roles, token claims,
 * close codes (with a Chinese message the app can show), HTTP refusals at upgrade, and the "saved on the server"
 * signal. Pure data and functions: no Node, no DOM (shared/ runs everywhere).
 *
 * ## The wire protocol
 * y-websocket: `ws://host:port/<docName>`, the token offered as a websocket subprotocol (`tokenSubprotocols`: the
 * `Sec-WebSocket-Protocol` header, which proxies do not write to their access logs) or, for stock clients, as
 * `?token=<token>` in the URL (weaker: the URL lands in proxy logs). Binary frames whose first varuint is the message type (0
 * sync, 1 awareness, 3 query awareness). Message type 2 (auth) is never sent by a client; the server refuses it
 * like any other unknown type. The server's answer to a sync-step-1 comes as update messages of about a MiB and a
 * last sync-step-2 (stock clients apply them as they come and count themselves synced at the sync-step-2); a client
 * that asks with `answer=gzip` and holds nothing gets it as one MESSAGE_GZIP_ANSWER instead.
 *
 * ## The "saved on the server" signal
 * The server appends every update to durable storage *before* it applies, relays or acknowledges it. After it has
 * stored updates from a connection, it sends that connection a sync-step-1 carrying the server's state vector,
 * `ackIntervalMs` (default 150 ms) after the last stored update, at most five intervals late while writing goes on. Stock clients answer it with a sync-step-2 holding whatever the
 * server lacks (normally nothing), so they work unchanged. The app reads the state vector from that message (wrap
 * `provider.messageHandlers[MESSAGE_SYNC]`) and compares it with `Y.encodeStateVector(localDoc)` using
 * {@link isSavedOnServer}: every local edit whose clock is below the server's entry for its client id is on disk on
 * the server. The first sync-step-1 after connecting carries the same meaning.
 */

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/**
 * A client that asks for it (`answer=gzip` in the URL) and holds nothing of a document gets the server's whole
 * answer to its sync-step-1 as one message of this type: a varuint8array holding the gzip of the answer's sync
 * messages (updates, then a sync-step-2), exactly as they would have been sent one by one. A 20,000-resident registry
 * is 13 MiB as messages and 2.7 MiB this way; a browser receives a websocket's bytes slowly (about 10 MiB/s in
 * Chromium, bench:sync) and decompresses them natively. Stock clients never ask and get the messages.
 */
export const MESSAGE_GZIP_ANSWER = 100;

/** The URL parameter and value with which a client asks for MESSAGE_GZIP_ANSWER. */
export const GZIP_ANSWER_PARAM = { name: 'answer', value: 'gzip' } as const;

/**
 * The subprotocol the server selects when a client offers its token in `Sec-WebSocket-Protocol`. A browser's
 * `new WebSocket(url, protocols)` fails unless the server selects one of the offered protocols, so the app offers
 * this one first and the token as a second, `cgw-token.<jwt>` (a JWT's characters are all allowed in a protocol
 * name). The server never echoes the token.
 */
export const SYNC_SUBPROTOCOL = 'cgw-sync.v1';
export const TOKEN_SUBPROTOCOL_PREFIX = 'cgw-token.';

/** The protocols a client offers to carry `token` in the `Sec-WebSocket-Protocol` header. */
export function tokenSubprotocols(token: string): string[] {
  return [SYNC_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`];
}

/** The token among offered subprotocols (`tokenSubprotocols`), or null when none carries one. */
export function tokenFromSubprotocols(offered: Iterable<string>): string | null {
  for (const protocol of offered) {
    const trimmed = protocol.trim();
    if (trimmed.startsWith(TOKEN_SUBPROTOCOL_PREFIX) && trimmed.length > TOKEN_SUBPROTOCOL_PREFIX.length) {
      return trimmed.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
    }
  }
  return null;
}

/** Roles a token may carry. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** What a role may do with a document of a community. */
export type Access = 'none' | 'read' | 'write';

/**
 * Access of a token to a document's community. An editor reads and writes the communities its token names; a viewer
 * only reads them; an admin writes the communities it names and reads every other community (district oversight).
 */
export function accessFor(role: Role, tokenCommunities: readonly string[], community: string): Access {
  const named = tokenCommunities.includes(community);
  switch (role) {
    case 'viewer':
      return named ? 'read' : 'none';
    case 'editor':
      return named ? 'write' : 'none';
    case 'admin':
      return named ? 'write' : 'read';
  }
}

/** Claims of a sync token (a JWT signed with HS256 by the district's server key). */
export interface SyncTokenClaims {
  /** Token id, the handle for `sync-admin token revoke`. */
  readonly jti: string;
  /** The user (or device) the token was issued to. */
  readonly sub: string;
  /** Community ids the token names. */
  readonly com: readonly string[];
  readonly role: Role;
  /** Issued at and expiry, seconds since the epoch. */
  readonly iat: number;
  readonly exp: number;
}

export const TOKEN_ISSUER = 'cgw-sync';

/**
 * Close codes the server uses on an open websocket. 1001 and 1009 are standard codes; the 4xxx codes are ours and
 * echo the HTTP status with the closest meaning. `retry` tells the app whether reconnecting can help without a
 * person acting (the stock client always reconnects; the app may stop it and show `zh`).
 */
export const CLOSE_CODES = {
  /** The server is shutting down or restarting. */
  SERVER_SHUTDOWN: 1001,
  /** A message was larger than the server's limit. Sent by the websocket layer itself. */
  MESSAGE_TOO_LARGE: 1009,
  /** The token was revoked by district IT while the socket was open. */
  TOKEN_REVOKED: 4001,
  /** The token expired while the socket was open. */
  TOKEN_EXPIRED: 4002,
  /** A frame could not be decoded: truncated, malformed, or of an unknown message type. */
  MALFORMED_MESSAGE: 4400,
  /** An update that Yjs cannot read or apply. Nothing of it was stored. */
  INVALID_UPDATE: 4422,
  /** Too many messages for this token in the last minute. */
  RATE_LIMITED: 4429,
  /** The server could not store the document; nothing unsaved was relayed. Retry later. */
  STORAGE_ERROR: 4500,
  /** The client did not read what the server sent for too long. */
  TOO_SLOW: 4503,
  /**
   * The server's queue of answers is full, or this token asked for more answer bytes in the last minute than its
   * budget (`--answer-bytes-per-minute`). Retry later.
   */
  SERVER_BUSY: 4529,
  /**
   * An update to a community's registry carried structs of its masked copy (`<community>/registry-masked`, what a
   * viewer device holds): merged into the registry, masked values would overwrite real ones. Nothing of it was
   * stored. The device must drop its masked copy (the app does when a community's role rises above viewer).
   */
  MASKED_COPY: 4409,
} as const;

export type CloseCodeName = keyof typeof CLOSE_CODES;
export type CloseCode = (typeof CLOSE_CODES)[CloseCodeName];

export interface CloseCodeInfo {
  readonly name: CloseCodeName;
  readonly retry: boolean;
  /** A message for the office worker, in Chinese. */
  readonly zh: string;
}

const CLOSE_INFO: Record<CloseCode, CloseCodeInfo> = {
  1001: { name: 'SERVER_SHUTDOWN', retry: true, zh: '同步服务器正在重启，稍后自动重连。' },
  1009: {
    name: 'MESSAGE_TOO_LARGE',
    retry: false,
    zh: '单次修改的数据过大，服务器拒收。请拆分后再试，或联系区信息中心。',
  },
  4001: { name: 'TOKEN_REVOKED', retry: false, zh: '本设备的同步授权已被撤销，请联系区信息中心重新授权。' },
  4002: { name: 'TOKEN_EXPIRED', retry: false, zh: '同步授权已过期，请联系区信息中心续期。' },
  4400: { name: 'MALFORMED_MESSAGE', retry: false, zh: '同步数据格式错误，连接已断开。请更新软件版本。' },
  4422: { name: 'INVALID_UPDATE', retry: false, zh: '服务器无法读取本机提交的修改，已拒收。请联系区信息中心。' },
  4429: { name: 'RATE_LIMITED', retry: true, zh: '提交过于频繁，服务器暂时断开连接，稍后自动重连。' },
  4500: { name: 'STORAGE_ERROR', retry: true, zh: '服务器存储故障，未保存的修改仍在本机，稍后自动重试。' },
  4503: { name: 'TOO_SLOW', retry: true, zh: '网络过慢，连接已断开，稍后自动重连。' },
  4529: { name: 'SERVER_BUSY', retry: true, zh: '同步服务器繁忙，稍后自动重连。' },
  4409: {
    name: 'MASKED_COPY',
    retry: false,
    zh: '本机提交的居民信息来自脱敏副本，服务器已拒收，以免覆盖完整数据。请联系区信息中心。',
  },
};

/** Meaning of a close code, or `undefined` for codes the server does not use on purpose (e.g. 1006). */
export function describeCloseCode(code: number): CloseCodeInfo | undefined {
  return (CLOSE_INFO as Partial<Record<number, CloseCodeInfo>>)[code];
}

/** HTTP statuses with which the server refuses a websocket upgrade (before anything of a document is sent). */
export const UPGRADE_REFUSALS = {
  /** The path is not a well-formed document name. */
  BAD_DOCUMENT: 400,
  /** No token, bad signature, unknown, expired or revoked token. */
  UNAUTHORIZED: 401,
  /** The token does not name the document's community. */
  FORBIDDEN: 403,
  /** Too many connections, or connection attempts per minute, for this token or this remote address. */
  TOO_MANY: 429,
  /** The server is full or shutting down. */
  UNAVAILABLE: 503,
} as const;

/**
 * True when every entry of the local state vector is covered by the server's state vector: all local edits are
 * stored on the server. State vectors are given decoded (client id -> clock), e.g. from `Y.decodeStateVector`.
 */
export function isSavedOnServer(local: ReadonlyMap<number, number>, server: ReadonlyMap<number, number>): boolean {
  for (const [client, clock] of local) {
    if ((server.get(client) ?? 0) < clock) return false;
  }
  return true;
}
