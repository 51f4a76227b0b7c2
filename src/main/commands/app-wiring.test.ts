// The running app's side, wired into startApp() with only Electron faked: the command channel
// answers from the app's own state, a second launch is told apart (window, link, command line),
// and a link switches only after the person confirms in the main-process dialog.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { StateSnapshot } from '../../shared/domain';
import { startApp } from '../app';
import { APP_OUT_DIR, fakeMain, type FakeMain } from '../../../test/support/fake-main';
import { REPO_RESOURCES_DIR } from '../../../test/support/fake-electron';
import { useMainEnv } from '../../../test/support/main-env';
import { askRunningApp } from './ask-running-app';
import { catchLinks } from './app-wiring';
import { channelPaths } from './channel-paths';
import { EXIT } from './exit-codes';
import type { ListJson } from './list-json';
import { COMMAND_LINE_MARK } from './second-instance';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const env = useMainEnv('pieces-cli-app-', { users: 0 });

async function start(main: FakeMain) {
  env.running = await startApp(main.electron as never, {
    outDir: APP_OUT_DIR,
    resourcesPath: REPO_RESOURCES_DIR,
  });
  await env.running!.service.refresh();
  return env.running!;
}

/** As Electron does on quit, once the app's own work has landed (its refresh logs). */
const quit = async (main: FakeMain): Promise<void> => {
  await env.running?.service.idle();
  for (const fn of main.appEvents.get('will-quit') ?? []) fn();
};

const secondInstance = (main: FakeMain, argv: string[], data: unknown): void => {
  for (const fn of main.appEvents.get('second-instance') ?? []) fn({}, argv, '/home/ada', data);
};

/** Resolves with the first snapshot (the current one included) that `test` accepts. */
function stateWhere(
  service: { snapshot(): StateSnapshot; subscribe(l: (s: StateSnapshot) => void): () => void },
  test: (s: StateSnapshot) => boolean,
): Promise<StateSnapshot> {
  return new Promise((resolve) => {
    if (test(service.snapshot())) return resolve(service.snapshot());
    const stop = service.subscribe((s) => {
      if (test(s)) {
        stop();
        resolve(s);
      }
    });
  });
}

describe('the app answers the command line', () => {
  it('over its channel, from its own state, until it quits', async () => {
    const main = fakeMain(env.userData);
    const running = await start(main);
    const ada = await running.service.signIn(
      env.emulator.mintToken({ email: 'ada@example.com', name: 'Ada Lovelace' }),
    );
    expect(ada.ok).toBe(true);

    const answer = await askRunningApp(env.userData, ['--list', '--json']);
    expect(answer?.exitCode).toBe(EXIT.ok);
    const doc = JSON.parse(answer!.stdout) as ListJson;
    expect(doc.accounts.map((a) => a.email)).toEqual(['ada@example.com']);
    expect(doc.activeId).toBe(ada.ok ? ada.value.id : null);

    const bad = await askRunningApp(env.userData, ['--switch']);
    expect(bad?.exitCode).toBe(EXIT.usage);

    await quit(main);
    expect(existsSync(channelPaths(env.userData).keyFile)).toBe(false);
    expect(await askRunningApp(env.userData, ['--list'])).toBeNull();
  });
});

describe('a second launch', () => {
  it('shows the window; a command-line launch does not', async () => {
    const main = fakeMain(env.userData);
    await start(main);
    const win = main.windows[0]!;
    win.hide();
    secondInstance(main, ['/opt/app/pieces-account-switcher', '--list'], { ...COMMAND_LINE_MARK });
    expect(win.visible).toBe(false);
    secondInstance(main, ['/opt/app/pieces-account-switcher'], {});
    expect(win.visible).toBe(true);
    await quit(main);
  });

  it('with a switch link asks in a dialog naming the account, then switches', async () => {
    const main = fakeMain(env.userData);
    const running = await start(main);
    const mint = (email: string, name: string) => env.emulator.mintToken({ email, name });
    const ada = await running.service.signIn(mint('ada@example.com', 'Ada Lovelace'));
    await running.service.signIn(mint('grace@example.com', 'Grace Hopper'));
    const adaId = ada.ok ? ada.value.id : '';

    // A refused link is decided at once: no dialog, nothing changes.
    secondInstance(main, ['app', 'pieces-switcher://switch?email=ada@example.com&id=x'], {});
    expect(main.electron.dialog.shown).toEqual([]);

    main.electron.dialog.response = 1;
    secondInstance(main, ['app', '--', 'pieces-switcher://switch?email=ada%40example.com'], {});
    await stateWhere(running.service, (s) => s.activeId === adaId);
    expect(env.emulator.currentUserId()).toBe(adaId);
    expect(main.electron.dialog.shown).toHaveLength(1);
    expect(main.electron.dialog.shown[0]).toMatchObject({
      message: 'Switch Pieces OS to Ada Lovelace?',
      buttons: ['Cancel', 'Switch to Ada Lovelace'],
      defaultId: 0,
      cancelId: 0,
    });
    expect(main.electron.dialog.shown[0]!.detail).toContain('ada@example.com');
    await quit(main);
  });
});

describe('catchLinks', () => {
  it('keeps links that arrive before the app can act (macOS open-url, a launch argument)', () => {
    const app = new EventEmitter();
    const links = catchLinks(app as never, ['app', 'pieces-switcher://open']);
    let prevented = false;
    app.emit('open-url', { preventDefault: () => (prevented = true) }, 'pieces-switcher://a');
    expect(prevented).toBe(true);
    const opened: string[] = [];
    links.attach((url) => opened.push(url));
    app.emit('open-url', { preventDefault: () => undefined }, 'pieces-switcher://b');
    expect(opened).toEqual([
      'pieces-switcher://open',
      'pieces-switcher://a',
      'pieces-switcher://b',
    ]);
  });
});
