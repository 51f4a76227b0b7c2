// Following a pieces-switcher: link with the real core and the emulator; only the person's answer
// (Electron's dialog in the app) is played by the test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import type { Account } from '../../shared/domain';
import { createCore, type Core } from '../core';
import { createLogger, type Log } from '../log/logger';
import { noKeychain } from '../settings/no-keychain';
import { openSwitcherLink, type LinkDeps } from './open-link';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

let dir: string;
let emulator: Emulator;
let core: Core;
let log: Log;
let ids: { ada: string; grace: string };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pieces-link-'));
  emulator = await startEmulator({ users: 0, healthIntervalMs: 0 });
  log = createLogger({ file: join(dir, 'main.log') });
  core = await createCore({
    dataDir: dir,
    safeStorage: noKeychain('this test'),
    allowLoopbackIssuer: false,
    openExternal: () => undefined,
    live: false,
    piecesOsUrl: emulator.url,
    log,
  });
  const signIn = async (email: string, name: string): Promise<string> => {
    const result = await core.service.signIn(emulator.mintToken({ email, name }));
    if (!result.ok) throw new Error(result.error.message);
    return result.value.id;
  };
  ids = {
    ada: await signIn('ada@example.com', 'Ada Lovelace'),
    grace: await signIn('grace@example.com', 'Grace Hopper'),
  };
});

afterEach(async () => {
  await core.service.idle(); // the refresh after a switch logs; let it land before the folder goes
  core.service.stop();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

function deps(answer: boolean) {
  const asked: Account[] = [];
  let shown = 0;
  const d: LinkDeps = {
    service: core.service,
    confirm: (account) => {
      asked.push(account);
      return Promise.resolve(answer);
    },
    showWindow: () => void shown++,
    log,
  };
  return { d, asked, shown: () => shown };
}

describe('openSwitcherLink', () => {
  it('switches after the person confirms, naming the account they are asked about', async () => {
    const { d, asked } = deps(true);
    const outcome = await openSwitcherLink('pieces-switcher://switch?email=ADA%40example.com', d);
    expect(outcome).toBe('switched');
    expect(asked.map((a) => a.id)).toEqual([ids.ada]);
    expect(emulator.currentUserId()).toBe(ids.ada);
  });

  it('by id too', async () => {
    const { d } = deps(true);
    expect(await openSwitcherLink(`pieces-switcher://switch?id=${ids.ada}`, d)).toBe('switched');
    expect(emulator.currentUserId()).toBe(ids.ada);
  });

  it('changes nothing when the person declines', async () => {
    const { d, asked } = deps(false);
    expect(await openSwitcherLink('pieces-switcher://switch?email=ada@example.com', d)).toBe(
      'declined',
    );
    expect(asked).toHaveLength(1);
    expect(emulator.currentUserId()).toBe(ids.grace);
  });

  it('asks nothing for the account already active', async () => {
    const { d, asked } = deps(true);
    expect(await openSwitcherLink('pieces-switcher://switch?email=grace@example.com', d)).toBe(
      'already-active',
    );
    expect(asked).toEqual([]);
  });

  it('an account the app does not know: nothing asked, a notice, the window shown', async () => {
    const { d, asked, shown } = deps(true);
    expect(await openSwitcherLink('pieces-switcher://switch?email=eve@example.com', d)).toBe(
      'unknown-account',
    );
    expect(asked).toEqual([]);
    expect(shown()).toBe(1);
    expect(core.service.snapshot().notices.map((n) => n.id)).toContain('link-unknown-account');
    expect(emulator.currentUserId()).toBe(ids.grace);
  });

  it('a refused link asks nothing, changes nothing, and is logged with its reason', async () => {
    const { d, asked, shown } = deps(true);
    const hostile = 'pieces-switcher://switch?email=ada@example.com&email=eve@example.com\u0000';
    expect(await openSwitcherLink(hostile, d)).toBe('refused');
    expect(await openSwitcherLink('javascript:alert(1)//pieces-switcher://open', d)).toBe(
      'refused',
    );
    expect(asked).toEqual([]);
    expect(shown()).toBe(0);
    expect(emulator.currentUserId()).toBe(ids.grace);
    const logged = readFileSync(join(dir, 'main.log'), 'utf8');
    expect(logged).toContain('Refused a pieces-switcher link: contains spaces, control characters');
    expect(logged).toContain('\\\\u0000'); // escaped, never raw
    expect(logged).toContain('Refused a pieces-switcher link: not a pieces-switcher:// link');
  });

  it('open shows the window', async () => {
    const { d, shown } = deps(true);
    expect(await openSwitcherLink('pieces-switcher://open', d)).toBe('shown');
    expect(shown()).toBe(1);
  });
});
