import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, createAppProtocolHandler, mimeTypeOf, resolveAppPath } from '../../../../electron/main/protocol';

const root = path.resolve('/srv/out/renderer');

describe('resolveAppPath', () => {
  it('maps app:// URLs to files under the renderer folder', () => {
    expect(resolveAppPath(root, `${APP_ORIGIN}/index.html`)).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, `${APP_ORIGIN}/assets/index-abc.js?v=1#x`)).toBe(
      path.join(root, 'assets', 'index-abc.js'),
    );
    expect(resolveAppPath(root, `${APP_ORIGIN}/fonts/%E5%AE%8B.woff2`)).toBe(path.join(root, 'fonts', '宋.woff2'));
  });

  it('serves index.html for client-side routes and the bare origin', () => {
    expect(resolveAppPath(root, `${APP_ORIGIN}/`)).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, `${APP_ORIGIN}/registry/buildings`)).toBe(path.join(root, 'index.html'));
  });

  it.each([
    ['encoded slash and dot-dot', `${APP_ORIGIN}/assets%2f..%2f..%2fsecret.json`],
    ['backslash', `${APP_ORIGIN}/..%5c..%5csecret.json`],
    ['NUL byte', `${APP_ORIGIN}/index.html%00.png`],
    ['Windows drive', `${APP_ORIGIN}/C:/Windows/win.ini`],
    ['malformed escape', `${APP_ORIGIN}/%E0%A4%A.js`],
  ])('refuses a traversal attempt: %s', (_name, url) => {
    expect(resolveAppPath(root, url)).toBeNull();
  });

  it.each([
    `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd.txt`,
    `${APP_ORIGIN}/a/../../../x.js`,
    `${APP_ORIGIN}/.%2e/.%2E/secret.json`,
    `${APP_ORIGIN}/assets/..%2f..%2f..%2fsecret.json`,
  ])('never resolves outside the renderer folder: %s', (url) => {
    // The URL parser folds dot segments (also percent-encoded ones) before the resolver sees them, so these may
    // resolve, but only to a file inside root.
    const resolved = resolveAppPath(root, url);
    expect(resolved === null || resolved.startsWith(root + path.sep)).toBe(true);
  });

  it('folds plain ../ segments the way a browser does', () => {
    expect(resolveAppPath(root, `${APP_ORIGIN}/a/../../../x.js`)).toBe(path.join(root, 'x.js'));
  });

  it('refuses other schemes and hosts', () => {
    expect(resolveAppPath(root, 'file:///srv/out/renderer/index.html')).toBeNull();
    expect(resolveAppPath(root, 'app://other/index.html')).toBeNull();
    expect(resolveAppPath(root, 'https://workstation/index.html')).toBeNull();
    expect(resolveAppPath(root, 'not a url')).toBeNull();
  });
});

describe('createAppProtocolHandler', () => {
  let dir: string;
  const csp = "default-src 'self'";
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'app-protocol-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>工作台</title>');
    writeFileSync(path.join(dir, 'assets', 'main.js'), 'console.log(1)');
    writeFileSync(path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`), 'secret');
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(path.join(path.dirname(dir), `${path.basename(dir)}-secret.txt`), { force: true });
  });

  it('serves a file with its MIME type and the CSP header', async () => {
    const handle = createAppProtocolHandler({ rootDir: dir, csp });
    const response = await handle(new Request(`${APP_ORIGIN}/assets/main.js`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(csp);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('serves index.html for a route', async () => {
    const response = await createAppProtocolHandler({ rootDir: dir, csp })(new Request(`${APP_ORIGIN}/mediation`));
    expect(await response.text()).toContain('工作台');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('answers 404 with the CSP for missing files and traversal, without reading outside the folder', async () => {
    const handle = createAppProtocolHandler({ rootDir: dir, csp });
    const missing = await handle(new Request(`${APP_ORIGIN}/assets/none.js`));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(csp);
    const escape = await handle(new Request(`${APP_ORIGIN}/%2e%2e/${path.basename(dir)}-secret.txt`));
    expect(escape.status).toBe(404);
    expect(await escape.text()).not.toContain('secret');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await createAppProtocolHandler({ rootDir: dir, csp })(
      new Request(`${APP_ORIGIN}/index.html`, { method: 'POST', body: 'x' }),
    );
    expect(response.status).toBe(405);
  });
});

describe('mimeTypeOf', () => {
  it('knows the types a Vite build emits and falls back to octet-stream', () => {
    expect(mimeTypeOf('a/B.CSS')).toBe('text/css; charset=utf-8');
    expect(mimeTypeOf('x.woff2')).toBe('font/woff2');
    expect(mimeTypeOf('x.unknown')).toBe('application/octet-stream');
  });
});
