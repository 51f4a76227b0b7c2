import { afterAll, afterEach, beforeAll } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/server';

/**
 * One emulator for all the tests of a file (registers beforeAll/afterAll), reset after each test
 * so each one starts from the seeded users with no faults. Call the returned function inside
 * tests and hooks, not at import time.
 */
export function useEmulator(options?: EmulatorOptions): () => Emulator {
  let emulator: Emulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator(options);
  });
  afterEach(() => emulator?.reset());
  afterAll(() => emulator?.close());
  return () => {
    if (!emulator) throw new Error('the emulator is read before it started (outside a test)');
    return emulator;
  };
}
