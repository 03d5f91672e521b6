import { describe, expect, it } from 'vitest';
import { accessFor, CLOSE_CODES, describeCloseCode, isSavedOnServer } from '@shared/sync/protocol';

describe('shared sync rules', () => {
  it('gives each role its access to named and other communities', () => {
    expect(accessFor('editor', ['a'], 'a')).toBe('write');
    expect(accessFor('editor', ['a'], 'b')).toBe('none');
    expect(accessFor('viewer', ['a'], 'a')).toBe('read');
    expect(accessFor('viewer', ['a'], 'b')).toBe('none');
    expect(accessFor('admin', ['a'], 'a')).toBe('write');
    expect(accessFor('admin', ['a'], 'b')).toBe('read');
  });

  it('describes every close code the server uses, in Chinese', () => {
    for (const [name, code] of Object.entries(CLOSE_CODES)) {
      const info = describeCloseCode(code);
      expect(info?.name).toBe(name);
      expect(info?.zh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(describeCloseCode(1006)).toBeUndefined();
  });

  it('says local edits are saved only when the server state vector covers every client clock', () => {
    const local = new Map([
      [1, 5],
      [2, 3],
    ]);
    expect(
      isSavedOnServer(
        local,
        new Map([
          [1, 5],
          [2, 3],
          [9, 1],
        ]),
      ),
    ).toBe(true);
    expect(
      isSavedOnServer(
        local,
        new Map([
          [1, 5],
          [2, 2],
        ]),
      ),
    ).toBe(false);
    expect(isSavedOnServer(local, new Map([[1, 5]]))).toBe(false);
  });
});
