import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the real renderer (built by `npm run build:web`) in Debian's Chromium with real IndexedDB.
 * Never `playwright install`: the browser comes from `apt-get install chromium` (CHROMIUM_PATH overrides the path).
 * tests/e2e/support/global-setup.ts serves dist/web on a free port of 127.0.0.1 and stops it afterwards.
 */
export default defineConfig({
  testDir: './tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/e2e/support/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  // On CI a failed test runs once more and, if it then passes, is reported as "flaky" in the list (never as passed):
  // seen once (2026-12-02): meetings' two writers, device B stuck "syncing" for 30 s after coming back online with 13
  // changes pending, in a full run; 4 of 4 alone passed. Its cause is not found yet (docs/sync-client.md, "Known").
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    browserName: 'chromium',
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Chromium lays out <input type="datetime-local"> by its own UI language, not the page's: fixed here so the
        // keyboard walkthrough types month/day/year the same way on every machine, whatever its LANG.
        '--lang=en-US',
      ],
    },
  },
});
