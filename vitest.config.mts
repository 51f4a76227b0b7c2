import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/** Main process, preload, shared code, emulator, web preview and cross-cutting tests (Node). */
export const nodeTests = {
  // Inline projects do not inherit the root options (the time bounds below) unless told to.
  extends: true,
  test: {
    name: 'node',
    include: [
      'src/main/**/*.test.ts',
      'src/preload/**/*.test.ts',
      'src/shared/**/*.test.ts',
      'emulator/**/*.test.ts',
      'web-preview/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: [...configDefaults.exclude, 'test/distribution/**'],
    environment: 'node',
    // electron-store (and conf beneath it), openid-client (and oauth4webapi, jose) are ESM-only.
    server: {
      deps: { inline: ['electron-store', 'conf', 'openid-client', 'oauth4webapi', 'jose'] },
    },
  },
} satisfies TestProjectInlineConfiguration;

export default defineConfig({
  test: {
    testTimeout: 15_000,
    hookTimeout: 15_000,
    projects: [
      nodeTests,
      {
        extends: true,
        test: {
          name: 'distribution',
          // `npm start` and electron-builder in child processes: CPU-heavy, so they run after the
          // other projects, whose tests have deadlines, one file at a time.
          include: ['test/distribution/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 1 },
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
      {
        extends: true,
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'renderer',
          include: ['src/renderer/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
    ],
  },
});
