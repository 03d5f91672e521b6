import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings, parseSettings, settingsPath } from '../../../../electron/main/settings';

describe('settings.json', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'settings-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the configured sync server', () => {
    writeFileSync(settingsPath(dir), JSON.stringify({ syncServer: 'wss://sync.example.gov.cn' }));
    expect(loadSettings(settingsPath(dir))).toEqual({ syncServer: 'wss://sync.example.gov.cn' });
  });

  it('gives the defaults when the file is missing', () => {
    expect(loadSettings(settingsPath(dir))).toEqual({});
  });

  it('gives the defaults when the file is corrupt', () => {
    writeFileSync(settingsPath(dir), '{"syncServer": "wss://half');
    expect(loadSettings(settingsPath(dir))).toEqual({});
  });

  it('drops a sync server that is not a websocket or http(s) address', () => {
    expect(parseSettings({ syncServer: 'javascript:alert(1)' })).toEqual({});
    expect(parseSettings({ syncServer: 42 })).toEqual({});
    expect(parseSettings(['wss://x'])).toEqual({});
    expect(parseSettings(null)).toEqual({});
    expect(parseSettings({ syncServer: 'https://sync.example.cn', other: true })).toEqual({
      syncServer: 'https://sync.example.cn',
    });
  });
});
