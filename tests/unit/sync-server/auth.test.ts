import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateKey, signToken, TokenVerifier, verifyToken } from '../../../sync-server/auth';

const now = Math.floor(Date.now() / 1000);
const request = {
  user: 'li',
  communities: ['shunqing-xihe'],
  role: 'editor' as const,
  issuedAt: now,
  expiresAt: now + 60,
};

describe('tokens', () => {
  it('creates the key once, with mode 0600, and reads the same key again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'auth-'));
    const key = loadOrCreateKey(join(dir, 'data'));
    expect(statSync(join(dir, 'data', 'signing.key')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKey(join(dir, 'data'))).toEqual(key);
    expect(readFileSync(join(dir, 'data', 'signing.key'), 'utf8').trim()).toHaveLength(44);
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies its own tokens and returns their claims', async () => {
    const key = new Uint8Array(32).fill(1);
    const { token, jti } = await signToken(key, request);
    expect(await verifyToken(key, token)).toEqual({
      ok: true,
      claims: { jti, sub: 'li', com: ['shunqing-xihe'], role: 'editor', iat: now, exp: now + 60 },
    });
  });

  it('refuses another key, an expired token and garbage', async () => {
    const key = new Uint8Array(32).fill(1);
    const { token } = await signToken(key, request);
    expect(await verifyToken(new Uint8Array(32).fill(2), token)).toEqual({ ok: false, reason: 'invalid' });
    const expired = await signToken(key, { ...request, issuedAt: now - 120, expiresAt: now - 60 });
    expect(await verifyToken(key, expired.token)).toEqual({ ok: false, reason: 'expired' });
    expect(await verifyToken(key, 'not.a.token')).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('TokenVerifier', () => {
  const key = new Uint8Array(32).fill(1);

  it('checks a token once and shares one frozen claims object between its connections', async () => {
    const verifier = new TokenVerifier(key);
    const { token, jti } = await signToken(key, request);
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(first).toEqual({
      ok: true,
      claims: { jti, sub: 'li', com: ['shunqing-xihe'], role: 'editor', iat: now, exp: now + 60 },
    });
    expect(first.ok && second.ok && first.claims === second.claims).toBe(true);
    expect(first.ok && Object.isFrozen(first.claims) && Object.isFrozen(first.claims.com)).toBe(true);
    expect(verifier.size).toBe(1);
  });

  it('never caches a refusal, and refuses a tampered copy of a cached token', async () => {
    const verifier = new TokenVerifier(key);
    const { token } = await signToken(key, request);
    expect(await new TokenVerifier(new Uint8Array(32).fill(2)).verify(token)).toEqual({ ok: false, reason: 'invalid' });
    expect((await verifier.verify(token)).ok).toBe(true);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await verifier.verify(tampered)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifier.verify('not.a.token')).toEqual({ ok: false, reason: 'invalid' });
    expect(verifier.size).toBe(1);
  });

  it('refuses a cached token once it has expired, and forgets it', async () => {
    let clock = now;
    const verifier = new TokenVerifier(key, 10, () => clock);
    const { token } = await signToken(key, request);
    expect((await verifier.verify(token)).ok).toBe(true);
    clock = now + 60;
    expect(await verifier.verify(token)).toEqual({ ok: false, reason: 'expired' });
    expect(verifier.size).toBe(0);
  });

  it('keeps at most maxEntries tokens, forgetting the oldest', async () => {
    const verifier = new TokenVerifier(key, 2);
    const tokens = await Promise.all([1, 2, 3].map((i) => signToken(key, { ...request, user: `u${i}` })));
    for (const { token } of tokens) expect((await verifier.verify(token)).ok).toBe(true);
    expect(verifier.size).toBe(2);
  });
});
