// The installed app's binary launched with a command, with only Electron faked: it asks the
// running app first; with none, it takes the single-instance lock (marked as a command line) and
// runs the command with the app's core and keychain, no window; with the lock held by an app that
// does not answer, it says so.
import { describe, expect, it, vi } from 'vitest';
import { startApp } from '../app';
import { APP_OUT_DIR, fakeMain } from '../../../test/support/fake-main';
import { REPO_RESOURCES_DIR } from '../../../test/support/fake-electron';
import { fakeSafeStorage } from '../../../test/support/fake-safe-storage';
import { useMainEnv } from '../../../test/support/main-env';
import { runCommandLine } from './electron-cli';
import { EXIT } from './exit-codes';
import { COMMAND_LINE_MARK } from './second-instance';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const env = useMainEnv('pieces-electron-cli-', { users: 0 });

/** The app as a person left it: Ada and Grace signed in (keychain-encrypted), then quit. */
async function profileWithSignIns(keepRunning: boolean) {
  const main = fakeMain(env.userData);
  const running = await startApp(main.electron as never, {
    outDir: APP_OUT_DIR,
    resourcesPath: REPO_RESOURCES_DIR,
  });
  env.running = running;
  const ids: string[] = [];
  for (const [email, name] of [
    ['ada@example.com', 'Ada Lovelace'],
    ['grace@example.com', 'Grace Hopper'],
  ] as const) {
    const result = await running!.service.signIn(env.emulator.mintToken({ email, name }));
    if (!result.ok) throw new Error(result.error.message);
    ids.push(result.value.id);
  }
  await running!.service.idle();
  if (!keepRunning) {
    for (const fn of main.appEvents.get('will-quit') ?? []) fn();
    env.running = null;
  }
  return { ada: ids[0]!, grace: ids[1]! };
}

function cliElectron(lockFree: boolean) {
  const locks: unknown[] = [];
  let released = 0;
  const electron = {
    app: {
      getPath: () => env.userData,
      requestSingleInstanceLock: (data: unknown) => {
        locks.push(data);
        return lockFree;
      },
      releaseSingleInstanceLock: () => void released++,
      whenReady: () => Promise.resolve(),
    },
    safeStorage: fakeSafeStorage,
  };
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) => ({
    write: (text: string, cb?: () => void) => {
      add(text);
      cb?.();
      return true;
    },
  });
  const io = { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) };
  return {
    run: (args: string[]) => runCommandLine(electron as never, args, io as never),
    locks,
    released: () => released,
    out: () => ({ stdout, stderr }),
  };
}

describe('the app binary with a command', () => {
  it('with no app running: takes the lock as a command line, switches with the keychain sign-ins, lets go', async () => {
    const ids = await profileWithSignIns(false);
    const cli = cliElectron(true);
    expect(await cli.run(['--switch', 'ada@example.com'])).toBe(EXIT.ok);
    expect(cli.out().stdout).toBe(`Switched to Ada Lovelace <ada@example.com> (${ids.ada}).\n`);
    expect(env.emulator.currentUserId()).toBe(ids.ada);
    expect(cli.locks).toEqual([COMMAND_LINE_MARK]);
    expect(cli.released()).toBe(1);
  });

  it('with the app running: the app answers, no lock is asked for', async () => {
    const ids = await profileWithSignIns(true);
    const cli = cliElectron(false);
    expect(await cli.run(['--switch', 'Ada Lovelace'])).toBe(EXIT.ok);
    expect(env.emulator.currentUserId()).toBe(ids.ada);
    expect(cli.locks).toEqual([]);
    await env.running?.service.idle(); // its refresh after the switch logs into the profile
  });

  it('with the lock held by an app that does not answer: says so, exits 1, changes nothing', async () => {
    const ids = await profileWithSignIns(false);
    const cli = cliElectron(false);
    expect(await cli.run(['--switch', 'ada@example.com'])).toBe(EXIT.failed);
    expect(cli.out().stderr).toContain('running but did not answer');
    expect(env.emulator.currentUserId()).toBe(ids.grace);
  });

  it('a usage error needs neither the app nor the lock', async () => {
    const cli = cliElectron(true);
    expect(await cli.run(['--switch'])).toBe(EXIT.usage);
    expect(cli.out().stderr).toContain('Usage:');
    expect(cli.locks).toEqual([]);
  });
});
