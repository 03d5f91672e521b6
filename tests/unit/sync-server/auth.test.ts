import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateKey, signToken, verifyToken } from '../../../sync-server/auth';

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
