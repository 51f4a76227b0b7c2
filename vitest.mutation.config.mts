// The tests Stryker runs against each mutant (`npm run test:mutation`): the node tests of the main
// process and the cross-cutting ones, without the long whole-app runs (the randomized soak, the
// fault matrix, the IPC fuzzer): they cover nearly every line, so they would run for nearly every
// mutant, for seconds each, on a shared 2-core machine.
import { configDefaults, defineConfig } from 'vitest/config';
import { nodeTests } from './vitest.config.mts';

export default defineConfig({
  test: {
    ...nodeTests.test,
    // Instrumented code beside a second Stryker worker on a shared machine: wider bounds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    include: ['src/main/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      'test/soak.test.ts',
      'test/fault-matrix.test.ts',
      'test/ipc-fuzz.test.ts',
      'test/bench-stats.test.ts',
      'test/security-audit.test.ts',
    ],
  },
});
