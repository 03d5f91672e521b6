import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, describeCloseCode } from '@shared/sync/protocol';
import { BACKOFF_MAX_MS, backoffDelay, ONLINE_SPREAD_MS, onlineDelay } from '../../../../renderer/sync/backoff';
import { documentsOf } from '../../../../renderer/sync/manager';
import { PendingChanges } from '../../../../renderer/sync/pending';
import { checkToken, refusalForClose } from '../../../../renderer/sync/refusal';
import { normaliseServerAddress, readToken } from '../../../../renderer/sync/token';

const sv = (entries: [number, number][]) => new Map(entries);

describe('onlineDelay', () => {
  it('spreads the first reconnect after the network returns over 0-100 ms, below the first backoff step', () => {
    expect(onlineDelay(() => 0)).toBe(0);
    expect(onlineDelay(() => 1)).toBe(ONLINE_SPREAD_MS);
    expect(onlineDelay(() => 1)).toBeLessThan(backoffDelay(0, () => 0));
  });
});

describe('backoffDelay', () => {
  it('grows exponentially, never below half the step, and stops at the cap', () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(3, () => 0)).toBe(2000);
    expect(backoffDelay(50, () => 1)).toBe(BACKOFF_MAX_MS);
  });

  it('spreads a crowd of devices over the window (jitter)', () => {
    const delays = new Set(Array.from({ length: 100 }, () => backoffDelay(4)));
    expect(delays.size).toBeGreaterThan(50);
  });
});

describe('PendingChanges', () => {
  it('counts local transactions the server state vector does not cover yet', () => {
    const pending = new PendingChanges();
    pending.mark(7, 3);
    pending.mark(7, 5);
    pending.mark(7, 9);
    const local = sv([[7, 9]]);
    expect(pending.count(local, sv([]))).toBe(3);
    expect(pending.count(local, sv([[7, 5]]))).toBe(1);
    pending.settle(sv([[7, 9]]));
    expect(pending.count(local, sv([[7, 9]]))).toBe(0);
  });

  it('counts content never marked (made before joining) once per client the server lacks', () => {
    const pending = new PendingChanges();
    expect(
      pending.count(
        sv([
          [1, 100],
          [2, 4],
        ]),
        sv([[2, 4]]),
      ),
    ).toBe(1);
  });

  it('survives a round trip through JSON (the count is kept across a reload)', () => {
    const pending = new PendingChanges();
    pending.mark(11, 1);
    pending.mark(12, 2);
    const copy = PendingChanges.fromJSON(JSON.parse(JSON.stringify(pending.toJSON())) as Record<string, number[]>);
    expect(
      copy.count(
        sv([
          [11, 1],
          [12, 2],
        ]),
        sv([]),
      ),
    ).toBe(2);
  });
});

function jwt(payload: object): string {
  const part = (value: object) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
  return `${part({ alg: 'HS256' })}.${part(payload)}.c2ln`;
}

describe('tokens and addresses', () => {
  it('reads the claims of a token, and refuses anything else', () => {
    const token = jwt({ jti: 'j1', sub: '李', com: ['shunqing-xihe'], role: 'viewer', exp: 2e9, iat: 1 });
    expect(readToken(token)).toEqual({
      tokenId: 'j1',
      user: '李',
      communities: ['shunqing-xihe'],
      role: 'viewer',
      expiresAt: 2e9,
    });
    expect(readToken('abc')).toBeNull();
    expect(readToken(jwt({ jti: 'j1', sub: 'x', com: [], role: 'boss', exp: 1 }))).toBeNull();
  });

  it('normalises what a person types as the server address', () => {
    expect(normaliseServerAddress('10.0.0.5:1234')).toBe('ws://10.0.0.5:1234');
    expect(normaliseServerAddress('https://sync.example.cn/')).toBe('wss://sync.example.cn');
    expect(normaliseServerAddress('ftp://x')).toBeNull();
    expect(normaliseServerAddress('  ')).toBeNull();
  });
});

