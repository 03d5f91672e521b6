import { describe, expect, it } from 'vitest';
import {
  communityDocNames,
  docName,
  isMaskedDocName,
  isMaskedRegistryDocName,
  isRegistryDocName,
  maskedYearlyName,
  pairedMaskedName,
  pairedRegistryName,
  parseDocName,
  toCommunityId,
  unmaskedYearlyName,
  YEARLY_COLLECTIONS,
} from '@shared/ydoc/docName';

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

  it("names the server's masked registry apart from the registry, and pairs the two", () => {
    const masked = docName({ community: xihe, collection: 'registry-masked' });
    expect(masked).toBe('xihe/registry-masked');
    expect(parseDocName(masked)).toEqual({ community: 'xihe', collection: 'registry-masked' });
    expect(isMaskedRegistryDocName(masked)).toBe(true);
    expect(isRegistryDocName(masked)).toBe(false);
    expect(pairedRegistryName('xihe/registry')).toBe(masked);
    expect(pairedRegistryName(masked)).toBe('xihe/registry');
    expect(pairedRegistryName('xihe/cases/2026')).toBeNull();
    expect(parseDocName('xihe/registry-masked/2026')).toBeNull();
    // Not among a community's documents: a device syncs it in place of the registry, never beside it.
    expect(communityDocNames(xihe, [2026])).not.toContain(masked);
  });
});

describe('masked twins of yearly documents', () => {
  it('pairs every yearly collection with its twin and back, and nothing else', () => {
    for (const collection of YEARLY_COLLECTIONS) {
      const name = `shunqing-xihe/${collection}/2026`;
      const twin = `shunqing-xihe/${collection}-masked/2026`;
      expect(parseDocName(twin)).toEqual({ community: 'shunqing-xihe', collection, year: 2026, masked: true });
      expect(docName({ community: toCommunityId('shunqing-xihe'), collection, year: 2026, masked: true })).toBe(twin);
      expect(pairedMaskedName(name)).toBe(twin);
      expect(pairedMaskedName(twin)).toBe(name);
      expect(maskedYearlyName(name)).toBe(twin);
      expect(unmaskedYearlyName(twin)).toBe(name);
      expect(isMaskedDocName(twin)).toBe(true);
      expect(isMaskedDocName(name)).toBe(false);
    }
    expect(pairedMaskedName('shunqing-xihe/registry')).toBe('shunqing-xihe/registry-masked');
    expect(maskedYearlyName('shunqing-xihe/registry')).toBe('shunqing-xihe/registry');
    expect(parseDocName('shunqing-xihe/registry-masked-masked')).toBeNull();
    expect(parseDocName('shunqing-xihe/cases-masked-masked/2026')).toBeNull();
    expect(parseDocName('shunqing-xihe/audit-masked/2026')).toBeNull();
  });
});
