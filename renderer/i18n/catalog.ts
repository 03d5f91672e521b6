/**
 * The message catalogues. Chinese is the source of every key; English must have the same keys (the types refuse a
 * missing one, tests/unit/renderer/i18n/i18n.test.ts checks emptiness and placeholders). Placeholders are `{name}`.
 * Words follow the glossary of ../shared/domain/DOMAIN.md.
 *
 * Each feature keeps its own pair of files (`<feature>.zh.ts`, `<feature>.en.ts`, keys prefixed with the feature) so
 * that features can grow their text without touching each other's; this file merges them.
 */
import { shellEn } from './shell.en';
import { shellZh } from './shell.zh';

export const zhCN = { ...shellZh } as const;

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;

export const en: Messages = { ...shellEn };

/** Every catalogue part, for the test that no two parts define the same key. */
export const catalogParts: Record<string, readonly string[]> = {
  shell: Object.keys(shellZh),
};
