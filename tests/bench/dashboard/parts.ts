import type { Page } from '@playwright/test';

/**
 * Waits until `communities` communities' figures of the period `code` are kept on disk (written in the background
 * after a drawing: renderer/data/figureRows.ts `keepPart`), polling from Node: an async predicate given to
 * `waitForFunction` would be a promise, truthy at once.
 */
export async function waitForParts(page: Page, communities: number, code: string): Promise<void> {
  const until = Date.now() + 120_000;
  for (;;) {
    const kept = await page.evaluate(`window.dashboardBench.partsKept(${JSON.stringify(code)})`);
    if (typeof kept === 'number' && kept >= communities) return;
    if (Date.now() > until) throw new Error(`only ${String(kept)} of ${communities} communities' figures kept`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
