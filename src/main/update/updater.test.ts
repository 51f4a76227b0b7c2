import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualTimers } from '../../../test/support/account-testing';
import { FakeAutoUpdater } from '../../../test/support/fake-auto-updater';
import { loadUpdater } from './load-updater';
import { CHECK_INTERVAL_MS, FIRST_CHECK_DELAY_MS, type UpdateNotice } from './update-policy';
import { createUpdater, type Updater } from './updater';

/** Lets promise callbacks (a check's result) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

let auto: FakeAutoUpdater;
let timers: ReturnType<typeof manualTimers>;
let notified: { notice: UpdateNotice; onClick: (() => void) | undefined }[];
let logged: [string, string, Record<string, unknown> | undefined][];
let preparedToQuit: number;
let updater: Updater;

const deps = () => ({
  autoUpdater: auto,
  currentVersion: () => '0.1.0',
  notify: (notice: UpdateNotice, onClick: (() => void) | undefined) =>
    void notified.push({ notice, onClick }),
  log: {
    info: (m: string, f?: Record<string, unknown>) => void logged.push(['info', m, f]),
    warn: (m: string, f?: Record<string, unknown>) => void logged.push(['warn', m, f]),
  },
  prepareToQuit: () => void preparedToQuit++,
  timers,
});

beforeEach(() => {
  auto = new FakeAutoUpdater();
  timers = manualTimers();
  notified = [];
  logged = [];
  preparedToQuit = 0;
  updater = createUpdater(deps());
});

afterEach(() => updater.stop());

describe('createUpdater', () => {
  it('downloads in the background and installs on quit, never on its own', () => {
    expect(auto.autoDownload).toBe(true);
    expect(auto.autoInstallOnAppQuit).toBe(true);
    auto.logger?.info('Checking for update');
    expect(logged).toEqual([['info', 'Updater: Checking for update', undefined]]);
  });

  it('checks once a minute after start, then every 6 hours, and not before start', async () => {
    expect(timers.delays()).toEqual([]);
    updater.start();
    expect(timers.delays()).toEqual([FIRST_CHECK_DELAY_MS]);
    expect(auto.checks).toBe(0);
    timers.fireAll();
    expect(auto.checks).toBe(1);
    expect(timers.delays()).toEqual([CHECK_INTERVAL_MS]);
    auto.emit('update-not-available', { version: '0.1.0' });
    await settle();
    timers.fireAll();
    expect(auto.checks).toBe(2);
  });

  it('offers a downloaded update by notification and installs it only on the person’s click', async () => {
    const changes: string[] = [];
    updater.subscribe(() => changes.push(updater.menuItem().label));
    updater.start();
    timers.fireAll();
    auto.findAndDownload('1.2.0');
    await settle();
    expect(notified.map((n) => n.notice.title)).toEqual(['Update ready']);
    expect(changes).toEqual([
      'Checking for updates…',
      'Downloading version 1.2.0…',
      'Downloading version 1.2.0 (40 %)…',
      'Restart to install version 1.2.0',
    ]);
    expect(auto.installs).toEqual([]);
    expect(preparedToQuit).toBe(0);

    notified[0]!.onClick!();
    expect(preparedToQuit).toBe(1);
    expect(auto.installs).toEqual([{ isSilent: undefined, isForceRunAfter: undefined }]);
  });

  it('never checks twice at once, and answers "check" over a ready update with it', async () => {
    updater.checkNow();
    updater.checkNow();
    expect(auto.checks).toBe(1);
    auto.findAndDownload('1.2.0');
    await settle();
    updater.checkNow();
    expect(auto.checks).toBe(1);
    expect(notified.map((n) => [n.notice.title, n.notice.answersRequest])).toEqual([
      ['Update available', true],
      ['Update ready', true],
      ['Update ready', true],
    ]);
    expect(notified[2]!.onClick).toBeTypeOf('function');
  });

  it('answers a check the person asked for: up to date', async () => {
    updater.checkNow();
    expect(updater.menuItem()).toMatchObject({ label: 'Checking for updates…', enabled: false });
    auto.emit('checking-for-update');
    auto.emit('update-not-available', { version: '0.1.0' });
    await settle();
    expect(notified.map((n) => n.notice.body)).toEqual(['You have the latest version (0.1.0).']);
    expect(updater.menuItem()).toMatchObject({ label: 'Check for updates…', enabled: true });
  });

  it('ends a check that failed without an error event, in words, and logs the raw error', async () => {
    auto.nextResult = { error: new Error('getaddrinfo ENOTFOUND github.com') };
    updater.checkNow();
    await settle();
    expect(notified.map((n) => n.notice.title)).toEqual(['Could not check for updates']);
    expect(notified[0]!.notice.body).not.toContain('github');
    expect(logged).toContainEqual([
      'warn',
      'The update check failed',
      { error: 'getaddrinfo ENOTFOUND github.com' },
    ]);
    expect(updater.menuItem().enabled).toBe(true);
  });

  it('tells one failure once, when both the event and the rejection arrive', async () => {
    const error = new Error('net::ERR_CONNECTION_RESET');
    auto.nextResult = { error };
    updater.checkNow();
    auto.emit('error', error);
    await settle();
    expect(notified).toHaveLength(1);
  });

  it('ends a check the inactive updater answers with null', async () => {
    auto.nextResult = { value: null };
    updater.checkNow();
    await settle();
    expect(updater.menuItem()).toMatchObject({ label: 'Check for updates…', enabled: true });
    expect(notified.map((n) => n.notice.title)).toEqual(['Could not check for updates']);
  });

  it('keeps quiet about an automatic check that fails', async () => {
    updater.start();
    timers.fireAll();
    auto.emit('error', new Error('net::ERR_INTERNET_DISCONNECTED'));
    await settle();
    expect(notified).toEqual([]);
    expect(timers.delays()).toEqual([CHECK_INTERVAL_MS]);
  });

  it('stops: no more checks, events ignored', () => {
    updater.start();
    updater.stop();
    expect(timers.delays()).toEqual([]);
    auto.findAndDownload('1.2.0');
    expect(notified).toEqual([]);
    updater.checkNow();
    expect(auto.checks).toBe(0);
  });
});

describe('loadUpdater', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pieces-updater-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (isPackaged: boolean) => {
    let loads = 0;
    const running = loadUpdater({
      ...deps(),
      isPackaged,
      resourcesPath: dir,
      loadAutoUpdater: async () => {
        loads++;
        return auto;
      },
    });
    return { running, loads: () => loads };
  };

  it('stays off, without loading electron-updater, in development', async () => {
    writeFileSync(join(dir, 'app-update.yml'), 'provider: github\n');
    const { running, loads } = load(false);
    expect(await running).toBeNull();
    expect(loads()).toBe(0);
    expect(logged).toContainEqual(['info', 'Updates are off', { reason: 'development build' }]);
  });

  it('stays off in a packaged app built without a release provider (no app-update.yml)', async () => {
    const { running, loads } = load(true);
    expect(await running).toBeNull();
    expect(loads()).toBe(0);
    expect(logged).toContainEqual([
      'info',
      'Updates are off',
      { reason: 'no release provider configured' },
    ]);
  });

  it('starts in a packaged app with app-update.yml: the first check is scheduled', async () => {
    writeFileSync(join(dir, 'app-update.yml'), 'provider: github\n');
    const { running, loads } = load(true);
    const started = await running;
    expect(started).not.toBeNull();
    expect(loads()).toBe(1);
    expect(timers.delays()).toEqual([FIRST_CHECK_DELAY_MS]);
    started!.stop();
  });
});
