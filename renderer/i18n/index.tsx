import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, zhCN, type MessageKey, type Messages } from './catalog';

export type { MessageKey, Messages } from './catalog';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const catalogs: Record<Language, Messages> = { 'zh-CN': zhCN, en };

const STORAGE_KEY = 'cgw.language';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The remembered language; Chinese unless the person chose English before. */
export function storedLanguage(storage?: Pick<Storage, 'getItem'>): Language {
  try {
    const value = (storage ?? globalThis.localStorage).getItem(STORAGE_KEY);
    return isLanguage(value) ? value : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export type Params = Readonly<Record<string, string | number>>;

/** Looks up a message and fills its `{placeholders}`; a missing parameter stays visible rather than vanishing. */
export function translate(language: Language, key: MessageKey, params?: Params): string {
  const template = catalogs[language][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export type Translate = (key: MessageKey, params?: Params) => string;

interface I18nValue {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Language }) {
  const [language, setLanguageState] = useState<Language>(() => initial ?? storedLanguage());
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      globalThis.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Storage can be unavailable (private mode, full disk): the choice then lasts for this session only.
    }
  }, []);
  const value = useMemo<I18nValue>(
    () => ({ language, setLanguage, t: (key, params) => translate(language, key, params) }),
    [language, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

/** The translate function of the current language. */
export function useT(): Translate {
  return useI18n().t;
}
