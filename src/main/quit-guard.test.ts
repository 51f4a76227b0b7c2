// The before-quit guard on its own, with a service whose operations the test starts and ends.
// (src/main/app-lifecycle.test.ts runs it in the whole main process against the emulator.)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fakeKeychain } from '../../test/support/fake-safe-storage';
import type { Operation, StateSnapshot } from '../shared/domain';
import { createQuitGuard, whenIdle } from './quit-guard';
import { openTokenVault } from './settings/token-vault';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

/** Just enough of the account service: an operation that can be set, and subscribers told. */
function fakeService() {
  let operation: Operation | null = null;
  const listeners = new Set<(s: StateSnapshot) => void>();
  const snapshot = () => ({ operation }) as StateSnapshot;
  return {
    snapshot,
    subscribe(fn: (s: StateSnapshot) => void) {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
    set(op: Operation | null) {
      operation = op;
      for (const fn of listeners) fn(snapshot());
    },
    listeners,
  };
}

describe('whenIdle', () => {
  it('keeps waiting when the ended operation hands over to one queued behind it', async () => {
    const service = fakeService();
    service.set({ kind: 'switch', accountId: 'a' });
    let idle: boolean | undefined;
    const waiting = whenIdle(service, 10_000).then((v) => (idle = v));
    // The switch ends and a browser sign-in waiting for it claims the next operation at once.
    service.set(null);
    await Promise.resolve();
    service.set({ kind: 'sign-in' });
    await new Promise((r) => setImmediate(r));
    expect(idle).toBeUndefined();
    service.set(null);
    await waiting;
    expect(idle).toBe(true);
    expect(service.listeners.size).toBe(0); // unsubscribed
  });

  it('gives up after the limit', async () => {
    const service = fakeService();
    service.set({ kind: 'sign-out-all' });
    expect(await whenIdle(service, 5)).toBe(false);
    expect(service.listeners.size).toBe(0);
  });
});

describe('createQuitGuard', () => {
  it('holds every quit while an operation runs, then quits once and lets that quit through', async () => {
    const service = fakeService();
    let quits = 0;
    const guard = createQuitGuard({ service, quit: () => void quits++, limitMs: 10_000 });
    const ask = () => {
      let prevented = false;
      guard({ preventDefault: () => (prevented = true) });
      return prevented;
    };
    service.set({ kind: 'sign-in' });
    expect(ask()).toBe(true);
    expect(ask()).toBe(true);
    service.set(null);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(quits).toBe(1);
    // The quit it asked for comes round as before-quit again, and passes, whatever runs now.
    service.set({ kind: 'switch', accountId: 'b' });
    expect(ask()).toBe(false);
  });

  it('never holds a quit while the system shuts down or logs out (macOS would cancel it)', () => {
    const service = fakeService();
    let ending = false;
    let quits = 0;
    const guard = createQuitGuard({
      service,
      quit: () => void quits++,
      limitMs: 10_000,
      systemEnding: () => ending,
    });
    service.set({ kind: 'sign-in' });
    ending = true;
    let prevented = false;
    guard({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(false);
    expect(quits).toBe(0);
  });

  it('holds the quit until the token vault has written what it was given, then quits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pieces-quit-flush-'));
    try {
      const vault = await openTokenVault({
        cwd: dir,
        safeStorage: fakeKeychain(),
        allowPlaintext: () => false,
      });
      const service = fakeService();
      const onDisk = (): string[] => {
        try {
          return Object.keys(
            (JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8')) as { tokens: object })
              .tokens,
          );
        } catch {
          return [];
        }
      };
      let atQuit: string[] | undefined;
      let quitted!: () => void;
      const quit = new Promise<void>((resolve) => (quitted = resolve));
      const guard = createQuitGuard({
        service,
        storage: vault,
        quit: () => {
          atQuit = onDisk();
          quitted();
        },
        limitMs: 10_000,
      });
      // A renewed token handed to the vault just before the quit: its write has not run yet.
      void vault.set('ops/ada lovelace', {
        access_token: 'renewed-just-before-quit',
        token_type: 'Bearer',
        expires_in: 60,
      });
      expect(onDisk()).toEqual([]);
      let prevented = false;
      guard({ preventDefault: () => (prevented = true) });
      expect(prevented).toBe(true);
      await quit;
      expect(atQuit).toEqual(['ops/ada lovelace']);
      // The quit it asked for comes round as before-quit again, and passes.
      prevented = false;
      guard({ preventDefault: () => (prevented = true) });
      expect(prevented).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
