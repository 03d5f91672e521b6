import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendRevocation, readRevocations, REVOCATIONS_FILE } from '../../../sync-server/revocations';

describe('revocations.jsonl', () => {
  let dir: string;
  let file: string;
  let warnings: string[];
  const warn = (message: string): void => void warnings.push(message);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'revocations-'));
    file = join(dir, REVOCATIONS_FILE);
    warnings = [];
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends one JSON line per revocation to a file of mode 0600 and reads them back in order', () => {
    appendRevocation(dir, { jti: 'a', revokedAt: 1 });
    appendRevocation(dir, { jti: 'b', revokedAt: 2 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('{"jti":"a","revokedAt":1}\n{"jti":"b","revokedAt":2}\n');
    expect(readRevocations(file, warn)).toEqual([
      { jti: 'a', revokedAt: 1 },
      { jti: 'b', revokedAt: 2 },
    ]);
    expect(warnings).toEqual([]);
  });

  it('makes an existing file private', () => {
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    appendRevocation(dir, { jti: 'a', revokedAt: 1 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('starts on a fresh line after a line cut short, so only the broken line is lost', () => {
    appendRevocation(dir, { jti: 'a', revokedAt: 1 });
    appendFileSync(file, '{"jti":"b","rev');
    appendRevocation(dir, { jti: 'c', revokedAt: 3 });
    expect(readRevocations(file, warn)).toEqual([
      { jti: 'a', revokedAt: 1 },
      { jti: 'c', revokedAt: 3 },
    ]);
    expect(warnings).toEqual([`${file} line 2 is not a revocation ({"jti":…,"revokedAt":…}); skipped`]);
  });

  it('reads a missing file as no revocations', () => {
    expect(readRevocations(file, warn)).toEqual([]);
  });

  it('skips every kind of bad line with one warning each and never throws', () => {
    const lines = [
      'null',
      '[]',
      '"text"',
      '{"jti":"","revokedAt":1}',
      '{"jti":5,"revokedAt":1}',
      '{"jti":"x","revokedAt":"yesterday"}',
      '{"jti":"x","revokedAt":1e999}',
      '\u0000\u00ff\u0001',
      '{"jti":"ok","revokedAt":7,"extra":true}',
      '',
    ];
    writeFileSync(file, lines.join('\n'));
    expect(readRevocations(file, warn)).toEqual([{ jti: 'ok', revokedAt: 7 }]);
    expect(warnings).toHaveLength(8);
    expect(warnings[0]).toMatch(/line 1 /);
    expect(warnings[7]).toMatch(/line 8 /);
  });
});
