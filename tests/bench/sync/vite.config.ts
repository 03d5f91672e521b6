import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Builds the sync benchmark page into dist/web/bench-sync, beside the app, so both share one origin (one IndexedDB). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { alias: { '@shared': fileURLToPath(new URL('../../../shared', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../../../dist/web/bench-sync', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    // BENCH_NO_MINIFY=1: the app's own function names in CPU profiles (BENCH_PROFILE=1).
    minify: process.env.BENCH_NO_MINIFY !== '1',
  },
  logLevel: 'warn',
});
