/**
 * Why the server will not sync with this device, told apart so the person reads what to do. A stock browser
 * websocket sees a refused upgrade only as close code 1006, so the app asks the server's `GET /auth/check` over
 * HTTP (docs/sync-server.md) whenever a connection fails before it opened.
 */
import { CLOSE_CODES, isRole, type Role } from '@shared/sync/protocol';
import { httpOrigin } from './token';

export type RefusalKind =
  /** Revoked by district IT (HTTP 401 token-revoked, or close 4001). */
  | 'revoked'
  /** Expired (HTTP 401 token-expired, or close 4002). */
  | 'expired'
  /** Not signed by this server's key: a token of another district, or another server address. */
  | 'foreign'
  /** The token does not name this community (HTTP 403). */
  | 'forbidden'
  /** The server cannot be reached (no network path, wrong address, server down). Retried with backoff. */
  | 'unreachable'
  /** Something answered that is not a sync server of this app. */
  | 'not-a-server'
  /**
   * Our server, of an earlier version: it does not know a document this version of the app syncs (HTTP 400
   * `bad-document-name`; the app names only documents it knows, so the name is valid here). The server is to be
   * upgraded before the workstations (docs/sync-server.md, "Upgrading"); the other documents go on syncing.
   */
  | 'outdated-server'
  /** The server refused data of this device (close 1009, 4400, 4409, 4422). */
  | 'rejected-data'
  /** The token is missing from the keychain (the keychain was reset, or the app moved to another OS account). */
  | 'missing';

export interface Refusal {
  readonly kind: RefusalKind;
  /** Retrying without a person acting can help (only `unreachable`). */
  readonly retry: boolean;
  /** Close code or HTTP status, for the details line. */
  readonly code?: number;
  readonly at: number;
}

export function refusal(kind: RefusalKind, code?: number): Refusal {
  return { kind, retry: kind === 'unreachable', at: Date.now(), ...(code === undefined ? {} : { code }) };
}

/** Refusals that concern the token as a whole: every document stops until the token is changed. */
export function isTokenRefusal(kind: RefusalKind): boolean {
  return kind === 'revoked' || kind === 'expired' || kind === 'foreign' || kind === 'missing';
}

/** Close codes of an open socket that reconnecting cannot cure. */
export function refusalForClose(code: number): Refusal | null {
  switch (code) {
    case CLOSE_CODES.TOKEN_REVOKED:
      return refusal('revoked', code);
    case CLOSE_CODES.TOKEN_EXPIRED:
      return refusal('expired', code);
    case CLOSE_CODES.MESSAGE_TOO_LARGE:
    case CLOSE_CODES.MALFORMED_MESSAGE:
    case CLOSE_CODES.INVALID_UPDATE:
    case CLOSE_CODES.MASKED_COPY: // structs of the masked copy sent to the registry: refused again on every retry
      return refusal('rejected-data', code);
    default:
      return null;
  }
}

export type AuthCheck =
  | {
      readonly ok: true;
      readonly role: Role;
      readonly communities: readonly string[];
      readonly user: string;
      /** Which registry document the token syncs: `masked` for a viewer while the server masks (docs/security.md). */
      readonly registry: 'masked' | 'full';
    }
  /** `reason`: the server's word for it (`registry-masked-only`, `masking-off`, ...), when it gave one. */
  | { readonly ok: false; readonly refusal: Refusal; readonly reason?: string };

/** Asks the server whether `token` may sync `docName`. Never throws. */
export async function checkToken(
  server: string,
  token: string,
  docName: string,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  timeoutMs = 8_000,
): Promise<AuthCheck> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response: Response;
  try {
    response = await fetchImpl(`${httpOrigin(server)}/auth/check?doc=${encodeURIComponent(docName)}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: controller.signal,
      cache: 'no-store',
    });
  } catch {
    return { ok: false, refusal: refusal('unreachable') };
  } finally {
    clearTimeout(timer);
  }
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = await response.json();
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: not our server (or a proxy's error page); decided below by the status.
  }
  const reason = typeof body.reason === 'string' ? body.reason : '';
  if (
    response.status === 200 &&
    typeof body.role === 'string' &&
    isRole(body.role) &&
    Array.isArray(body.communities)
  ) {
    return {
      ok: true,
      role: body.role,
      communities: body.communities.filter((c): c is string => typeof c === 'string'),
      user: typeof body.user === 'string' ? body.user : '',
      registry: body.registry === 'masked' ? 'masked' : 'full',
    };
  }
  if (response.status === 401 && reason !== '') {
    if (reason === 'token-revoked') return { ok: false, refusal: refusal('revoked', 401) };
    if (reason === 'token-expired') return { ok: false, refusal: refusal('expired', 401) };
    return { ok: false, refusal: refusal('foreign', 401) };
  }
  if (response.status === 403 && reason !== '') return { ok: false, refusal: refusal('forbidden', 403), reason };
  if (response.status === 400 && reason === 'bad-document-name') {
    return { ok: false, refusal: refusal('outdated-server', 400), reason };
  }
  // 429/503 from our server, or a gateway error in front of it: the server is there but not taking us now.
  if ((response.status === 429 || response.status >= 500) && reason !== '') {
    return { ok: false, refusal: refusal('unreachable', response.status) };
  }
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    return { ok: false, refusal: refusal('unreachable', response.status) };
  }
  return { ok: false, refusal: refusal('not-a-server', response.status) };
}
