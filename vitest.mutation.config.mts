// The tests Stryker runs against each mutant (`npm run test:mutation`): the unit tests beside the
// main-process code (`src/main/**`), without the whole-app ones. The whole-app tests (the app and
// core wiring tests here, and everything under `test/`: soak, fault matrix, IPC fuzzer, workflows)
// import nearly every file, so with `vitest.related` they would be picked for every mutated file
// and, reaching nearly every line, run for nearly every mutant, for seconds each, on a shared
// 2-core machine. The rules they check are owned by the unit tests of each folder.
import { configDefaults, defineConfig } from 'vitest/config';
import { nodeTests } from './vitest.config.mts';

/** Tests that start the whole main process (the app or its core): not run against mutants. */
export const wholeAppTests = [
  'src/main/app.test.ts',
  'src/main/app-lifecycle.test.ts',
  'src/main/address-trust.test.ts',
  'src/main/core.test.ts',
];

/**
 * `MUTATION_TESTS`: comma-separated globs of the test files to run against mutants, for a run
 * over one folder with the tests that own it (docs/mutation.md), e.g.
 * `MUTATION_TESTS='src/main/auth/**\/*.test.ts'`. Without it: every unit test of `src/main/`.
 */
const only = process.env.MUTATION_TESTS?.split(',')
  .map((glob) => glob.trim())
  .filter(Boolean);

export default defineConfig({
  test: {
    ...nodeTests.test,
    // Instrumented code on a shared, loaded machine: wider bounds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    include: only?.length ? only : ['src/main/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...wholeAppTests],
  },
});
