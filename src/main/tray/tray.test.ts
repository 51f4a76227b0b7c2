import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountActions } from '../accounts/types';
import type { AppError, Result, SignOutAllReport, StateSnapshot } from '../../shared/domain';
import { TRAY_ITEM } from './menu-template';
import { createTrayController, type TrayController } from './tray';
import {
  fakeElectron,
  fakeImage,
  trayIconOf,
  trayIconStateOf,
  REPO_RESOURCES_DIR,
  type FakeElectron,
} from '../../../test/support/fake-electron';
import { ada, bob, click, item, offline, snapshot } from '../../../test/support/tray-testing';
import { manualTimers } from '../../../test/support/account-testing';
import { FakeAutoUpdater } from '../../../test/support/fake-auto-updater';
import { createUpdater } from '../update/updater';

// The tray takes Electron as a parameter; the module is mocked as well, so a runtime
// `import 'electron'` sneaking into the tray code could not load the real binary.
vi.mock(
  'electron',
  async () => (await import('../../../test/support/fake-electron')).fakeElectron().electron,
);

/** An AccountActions whose snapshots the test pushes and whose results the test chooses. */
function fakeService(initial: StateSnapshot) {
  let current = initial;
  const listeners = new Set<(s: StateSnapshot) => void>();
  const done = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
  const service = {
    snapshot: () => current,
    subscribe(listener: (s: StateSnapshot) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push(next: StateSnapshot) {
      current = next;
      for (const l of listeners) l(next);
    },
    listenerCount: () => listeners.size,
    switchTo: vi.fn((_id: string) => done(current)),
    signOut: vi.fn((_id: string) => done(current)),
    signOutAll: vi.fn(() => done<SignOutAllReport>({ signedOut: [], failed: [] })),
    retryNow: vi.fn(() => done(current)),
    signIn: vi.fn(),
    signInWithBrowser: vi.fn(),
    cancelBrowserSignIn: vi.fn(() => null),
    signInWithPieces: vi.fn(),
    cancelSignIn: vi.fn(() => null),
    signOutMany: vi.fn(() => done<SignOutAllReport>({ signedOut: [], failed: [] })),
    forgetSignIn: vi.fn(() => done(current)),
    details: vi.fn(),
    dismissNotice: vi.fn(() => current),
  } satisfies AccountActions & Record<string, unknown>;
  return service;
}

const unreachable: AppError = { kind: 'unreachable', message: 'Pieces OS is not running.' };
const failed = <T>(error: AppError): Promise<Result<T>> => Promise.resolve({ ok: false, error });

/** Lets the promise chain started by a click run to its end (every fake resolves at once). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

let world: FakeElectron;
let controller: TrayController | undefined;
let notificationsOn: boolean;
let windowOpened: ({ addAccount?: boolean } | undefined)[];
let quits: number;

function start(initial = snapshot(), platform: NodeJS.Platform = 'win32') {
  const service = fakeService(initial);
  controller = createTrayController({
    electron: world.electron,
    service,
    showWindow: (opts) => windowOpened.push(opts),
    quit: () => quits++,
    notificationsEnabled: () => notificationsOn,
    resourcesDir: REPO_RESOURCES_DIR,
    platform,
  });
  return { service, tray: world.tray };
}

beforeEach(() => {
  world = fakeElectron();
  notificationsOn = true;
  windowOpened = [];
  quits = 0;
});

afterEach(() => {
  controller?.destroy();
  controller = undefined;
});

describe('tray at start', () => {
  it('shows the icon, tooltip and menu of the current state', () => {
    const { tray } = start();
    expect(trayIconOf(tray.initialImage)).toEqual({ state: 'signed-in', variant: 'color' });
    expect(tray.tooltips).toEqual(['Pieces Account Switcher — Ada Lovelace']);
    expect(tray.menu[0]?.label).toBe('Ada Lovelace — ada@example.com');
  });

  it('loads the icon from resources/tray, with the @2x file beside it for high-DPI screens', () => {
    const { tray } = start();
    const image = fakeImage(tray.initialImage);
    expect(image.path).toBe(join(REPO_RESOURCES_DIR, 'tray', 'signed-in.png'));
    expect(image.scaleFactors).toEqual([1, 2]);
  });

  it('refuses to start with a missing icon file, saying which one', () => {
    const missing = join(REPO_RESOURCES_DIR, 'no-such-folder');
    expect(() =>
      createTrayController({
        electron: world.electron,
        service: fakeService(snapshot()),
        showWindow: () => undefined,
        quit: () => undefined,
        notificationsEnabled: () => true,
        resourcesDir: missing,
        platform: 'linux',
      }),
    ).toThrow(`The tray icon ${join(missing, 'tray', 'signed-in.png')} is missing from the app.`);
    expect(world.trays).toEqual([]);
  });

  it('uses the colour icon on Windows and Linux and a template image on macOS', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const { tray } = start(snapshot({ connection: offline }), platform);
      expect(trayIconOf(tray.initialImage)).toEqual({ state: 'offline', variant: 'color' });
      expect(fakeImage(tray.initialImage).template).toBe(false);
      controller?.destroy();
    }
    const { service, tray } = start(snapshot({ connection: offline }), 'darwin');
    expect(trayIconOf(tray.initialImage)).toEqual({ state: 'offline', variant: 'template' });
    expect(fakeImage(tray.initialImage).template).toBe(true);
    service.push(snapshot());
    expect(tray.images.map(trayIconOf)).toEqual([{ state: 'signed-in', variant: 'template' }]);
  });
});

describe('tray follows the service state', () => {
  it('rebuilds the menu when the active account changes', () => {
    const { service, tray } = start();
    service.push(snapshot({ activeId: 'bob' }));
    expect(tray.menus).toHaveLength(2);
    expect(tray.menu[0]?.label).toBe('Bob Smith — bob@example.com');
    expect(item(tray.menu, TRAY_ITEM.account('bob'))?.checked).toBe(true);
  });

  it('does not rebuild when nothing the menu shows changed', () => {
    const { service, tray } = start();
    service.push(
      snapshot({
        notices: [{ id: 'n', level: 'info', message: 'hello' }],
        accounts: [{ ...ada, picture: 'https://example.com/ada.png' }, bob],
      }),
    );
    // Cy left the list, so that one does change the menu.
    expect(tray.menus).toHaveLength(2);
    service.push(
      snapshot({
        notices: [],
        tokensPersist: false,
        accounts: [{ ...ada, picture: 'https://example.com/other.png' }, bob],
      }),
    );
    expect(tray.menus).toHaveLength(2);
    expect(tray.tooltips).toHaveLength(1);
    expect(tray.images).toHaveLength(0);
  });

  it('switches icon and tooltip with the state', () => {
    const { service, tray } = start();
    service.push(snapshot({ activeId: null }));
    service.push(snapshot({ activeId: null, connection: offline }));
    service.push(snapshot());
    expect(tray.images.map(trayIconStateOf)).toEqual(['signed-out', 'offline', 'signed-in']);
    expect(tray.tooltips).toEqual([
      'Pieces Account Switcher — Ada Lovelace',
      'Pieces Account Switcher — not signed in',
      'Pieces Account Switcher — Pieces OS not reachable',
      'Pieces Account Switcher — Ada Lovelace',
    ]);
  });

  it('stops following the service and removes the icon on destroy', () => {
    const { service, tray } = start();
    controller?.destroy();
    expect(tray.destroyed).toBe(true);
    expect(service.listenerCount()).toBe(0);
  });
});

describe('tray sign out', () => {
  it('signs out the active account through the service', async () => {
    const { service, tray } = start();
    click(item(tray.menu, TRAY_ITEM.signOut));
    await settle();
    expect(service.signOut).toHaveBeenCalledWith('ada');
  });

  it('shows the error message in a notification when sign-out fails', async () => {
    const { service, tray } = start();
    service.signOut.mockImplementation(() => failed(unreachable));
    click(item(tray.menu, TRAY_ITEM.signOut));
    await settle();
    expect(world.notifications).toEqual([
      { title: 'Could not sign out of Ada Lovelace', body: 'Pieces OS is not running.' },
    ]);
  });

  it('confirms a sign-out by name, even after the account left the state', async () => {
    const { service, tray } = start();
    service.signOut.mockImplementation(async () => {
      service.push(snapshot({ accounts: [bob], activeId: null }));
      return { ok: true, value: service.snapshot() };
    });
    click(item(tray.menu, TRAY_ITEM.signOut));
    await settle();
    expect(world.notifications).toEqual([
      { title: 'Pieces Account Switcher', body: 'Signed out of Ada Lovelace' },
    ]);
  });

  it('shows no notification when notifications are off', async () => {
    const { service, tray } = start();
    notificationsOn = false;
    click(item(tray.menu, TRAY_ITEM.signOut));
    await settle();
    service.signOut.mockImplementation(() => failed(unreachable));
    click(item(tray.menu, TRAY_ITEM.signOut));
    await settle();
    expect(service.signOut).toHaveBeenCalledTimes(2);
    expect(world.notifications).toEqual([]);
  });

  it('reports a service that throws instead of leaving a rejected promise', async () => {
    const { service, tray } = start();
    service.signOut.mockImplementation(() => Promise.reject(new Error('boom')));
    click(item(tray.menu, TRAY_ITEM.signOut));
    await settle();
    expect(world.notifications).toEqual([
      { title: 'Pieces Account Switcher', body: 'Something went wrong inside the app: boom' },
    ]);
  });
});

describe('tray switch', () => {
  it('switches to the clicked account and reports a failure with its message', async () => {
    const { service, tray } = start();
    service.switchTo.mockImplementation(() =>
      failed({ kind: 'needs-sign-in', message: 'Sign in to Bob Smith again.' }),
    );
    click(item(tray.menu, TRAY_ITEM.account('bob')));
    await settle();
    expect(service.switchTo).toHaveBeenCalledWith('bob');
    expect(world.notifications).toEqual([
      { title: 'Could not switch to Bob Smith', body: 'Sign in to Bob Smith again.' },
    ]);
  });

  it('confirms a switch', async () => {
    const { tray } = start();
    click(item(tray.menu, TRAY_ITEM.account('bob')));
    await settle();
    expect(world.notifications).toEqual([
      { title: 'Pieces Account Switcher', body: 'Switched to Bob Smith' },
    ]);
  });

  it('sets the menu again after a failed switch, so the native radio check is undone', async () => {
    // Electron checks a clicked radio item itself; the state did not change, the menu must.
    const { service, tray } = start();
    service.switchTo.mockImplementation(() => failed(unreachable));
    click(item(tray.menu, TRAY_ITEM.account('bob')));
    await settle();
    expect(tray.menus).toHaveLength(2);
    expect(item(tray.menu, TRAY_ITEM.account('ada'))?.checked).toBe(true);
  });
});

describe('tray sign out of all accounts', () => {
  it('asks first and does nothing on Cancel', async () => {
    const { service, tray } = start();
    world.dialog.response = 1;
    click(item(tray.menu, TRAY_ITEM.signOutAll));
    await settle();
    expect(world.dialog.asked).toHaveLength(1);
    const asked = world.dialog.asked[0];
    expect(asked?.buttons).toEqual(['Sign out', 'Cancel']);
    expect(asked?.cancelId).toBe(1);
    expect(asked?.detail).toContain('2 connected accounts');
    expect(service.signOutAll).not.toHaveBeenCalled();
    expect(world.notifications).toEqual([]);
  });

  it('signs everyone out when confirmed and says how many', async () => {
    const { service, tray } = start();
    world.dialog.response = 0;
    service.signOutAll.mockImplementation(async () => ({
      ok: true,
      value: { signedOut: ['ada', 'bob'], failed: [] },
    }));
    click(item(tray.menu, TRAY_ITEM.signOutAll));
    await settle();
    expect(service.signOutAll).toHaveBeenCalledTimes(1);
    expect(world.notifications).toEqual([
      { title: 'Pieces Account Switcher', body: 'Signed out of 2 accounts' },
    ]);
  });

  it('confirms by name when the one account signed out has already left the state', async () => {
    const { service, tray } = start(snapshot({ accounts: [ada], activeId: 'ada' }));
    world.dialog.response = 0;
    service.signOutAll.mockImplementation(async () => {
      service.push(snapshot({ accounts: [], activeId: null }));
      return { ok: true, value: { signedOut: ['ada'], failed: [] } };
    });
    click(item(tray.menu, TRAY_ITEM.signOutAll));
    await settle();
    expect(world.dialog.asked[0]?.detail).toBe(
      'The connected account will be signed out of Pieces OS.',
    );
    expect(world.notifications).toEqual([
      { title: 'Pieces Account Switcher', body: 'Signed out of Ada Lovelace' },
    ]);
  });

  it('names the accounts that could not be signed out', async () => {
    const { service, tray } = start();
    world.dialog.response = 0;
    service.signOutAll.mockImplementation(async () => ({
      ok: true,
      value: {
        signedOut: ['ada'],
        failed: [
          { id: 'bob', displayName: 'Bob Smith', error: { kind: 'timeout', message: 'Too slow.' } },
          { id: 'cy', displayName: 'Cy Young', error: unreachable },
        ],
      },
    }));
    click(item(tray.menu, TRAY_ITEM.signOutAll));
    await settle();
    expect(world.notifications).toEqual([
      {
        title: 'Could not sign out of 2 accounts',
        body: 'Bob Smith: Too slow.\nCy Young: Pieces OS is not running.',
      },
    ]);
  });

  it('reports a refused sign-out of all accounts', async () => {
    const { service, tray } = start();
    world.dialog.response = 0;
    service.signOutAll.mockImplementation(() =>
      failed({ kind: 'busy', message: 'Wait until switching to Bob Smith ends.' }),
    );
    click(item(tray.menu, TRAY_ITEM.signOutAll));
    await settle();
    expect(world.notifications).toEqual([
      {
        title: 'Could not sign out of all accounts',
        body: 'Wait until switching to Bob Smith ends.',
      },
    ]);
  });
});

describe('tray window, retry and quit', () => {
  it('opens the window on a single click on Windows and Linux', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const { tray } = start(snapshot(), platform);
      for (const listener of tray.clickListeners) listener();
      controller?.destroy();
    }
    expect(windowOpened).toEqual([undefined, undefined]);
  });

  it('leaves a click to the menu on macOS', () => {
    const { tray } = start(snapshot(), 'darwin');
    for (const listener of tray.clickListeners) listener();
    expect(windowOpened).toEqual([]);
  });

  it('opens the window with the add-account dialog, opens it plainly, and quits', () => {
    const { tray } = start();
    click(item(tray.menu, TRAY_ITEM.addAccount));
    click(item(tray.menu, TRAY_ITEM.openWindow));
    click(item(tray.menu, TRAY_ITEM.quit));
    expect(windowOpened).toEqual([{ addAccount: true }, undefined]);
    expect(quits).toBe(1);
  });

  it('retries through the service without a notification', async () => {
    const { service, tray } = start(snapshot({ connection: offline }));
    service.retryNow.mockImplementation(() => failed(unreachable));
    click(item(tray.menu, TRAY_ITEM.retryNow));
    await settle();
    expect(service.retryNow).toHaveBeenCalledTimes(1);
    expect(world.notifications).toEqual([]);
  });
});

describe('tray update item', () => {
  function startWithUpdates() {
    const auto = new FakeAutoUpdater();
    const updater = createUpdater({
      autoUpdater: auto,
      currentVersion: () => '0.1.0',
      notify: () => undefined,
      log: { info: () => undefined, warn: () => undefined },
      prepareToQuit: () => undefined,
      timers: manualTimers(),
    });
    const service = fakeService(snapshot());
    controller = createTrayController({
      electron: world.electron,
      service,
      showWindow: () => undefined,
      quit: () => undefined,
      notificationsEnabled: () => true,
      resourcesDir: REPO_RESOURCES_DIR,
      updates: updater,
      platform: 'linux',
    });
    return { auto, tray: world.tray };
  }

  it('is absent without an updater', () => {
    const { tray } = start();
    expect(item(tray.menu, TRAY_ITEM.updates)).toBeUndefined();
  });

  it('checks on click, follows the updater, and restarts to install only when clicked again', async () => {
    const { auto, tray } = startWithUpdates();
    expect(item(tray.menu, TRAY_ITEM.updates)).toMatchObject({ label: 'Check for updates…' });
    click(item(tray.menu, TRAY_ITEM.updates));
    expect(auto.checks).toBe(1);
    expect(item(tray.menu, TRAY_ITEM.updates)).toMatchObject({
      label: 'Checking for updates…',
      enabled: false,
    });
    auto.findAndDownload('1.2.0');
    await settle();
    expect(item(tray.menu, TRAY_ITEM.updates)).toMatchObject({
      label: 'Restart to install version 1.2.0',
      enabled: true,
    });
    expect(auto.installs).toEqual([]);
    click(item(tray.menu, TRAY_ITEM.updates));
    expect(auto.installs).toHaveLength(1);
  });

  it('stops following the updater once destroyed', () => {
    const { auto, tray } = startWithUpdates();
    const menus = tray.menus.length;
    controller?.destroy();
    auto.emit('checking-for-update');
    auto.emit('update-available', { version: '1.2.0' });
    expect(tray.menus).toHaveLength(menus);
  });
});
