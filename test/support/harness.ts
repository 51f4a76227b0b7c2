// The account service as the app builds it (real client over HTTP, real settings and token files
// in a temp dir), against the emulator, with timers under the test's control.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/server';
import { createAccountService, type AccountService } from '../../src/main/accounts/account-service';
import { manualTimers } from './account-testing';
import { createBaseUrlResolver } from '../../src/main/pieces/base-url';
import { createPiecesClient } from '../../src/main/pieces/client';
import type { PiecesClient } from '../../src/main/pieces/types';
import { openSettings, type SettingsStore } from '../../src/main/settings/settings';
import { openTokenVault, type TokenVault } from '../../src/main/settings/token-vault';
import type { OAuthTokenInput } from '../../src/shared/domain';
import { fakeKeychain } from './fake-safe-storage';
import { watchOverlaps } from './overlap';

export interface HarnessOptions {
  users?: number;
  seed?: number;
  timeoutMs?: number;
  /** Also refuse a change that starts while a user list is read (see watchOverlaps). */
  strictOverlaps?: boolean;
  /** Where the temp folder for settings and tokens goes (default: the OS temp dir). */
  baseDir?: string;
  /** Reuse a running emulator (the harness then leaves it running on close). */
  emulator?: Emulator;
}

export interface Harness {
  emulator: Emulator;
  dir: string;
  settings: SettingsStore;
  vault: TokenVault;
  /** The client the service uses, with overlap tracking. */
  client: PiecesClient;
  overlaps: ReturnType<typeof watchOverlaps>;
  service: AccountService;
  timers: ReturnType<typeof manualTimers>;
  signIn(person: { email: string; name?: string }): Promise<{ id: string; token: OAuthTokenInput }>;
  /** The bytes of the settings and token files, for "nothing changed" checks. */
  files(): { settings: string | null; tokens: string | null };
  close(): Promise<void>;
}

const readOrNull = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const ownEmulator = opts.emulator === undefined;
  const emulator =
    opts.emulator ?? (await startEmulator({ users: opts.users ?? 1, seed: opts.seed ?? 1 }));
  const dir = mkdtempSync(join(opts.baseDir ?? tmpdir(), 'pieces-harness-'));
  const settings = openSettings({ cwd: dir });
  const vault = await openTokenVault({
    cwd: dir,
    safeStorage: fakeKeychain(),
    allowPlaintext: () => settings.get().allowPlaintextTokens,
  });
  const resolver = createBaseUrlResolver({ setting: () => emulator.url });
  const overlaps = watchOverlaps(
    createPiecesClient({ resolver, timeoutMs: opts.timeoutMs ?? 2_000 }),
    {
      strict: opts.strictOverlaps ?? false,
    },
  );
  const timers = manualTimers();
  const service = createAccountService({
    client: overlaps.client,
    tokens: vault,
    // As in app.ts: the last chosen account lives in the settings file.
    lastActive: {
      get: () => settings.get().lastActiveId,
      set: (id) => void settings.update({ lastActiveId: id }),
    },
    timers,
    now: () => 1_000_000,
    backoff: { initialMs: 10, maxMs: 40 },
  });

  return {
    emulator,
    dir,
    settings,
    vault,
    client: overlaps.client,
    overlaps,
    service,
    timers,
    async signIn(person) {
      const token = emulator.mintToken(person);
      const result = await service.signIn(token);
      if (!result.ok) throw new Error(`sign-in failed: ${result.error.message}`);
      await service.idle();
      return { id: result.value.id, token };
    },
    files: () => ({
      settings: readOrNull(join(dir, 'settings.json')),
      tokens: readOrNull(join(dir, 'tokens.json')),
    }),
    async close() {
      service.stop();
      if (ownEmulator) await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The ids of the users the emulator lists. */
export const emulatorIds = (emulator: Emulator): string[] =>
  (emulator.users() as { id: string }[]).map((u) => u.id).sort();
