// User ids are data. Pieces OS may send any non-empty string as an id (the spec says string), and
// the emulator's 'awkward' id style sends the ones that would hurt if an id became a path or an
// object key: "__proto__", "../escape", a slash and spaces, unicode, "constructor". Over real HTTP,
// with real files: each signs in, its sign-in is saved, the app restarts on the same profile, and
// switching to each one works.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/server';
import { AWKWARD_IDS } from '../../emulator/ids';
import { fakeKeychain } from '../../test/support/fake-safe-storage';
import { createCore, type Core } from './core';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

let emulator: Emulator;
let dataDir: string;
let core: Core | undefined;

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, users: 0, idStyle: 'awkward' });
  dataDir = mkdtempSync(join(tmpdir(), 'pieces-awkward-ids-'));
});
afterEach(async () => {
  core?.service.stop();
  core = undefined;
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const open = async (): Promise<Core> => {
  core?.service.stop();
  core = await createCore({
    dataDir,
    safeStorage: fakeKeychain(),
    // Started with this address, as the web preview is: trusted without a dialog.
    piecesOsUrl: emulator.url,
    allowLoopbackIssuer: false,
    openExternal: () => undefined,
    env: {},
    live: false,
  });
  await core.service.start();
  return core;
};

describe('accounts whose ids are awkward strings', () => {
  it('sign in, are saved, survive a restart, and can be switched to', async () => {
    const people = AWKWARD_IDS.map((_, i) => ({ email: `odd${i}@example.com`, name: `Odd ${i}` }));
    const first = await open();
    const ids: string[] = [];
    for (const person of people) {
      const result = await first.service.signIn(emulator.mintToken(person));
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (result.ok) ids.push(result.value.id);
    }
    expect(ids).toEqual([...AWKWARD_IDS]);
    expect(first.vault.unsavedIds()).toEqual([]);
    await first.vault.flush();
    // The ids are keys in the one vault file, never file names.
    expect(readdirSync(dataDir).filter((n) => n !== 'settings.json')).toEqual(['tokens.json']);

    const again = await open(); // a restart on the same profile
    expect(again.vault.ids().sort()).toEqual([...AWKWARD_IDS].sort());
    for (const id of [...ids].reverse()) {
      const switched = await again.service.switchTo(id);
      expect(switched.ok, JSON.stringify(switched)).toBe(true);
      expect(emulator.currentUserId()).toBe(id);
    }
    expect(({} as Record<string, unknown>).access_token).toBeUndefined();
  });
});
