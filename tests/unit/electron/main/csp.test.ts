import { describe, expect, it } from 'vitest';
import { buildCsp, toWebSocketOrigin } from '../../../../electron/main/csp';

/** The CSP as a map from directive to its sources, so tests read one directive at a time. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('buildCsp', () => {
  it('locks scripts to the app itself and forbids plugins, framing, <base> and form posts', () => {
    const csp = directives(buildCsp());
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
  });

  it('allows inline styles for Mantine and data:/blob: images, but no inline or eval script', () => {
    const csp = directives(buildCsp());
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    const everything = [...csp.values()].flat();
    expect(everything).not.toContain("'unsafe-eval'");
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('lets the page reach only a sync server on this machine when none is configured', () => {
    expect(directives(buildCsp()).get('connect-src')).toEqual([
      "'self'",
      'ws://127.0.0.1:*',
      'ws://localhost:*',
      'http://127.0.0.1:*',
      'http://localhost:*',
    ]);
  });

  it('adds the configured sync server as a websocket origin, and its HTTP origin for the token check', () => {
    const csp = directives(buildCsp({ syncServerOrigins: ['https://Sync.Example.gov.cn:8443/yjs?room=1'] }));
    expect(csp.get('connect-src')).toContain('wss://sync.example.gov.cn:8443');
    expect(csp.get('connect-src')).toContain('https://sync.example.gov.cn:8443');
    expect(csp.get('connect-src')).not.toContain('http://sync.example.gov.cn:8443');
  });

  it('ignores configured addresses that could widen or break the policy', () => {
    const csp = buildCsp({
      syncServerOrigins: [
        '*',
        'ftp://files.example',
        'wss://user:pw@example.cn',
        "wss://a.cn; script-src 'unsafe-eval'",
        '',
      ],
    });
    expect(directives(csp).get('connect-src')).toEqual([
      "'self'",
      'ws://127.0.0.1:*',
      'ws://localhost:*',
      'http://127.0.0.1:*',
      'http://localhost:*',
    ]);
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('toWebSocketOrigin', () => {
  it('maps http to ws and https to wss, keeping only scheme, host and port', () => {
    expect(toWebSocketOrigin('http://10.0.0.5:1234/path')).toBe('ws://10.0.0.5:1234');
    expect(toWebSocketOrigin('https://sync.example.cn')).toBe('wss://sync.example.cn');
    expect(toWebSocketOrigin('wss://sync.example.cn:443')).toBe('wss://sync.example.cn');
    expect(toWebSocketOrigin('ws://[::1]:1234')).toBe('ws://[::1]:1234');
  });

  it('refuses what is not a server address', () => {
    expect(toWebSocketOrigin('not a url')).toBeNull();
    expect(toWebSocketOrigin('javascript:alert(1)')).toBeNull();
    expect(toWebSocketOrigin('file:///etc/passwd')).toBeNull();
  });
});
