import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Builds the dashboard benchmark into dist/bench-dashboard (outside dist/web, which the web build empties: a bench
 * running meanwhile lost its page): one page that seeds a sealed store with generated
 * histories (`?seed`) or draws the app's 数据看板 from it, with the build settings of vite.web.config.ts.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  resolve: { alias: { '@shared': fileURLToPath(new URL('../../../shared', import.meta.url)) } },
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  build: {
    outDir: fileURLToPath(new URL('../../../dist/bench-dashboard', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    // BENCH_MINIFY=0 keeps the functions' names, for a CPU profile (tests/bench/dashboard-profile.ts).
    minify: process.env.BENCH_MINIFY !== '0',
  },
  logLevel: 'warn',
});
