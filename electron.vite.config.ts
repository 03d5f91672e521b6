/**
 * electron-vite builds three bundles (npx electron-vite build):
 * - out/main/index.js       from electron/main/index.ts   (ESM, as package.json says "type": "module")
 * - out/preload/index.cjs   from electron/preload/index.ts (CommonJS: a `sandbox: true` window loads its preload as a
 *                           classic script that may only `require('electron')`; an .mjs preload would not load)
 * - out/renderer/           from renderer/index.html
 * electron-vite looks under src/ by default, so every entry is named here.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { fileURLToPath } from 'node:url';

const fromRoot = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const alias = { '@shared': fromRoot('./shared') };

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      // Dependencies stay external (loaded from node_modules) as electron-vite does by default, except zod: it is the
      // only one main uses, and bundling it lets the desktop package ship without any node_modules
      // (electron-builder.yml excludes them).
      externalizeDeps: { exclude: ['zod'] },
      rolldownOptions: { input: { index: fromRoot('./electron/main/index.ts') } },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      // Bundle everything the preload imports: only `electron` itself (and Node built-ins) remain external.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('./electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: fromRoot('./renderer'),
    resolve: { alias },
    plugins: [react()],
    build: {
      outDir: fromRoot('./out/renderer'),
      rolldownOptions: { input: { index: fromRoot('./renderer/index.html') } },
    },
  },
});
