import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) };

// Tests are folded by environment (docs/conventions.md, habit 10): renderer code runs in jsdom, everything else in Node.
// tests/e2e (Playwright) and tests/bench (npm run bench*) are not Vitest suites.
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          exclude: ['tests/unit/renderer/**'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['tests/unit/renderer/**/*.test.ts', 'tests/unit/renderer/**/*.test.tsx'],
          setupFiles: ['tests/unit/renderer/setup.ts'],
          // A screen walk on the real store takes 2-3 s alone and was seen taking 24 s on a loaded 2-core machine.
          testTimeout: 45_000,
        },
      },
    ],
  },
});
