import { test as base, expect } from '@playwright/test';

/** `baseURL` comes from the static server that global-setup started on a free port. */
export const test = base.extend({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form for fixture arguments
  baseURL: async ({}, use) => {
    const url = process.env.E2E_BASE_URL;
    if (!url) throw new Error('E2E_BASE_URL is not set: run the tests through playwright.config.ts');
    await use(url);
  },
});

export { expect };
