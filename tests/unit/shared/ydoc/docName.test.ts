import { describe, expect, it } from 'vitest';
import { docName, isRegistryDocName, parseDocName, toCommunityId } from '@shared/ydoc/docName';

describe('document names', () => {
  const xihe = toCommunityId('xihe');

  it('parses what docName builds, and nothing else', () => {
    expect(parseDocName(docName({ community: xihe, collection: 'registry' }))).toEqual({
      community: 'xihe',
      collection: 'registry',
    });
    expect(parseDocName(docName({ community: xihe, collection: 'cases', year: 2026 }))).toEqual({
      community: 'xihe',
      collection: 'cases',
      year: 2026,
    });
    expect(parseDocName('xihe/registry/2026')).toBeNull();
    expect(parseDocName('xihe/cases')).toBeNull();
    expect(parseDocName('xihe/photos/2026')).toBeNull();
  });

  it('tells a registry document from the yearly ones', () => {
    expect(isRegistryDocName(docName({ community: xihe, collection: 'registry' }))).toBe(true);
    expect(isRegistryDocName(docName({ community: xihe, collection: 'meetings', year: 2026 }))).toBe(false);
    // A malformed name that merely ends like one is not taken for it.
    expect(isRegistryDocName('a/b/registry')).toBe(false);
  });
});
