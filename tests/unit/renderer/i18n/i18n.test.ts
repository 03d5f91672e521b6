import { describe, expect, it } from 'vitest';
import { catalogs, LANGUAGES, storedLanguage, translate } from '../../../../renderer/i18n';
import { catalogParts, zhCN } from '../../../../renderer/i18n/catalog';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('i18n catalogs', () => {
  const keys = Object.keys(zhCN).sort();

  it.each(LANGUAGES)('%s has every key of zh-CN and no other', (language) => {
    expect(Object.keys(catalogs[language]).sort()).toEqual(keys);
  });

  it.each(LANGUAGES)('%s has no empty message', (language) => {
    const empty = Object.entries(catalogs[language]).filter(([, text]) => text.trim() === '');
    expect(empty).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const mismatched = keys.filter(
      (key) =>
        JSON.stringify(placeholders(catalogs['zh-CN'][key as keyof typeof zhCN])) !==
        JSON.stringify(placeholders(catalogs.en[key as keyof typeof zhCN])),
    );
    expect(mismatched).toEqual([]);
  });

  it('has no key defined by two catalogue parts', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const [part, partKeys] of Object.entries(catalogParts)) {
      for (const key of partKeys) {
        const other = seen.get(key);
        if (other) clashes.push(`${key} (${other}, ${part})`);
        seen.set(key, part);
      }
    }
    expect(clashes).toEqual([]);
    expect(seen.size).toBe(keys.length);
  });

  it('fills placeholders and leaves a missing one visible', () => {
    expect(translate('en', 'nav.shortcutHint', { n: 3 })).toBe('Alt+3');
    expect(translate('en', 'nav.shortcutHint')).toBe('Alt+{n}');
  });

  it('remembers English and falls back to Chinese for anything unknown', () => {
    expect(storedLanguage({ getItem: () => 'en' })).toBe('en');
    expect(storedLanguage({ getItem: () => 'fr' })).toBe('zh-CN');
    expect(storedLanguage({ getItem: () => null })).toBe('zh-CN');
    expect(
      storedLanguage({
        getItem: () => {
          throw new Error('storage disabled');
        },
      }),
    ).toBe('zh-CN');
  });
});
