// The main process's object graph exactly as the app builds it (createCore, with its redacting
// log), minus Electron: settings, token vault and log in a temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AccountService } from '../src/main/accounts/account-service';
import { createCore } from '../src/main/core';
import type { Handlers } from '../src/main/ipc/handlers';
import { createLogger } from '../src/main/log/logger';
import { noKeychain } from '../src/main/settings/no-keychain';

export interface AppStack {
  service: AccountService;
  handlers: Handlers;
  /**
   * Milliseconds of each synchronous settings write (`settings.update`: electron-store's atomic
   * write, with fsync), so a figure can say how much of its time went there. The last active
   * account is kept with `settings.remember`, written in the background, and not counted here.
   */
  settingsWrites: number[];
  /** Stops the service and removes the temp folder. */
  dispose(): void;
}

export async function createAppStack(piecesOsUrl: string): Promise<AppStack> {
  const dir = mkdtempSync(join(tmpdir(), 'pieces-bench-'));
  const log = createLogger({ file: join(dir, 'main.log'), background: true });
  const { service, handlers, settings } = await createCore({
    dataDir: dir,
    // No OS keychain under plain Node: tokens are kept in plaintext in the temp folder (the
    // app's opt-in mode), as the web preview does.
    safeStorage: noKeychain('the benchmark'),
    allowPlaintext: () => true,
    piecesOsUrl,
    allowLoopbackIssuer: false,
    openExternal: () => undefined,
    log,
    requestTimeoutMs: 30_000,
    // No timer refresh during a measurement: figures refresh explicitly.
    refreshIntervalMs: 3_600_000,
  });
  const settingsWrites: number[] = [];
  const update = settings.update.bind(settings);
  settings.update = (patch) => {
    const t0 = performance.now();
    try {
      return update(patch);
    } finally {
      settingsWrites.push(performance.now() - t0);
    }
  };
  return {
    service,
    handlers,
    settingsWrites,
    dispose() {
      service.stop();
      // As the app does on quit: what waits to be written in the background, written now.
      settings.flush();
      log.flush?.();
      // A background write already under way may still land a file meanwhile: then the temp
      // folder is left for the system to clear, rather than failing the figure.
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
      } catch {
        // Left in the temp folder.
      }
    },
  };
}
