/**
 * Signed sync tokens: HS256 JWTs (jose) with the claims of `SyncTokenClaims`. The key is 32 random bytes in
 * `<data>/signing.key`, created with mode 0600 by whichever of server or admin CLI starts first, and never logged.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors, jwtVerify, SignJWT } from 'jose';
import { isRole, TOKEN_ISSUER, type Role, type SyncTokenClaims } from '@shared/sync/protocol';

export const KEY_FILE = 'signing.key';
export const DB_FILE = 'sync.db';

/** Reads the signing key of a data folder, creating folder and key on first use. */
export function loadOrCreateKey(dataDir: string): Uint8Array {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, KEY_FILE);
  try {
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length < 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return new Uint8Array(key);
}

export interface IssueRequest {
  readonly user: string;
  readonly communities: readonly string[];
  readonly role: Role;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export async function signToken(key: Uint8Array, request: IssueRequest): Promise<{ token: string; jti: string }> {
  const jti = randomUUID();
  const token = await new SignJWT({ com: [...request.communities], role: request.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setSubject(request.user)
    .setJti(jti)
    .setIssuedAt(request.issuedAt)
    .setExpirationTime(request.expiresAt)
    .sign(key);
  return { token, jti };
}

export type VerifyResult =
  | { readonly ok: true; readonly claims: SyncTokenClaims }
  | { readonly ok: false; readonly reason: 'expired' | 'invalid' };

/** Verifies signature, issuer, expiry and the shape of the claims. Never throws. */
export async function verifyToken(key: Uint8Array, token: string): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, key, { issuer: TOKEN_ISSUER, algorithms: ['HS256'] });
    const { jti, sub, com, role, iat, exp } = payload;
    if (
      typeof jti !== 'string' ||
      typeof sub !== 'string' ||
      !Array.isArray(com) ||
      !com.every((c): c is string => typeof c === 'string') ||
      typeof role !== 'string' ||
      !isRole(role) ||
      typeof iat !== 'number' ||
      typeof exp !== 'number'
    ) {
      return { ok: false, reason: 'invalid' };
    }
    return { ok: true, claims: { jti, sub, com, role, iat, exp } };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}

/**
 * `verifyToken` with a bounded memory of tokens verified already. A device reconnects, and opens one connection per
 * document, with the same token: the signature of an identical token string is checked once, and every connection
 * of that token shares one frozen claims object instead of holding its own copy. Expiry is checked again on every
 * call (a cached token past its `exp` is refused as expired and forgotten); revocation is not the verifier's
 * business (the registry is asked on every upgrade). Failures are never cached. The oldest entry goes first when
 * the memory is full.
 */
export class TokenVerifier {
  private readonly verified = new Map<string, SyncTokenClaims>();

  constructor(
    private readonly key: Uint8Array,
    private readonly maxEntries = 4096,
    private readonly nowSeconds: () => number = () => Date.now() / 1000,
  ) {}

  async verify(token: string): Promise<VerifyResult> {
    const cached = this.verified.get(token);
    if (cached !== undefined) {
      if (cached.exp <= this.nowSeconds()) {
        this.verified.delete(token);
        return { ok: false, reason: 'expired' };
      }
      return { ok: true, claims: cached };
    }
    const result = await verifyToken(this.key, token);
    if (!result.ok) return result;
    const claims: SyncTokenClaims = Object.freeze({ ...result.claims, com: Object.freeze([...result.claims.com]) });
    if (this.verified.size >= this.maxEntries) {
      const oldest = this.verified.keys().next();
      if (oldest.done !== true) this.verified.delete(oldest.value);
    }
    this.verified.set(token, claims);
    return { ok: true, claims };
  }

  get size(): number {
    return this.verified.size;
  }
}
