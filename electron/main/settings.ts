/**
 * Settings that main keeps for itself in `<userData>/settings.json`, because they widen what the window may do (the
 * sync server origin enters the CSP). The renderer never writes this file directly.
 *
 * Reading never fails: a missing, unreadable or corrupt file gives the defaults, so a damaged file cannot stop the
 * app from starting. Fields that do not validate are dropped one by one; the rest is kept.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Settings {
  /** Address of the district sync server, e.g. `wss://sync.example.gov.cn`. Absent: no remote server. */
  syncServer?: string;
}

export const SETTINGS_FILE_NAME = 'settings.json';

export function settingsPath(userDataDir: string): string {
  return path.join(userDataDir, SETTINGS_FILE_NAME);
}

function isServerAddress(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    return ['ws:', 'wss:', 'http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Validates parsed JSON into `Settings`, dropping what does not validate. */
export function parseSettings(raw: unknown): Settings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const syncServer: unknown = (raw as Record<string, unknown>).syncServer;
  return isServerAddress(syncServer) ? { syncServer } : {};
}

export function loadSettings(filePath: string, readText: (file: string) => string = readUtf8): Settings {
  try {
    return parseSettings(JSON.parse(readText(filePath)));
  } catch {
    return {};
  }
}

function readUtf8(file: string): string {
  return readFileSync(file, 'utf8');
}

/** Writes the settings (main only). Write-then-rename, so a crash never leaves half a file. */
export function saveSettings(filePath: string, settings: Settings): void {
  const temp = `${filePath}.tmp`;
  writeFileSync(temp, JSON.stringify(settings, null, 2) + '\n', 'utf8');
  renameSync(temp, filePath);
}
