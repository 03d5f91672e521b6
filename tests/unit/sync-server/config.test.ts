import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, parseServerConfig } from '../../../sync-server/config';

describe('parseServerConfig', () => {
  it('uses the documented defaults', () => {
    expect(parseServerConfig([], {})).toEqual(DEFAULTS);
    expect(DEFAULTS).toMatchObject({ host: '127.0.0.1', port: 1234, dataDir: './data/sync' });
  });

  it('takes SYNC_* environment variables, and flags over them', () => {
    const config = parseServerConfig(['--port', '4000'], {
      SYNC_PORT: '3000',
      SYNC_HOST: '0.0.0.0',
      SYNC_DATA: '/srv/sync',
    });
    expect(config).toMatchObject({ port: 4000, host: '0.0.0.0', dataDir: '/srv/sync' });
    expect(parseServerConfig(['--idle-unload-ms', '250', '--sync-mode', 'normal'], {})).toMatchObject({
      idleUnloadMs: 250,
      syncMode: 'normal',
    });
  });

  it('refuses unknown flags and bad numbers with a one-line message', () => {
    expect(() => parseServerConfig(['--prot', '1'], {})).toThrow(ConfigError);
    expect(() => parseServerConfig(['--port', '70000'], {})).toThrow(/--port/);
    expect(() => parseServerConfig([], { SYNC_MAX_MESSAGE_BYTES: 'lots' })).toThrow(/SYNC_MAX_MESSAGE_BYTES/);
    expect(() => parseServerConfig(['--sync-mode', 'fast'], {})).toThrow(/full/);
  });

  it("takes the answer workers' timeout, 30 s by default, never 0", () => {
    expect(DEFAULTS.answerTimeoutMs).toBe(30_000);
    expect(parseServerConfig(['--answer-timeout-ms', '5000'], {}).answerTimeoutMs).toBe(5_000);
    expect(parseServerConfig([], { SYNC_ANSWER_TIMEOUT_MS: '90000' }).answerTimeoutMs).toBe(90_000);
    expect(() => parseServerConfig(['--answer-timeout-ms', '0'], {})).toThrow(/--answer-timeout-ms/);
  });

  it('masks the registry for viewers unless the district says otherwise', () => {
    expect(DEFAULTS.viewersMasked).toBe(true);
    expect(parseServerConfig(['--viewers-masked', 'false'], {}).viewersMasked).toBe(false);
    expect(parseServerConfig(['--viewers-masked=false'], {}).viewersMasked).toBe(false);
    expect(parseServerConfig([], { SYNC_VIEWERS_MASKED: 'false' }).viewersMasked).toBe(false);
    expect(parseServerConfig(['--viewers-full'], {}).viewersMasked).toBe(false);
    expect(() => parseServerConfig(['--viewers-masked', 'no'], {})).toThrow(/true/);
    expect(() => parseServerConfig(['--viewers-full', '--viewers-masked', 'true'], {})).toThrow(/contradict/);
  });
});
