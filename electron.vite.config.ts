import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  main: {
    build: {
      // electron-store and openid-client (with oauth4webapi and jose) are ESM-only; bundling them
      // keeps the main bundle CommonJS.
      externalizeDeps: { exclude: ['electron-store', 'openid-client', 'oauth4webapi', 'jose'] },
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can only require('electron'): bundle everything else into one file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    // Runes everywhere (no legacy-mode runtime), and no version stamp in the bundle.
    plugins: [svelte({ compilerOptions: { runes: true, discloseVersion: false } })],
    build: {
      // electron-vite leaves bundles unminified by default; the window loads faster minified.
      minify: true,
      // Electron's Chromium supports <link rel=modulepreload>: the polyfill is dead weight.
      modulePreload: { polyfill: false },
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
