import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { storeCaseFile } from '@shared/domain/mediation/commands';
import { caseFileIdOf, MAX_CASE_FILE_CHARS, readCaseFile } from '@shared/ydoc/cases';
import { errorOf, makeCtx, unwrap } from './fixtures';

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

describe('files kept in the cases document', () => {
  it('stores a small photo and reads it back by its file: reference, on another device too', () => {
    const doc = new Y.Doc();
    const ref = unwrap(storeCaseFile(doc, makeCtx(), { name: '现场.png', type: 'image/png', data: PNG }));
    expect(caseFileIdOf(ref)).not.toBeNull();
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    expect(readCaseFile(other, ref)).toMatchObject({ name: '现场.png', type: 'image/png', data: PNG });
    expect(readCaseFile(other, 'sha:abc')).toBeNull();
  });

  it('refuses a file over the limit, anything that is not a data URL, and a viewer', () => {
    const doc = new Y.Doc();
    const big = `data:image/jpeg;base64,${'A'.repeat(MAX_CASE_FILE_CHARS)}`;
    expect(errorOf(storeCaseFile(doc, makeCtx(), { name: 'big.jpg', type: 'image/jpeg', data: big })).field).toBe(
      'data',
    );
    expect(errorOf(storeCaseFile(doc, makeCtx(), { name: 'x', data: 'https://example.com/x.png' })).field).toBe('data');
    expect(
      errorOf(storeCaseFile(doc, makeCtx({ permissions: [] }), { name: 'x', type: 'image/png', data: PNG })).code,
    ).toBe('permission-denied');
    expect(doc.getMap('files').size).toBe(0);
  });
});