describe('refusals', () => {
  it('knows which close codes stop for good', () => {
    expect(refusalForClose(4001)?.kind).toBe('revoked');
    expect(refusalForClose(4002)?.kind).toBe('expired');
    expect(refusalForClose(4422)?.kind).toBe('rejected-data');
    expect(refusalForClose(1001)).toBeNull();
    expect(refusalForClose(1006)).toBeNull();
  });

  it('retries exactly the close codes the protocol says retrying can cure, the busy server (4529) among them', () => {
    expect(refusalForClose(CLOSE_CODES.SERVER_BUSY)).toBeNull();
    for (const code of Object.values(CLOSE_CODES)) {
      expect(refusalForClose(code) === null, String(code)).toBe(describeCloseCode(code)?.retry);
    }
  });

  const answer = (status: number, body: unknown) => () =>
    Promise.resolve(new Response(JSON.stringify(body), { status }));

  it('tells the HTTP check answers apart', async () => {
    const check = (fetchImpl: typeof fetch) => checkToken('ws://h:1', 't', 'a/registry', fetchImpl);
    expect(await check(answer(200, { role: 'editor', communities: ['a1'], user: 'li' }))).toMatchObject({
      ok: true,
      role: 'editor',
      registry: 'full',
    });
    // A viewer of a masking server syncs the masked copy; refused the registry, the reason says why.
    expect(
      await check(answer(200, { role: 'viewer', communities: ['a1'], user: 'li', registry: 'masked' })),
    ).toMatchObject({ ok: true, registry: 'masked' });
    expect(await check(answer(403, { reason: 'registry-masked-only' }))).toMatchObject({
      refusal: { kind: 'forbidden' },
      reason: 'registry-masked-only',
    });
    expect(await check(answer(401, { reason: 'token-revoked' }))).toMatchObject({ refusal: { kind: 'revoked' } });
    expect(await check(answer(401, { reason: 'token-expired' }))).toMatchObject({ refusal: { kind: 'expired' } });
    expect(await check(answer(401, { reason: 'token-invalid' }))).toMatchObject({ refusal: { kind: 'foreign' } });
    expect(await check(answer(403, { reason: 'community-not-allowed' }))).toMatchObject({
      refusal: { kind: 'forbidden' },
    });
    expect(await check(answer(404, 'nope'))).toMatchObject({ refusal: { kind: 'not-a-server' } });
    // Our server of an earlier version: a document it does not know. Not the token's fault, not another server.
    expect(await check(answer(400, { status: 400, reason: 'bad-document-name' }))).toMatchObject({
      refusal: { kind: 'outdated-server', retry: false },
    });
    expect(await check(answer(400, 'nope'))).toMatchObject({ refusal: { kind: 'not-a-server' } });
    expect(await check(() => Promise.reject(new TypeError('offline')))).toMatchObject({
      refusal: { kind: 'unreachable', retry: true },
    });
  });
});

describe('documentsOf', () => {
  it('syncs the registry, cases, tasks, grid events, services and activities of the given years, and meetings and activities of the next year too', () => {
    expect(documentsOf('c1', [2026, 2025])).toEqual([
      'c1/registry',
      'c1/cases/2026',
      'c1/cases/2025',
      'c1/meetings/2027',
      'c1/meetings/2026',
      'c1/meetings/2025',
      'c1/tasks/2026',
      'c1/tasks/2025',
      'c1/incidents/2026',
      'c1/incidents/2025',
      'c1/services/2026',
      'c1/services/2025',
      'c1/activities/2027',
      'c1/activities/2026',
      'c1/activities/2025',
    ]);
  });

  it("syncs a viewer's masked registry in place of the registry, never both", () => {
    const names = documentsOf('c1', [2026], 'masked');
    expect(names[0]).toBe('c1/registry-masked');
    expect(names).not.toContain('c1/registry');
  });

  it('syncs nothing for a name that is not a community', () => {
    expect(documentsOf('not a community!', [2026])).toEqual([]);
  });
});
