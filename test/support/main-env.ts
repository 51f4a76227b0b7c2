// The surroundings every "whole main process" test needs: a temp profile folder, an emulator,
// PIECES_OS_URL pointing at it, and all of it (plus the started app) undone after each test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/server';
import type { RunningApp } from '../../src/main/app';
import { channelPaths } from '../../src/main/commands/channel-paths';

export interface MainEnv {
  /** The profile folder (Electron's userData) of the current test. */
  userData: string;
  emulator: Emulator;
  /** Set it to the started app, so it is stopped after the test. */
  running: RunningApp | null;
}

/** Registers beforeEach/afterEach hooks; read the fields inside tests, not at import time. */
export function useMainEnv(prefix: string, emulatorOptions: EmulatorOptions): MainEnv {
  const env = { userData: '', running: null } as unknown as MainEnv;
  const savedUrl = process.env.PIECES_OS_URL;
  beforeEach(async () => {
    env.userData = mkdtempSync(join(tmpdir(), prefix));
    env.emulator = await startEmulator(emulatorOptions);
    process.env.PIECES_OS_URL = env.emulator.url;
  });
  afterEach(async () => {
    const running = env.running;
    env.running = null;
    running?.service.stop();
    // Settings, saved sign-ins and the log are written in the background: let what is under way
    // land before the folder goes, or a late write recreates a file inside it while it is removed.
    await running?.service.idle();
    await running?.log.settled?.();
    await env.emulator.close();
    // The app's command-line socket lives outside its data folder (see channel-paths.ts).
    rmSync(channelPaths(env.userData).socket, { force: true });
    // A background write that started before the stop may still add a file: removal retries then.
    rmSync(env.userData, { recursive: true, force: true, maxRetries: 10 });
    if (savedUrl === undefined) delete process.env.PIECES_OS_URL;
    else process.env.PIECES_OS_URL = savedUrl;
  });
  return env;
}
