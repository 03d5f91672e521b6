import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Builds the store benchmark page into dist/web/bench-store, beside the app, so both share one origin. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { alias: { '@shared': fileURLToPath(new URL('../../../shared', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../../../dist/web/bench-store', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
  },
  logLevel: 'warn',
});
