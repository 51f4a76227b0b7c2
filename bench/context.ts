// What every figure gets: the emulators, run counts for this mode, a progress log.
import type { EmulatorProcess } from './emulator-process';

export const SMALL_USERS = 20;
export const LARGE_USERS = 10_000;
/** The emulators' seed: two emulators of the same size and seed hold the same users. */
export const EMULATOR_SEED = 7;

export interface BenchContext {
  quick: boolean;
  /** Seeded with SMALL_USERS users. Figures reset it before use. */
  small: EmulatorProcess;
  /** Seeded with LARGE_USERS users. */
  large: EmulatorProcess;
  /** Run counts: the full number, or the --quick one. */
  runs<T extends { warmup: number; runs: number; repeats?: number }>(full: T, quick: T): T;
  log(message: string): void;
}
