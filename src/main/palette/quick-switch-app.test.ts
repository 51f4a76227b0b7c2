// The quick switcher in the whole main process, with only Electron's own APIs faked: the palette
// window, the global shortcut and its clash, the sender checks, the tray item, the setting.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { ipcEvent } from '../../shared/contract';
import {
  APP_OUT_DIR,
  APP_PAGE_URL,
  fakeMain,
  type FakeMain,
} from '../../../test/support/fake-main';
import { useMainEnv } from '../../../test/support/main-env';
import { SHORTCUT_NOTICE_ID } from './shortcut';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const env = useMainEnv('pieces-palette-', { users: 1 });
const DEFAULT = 'CommandOrControl+Alt+P';
const PALETTE_PAGE_URL = `${APP_PAGE_URL}?view=palette`;

async function start(main: FakeMain = fakeMain(env.userData)) {
  env.running = await main.start();
  return main;
}

/** An IPC event from the palette window's main frame, showing `url`. */
const fromPalette = (main: FakeMain, url = PALETTE_PAGE_URL) => {
  const p = main.paletteWindow();
  p.mainFrame.url = url;
  return { sender: p.webContents, senderFrame: p.mainFrame };
};

const quickSwitchItem = (main: FakeMain): MenuItemConstructorOptions | undefined =>
  main.tray.tray.menu.find((i) => i.id === 'quick-switch');

describe('the quick switcher in the app', () => {
  it('is a second window, created hidden at start: the same page and hardening, frameless, on top, out of the taskbar', async () => {
    const main = await start();
    const [win, palette] = main.windows;
    expect(main.windows).toHaveLength(2);
    expect(palette!.visible).toBe(false);
    expect(palette!.loaded).toBe(join(APP_OUT_DIR, 'renderer', 'index.html'));
    expect(palette!.loadOptions).toEqual({ query: { view: 'palette' } });
    expect(palette!.options).toMatchObject({
      frame: false,
      alwaysOnTop: true,
      skipTaskbar: true,
      resizable: false,
      show: false,
    });
    expect(palette!.options.webPreferences).toEqual(win!.options.webPreferences);
    // Locked down like the app window: no new windows, no navigation away, no permissions.
    expect(palette!.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
    expect(palette!.contentsListeners.get('will-navigate')).toHaveLength(1);
    expect(palette!.permissionCheckHandler?.()).toBe(false);
  });

  it('the shortcut shows it centred on the display nearest the pointer, focused; pressed again or losing focus, it hides', async () => {
    const main = await start();
    const palette = main.paletteWindow();
    main.electron.screen.cursor = { x: 2500, y: 400 };
    main.electron.globalShortcut.press(DEFAULT);
    expect(palette.visible).toBe(true);
    expect(palette.focused).toBe(true);
    expect(palette.bounds).toEqual({ x: 1920 + 360, y: 310, width: 560, height: 380 });
    main.electron.globalShortcut.press(DEFAULT);
    expect(palette.visible).toBe(false);

    main.electron.screen.cursor = { x: 10, y: 10 };
    main.electron.globalShortcut.press(DEFAULT);
    expect(palette.bounds).toEqual({ x: 680, y: 330, width: 560, height: 380 });
    palette.emit('blur');
    expect(palette.visible).toBe(false);
    // The same window every time: shown warm, never created on demand.
    expect(main.windows).toHaveLength(2);
  });

  it('Alt+F4 on it hides it instead of closing it', async () => {
    const main = await start();
    const palette = main.paletteWindow();
    main.electron.globalShortcut.press(DEFAULT);
    let prevented = false;
    palette.emit('close', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(palette.visible).toBe(false);
  });

  it('answers the palette page over the same contract, and closePalette hides it', async () => {
    const main = await start();
    const palette = main.paletteWindow();
    main.electron.globalShortcut.press(DEFAULT);
    const state = await main.invokeAs(fromPalette(main), 'getState');
    expect(state).toMatchObject({ ok: true, value: { connection: { status: 'online' } } });
    expect(await main.invokeAs(fromPalette(main), 'closePalette')).toEqual({
      ok: true,
      value: null,
    });
    expect(palette.visible).toBe(false);
    // Snapshots are pushed to it as to the app window.
    await env.running!.service.refresh();
    expect(main.sent.filter(([name]) => name === ipcEvent('state')).length).toBeGreaterThan(1);
  });

  it('refuses the palette window when it shows any other page, or a frame inside it', async () => {
    const main = await start();
    for (const url of [
      `${APP_PAGE_URL.replace('index.html', 'other.html')}?view=palette`,
      'https://evil.example/index.html?view=palette',
      `${APP_PAGE_URL}.evil?view=palette`,
    ]) {
      expect(await main.invokeAs(fromPalette(main, url), 'getState'), url).toMatchObject({
        ok: false,
        error: { kind: 'forbidden' },
      });
    }
    const palette = main.paletteWindow();
    const subframe = { url: PALETTE_PAGE_URL };
    expect(
      await main.invokeAs({ sender: palette.webContents, senderFrame: subframe }, 'switchTo', {
        id: 'x',
      }),
    ).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });

  it('offers "Quick switch…" in the tray with the shortcut, and opens the palette from there', async () => {
    const main = await start();
    const item = quickSwitchItem(main)!;
    if (process.platform === 'linux') expect(item.label).toBe('Quick switch… (Ctrl+Alt+P)');
    else expect(item).toMatchObject({ accelerator: DEFAULT, registerAccelerator: false });
    (item.click as () => void)();
    expect(main.paletteWindow().visible).toBe(true);
  });

  it('reports a shortcut another app holds, in the window and the log; a new one from Settings fixes it', async () => {
    const main = fakeMain(env.userData);
    main.electron.globalShortcut.taken.add(DEFAULT);
    await start(main);
    const notice = () =>
      env.running!.service.snapshot().notices.find((n) => n.id === SHORTCUT_NOTICE_ID);
    expect(notice()?.message).toMatch(/already used by another app/);
    await env.running!.log.settled?.(); // the log is written in the background
    expect(readFileSync(join(env.userData, 'main.log'), 'utf8')).toMatch(
      /quick switch shortcut .* already used by another app/,
    );
    // No shortcut is shown where none works.
    expect(quickSwitchItem(main)).toMatchObject({ label: 'Quick switch…' });
    expect(quickSwitchItem(main)?.accelerator).toBeUndefined();

    const saved = await main.invoke('updateSettings', { quickSwitchShortcut: 'Control+Shift+K' });
    expect(saved).toMatchObject({ ok: true, value: { quickSwitchShortcut: 'Control+Shift+K' } });
    expect([...main.electron.globalShortcut.registered.keys()]).toEqual(['Control+Shift+K']);
    expect(notice()).toBeUndefined();
    main.electron.globalShortcut.press('Control+Shift+K');
    expect(main.paletteWindow().visible).toBe(true);
  });

  it('is off when the setting is emptied: the keys are given back, the tray shows none', async () => {
    const main = await start();
    expect(await main.invoke('updateSettings', { quickSwitchShortcut: '' })).toMatchObject({
      ok: true,
    });
    expect(main.electron.globalShortcut.registered.size).toBe(0);
    expect(quickSwitchItem(main)).toMatchObject({ label: 'Quick switch…' });
    expect(quickSwitchItem(main)?.accelerator).toBeUndefined();
    const settings = JSON.parse(readFileSync(join(env.userData, 'settings.json'), 'utf8')) as {
      quickSwitchShortcut: string;
    };
    expect(settings.quickSwitchShortcut).toBe('');
  });

  it('refuses a shortcut that would take a key from typing, and keeps the one in use', async () => {
    const main = await start();
    expect(await main.invoke('updateSettings', { quickSwitchShortcut: 'Shift+P' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-input' },
    });
    expect([...main.electron.globalShortcut.registered.keys()]).toEqual([DEFAULT]);
  });

  it('gives the shortcut back when the app quits', async () => {
    const main = await start();
    for (const fn of main.appEvents.get('will-quit') ?? []) fn();
    expect(main.electron.globalShortcut.registered.size).toBe(0);
  });

  it('with "close to tray" off, closing the app window closes the palette too, so the app can quit', async () => {
    const main = await start();
    await main.invoke('updateSettings', { closeToTray: false });
    const [win, palette] = main.windows;
    win!.emit('close', { preventDefault: () => undefined });
    win!.emit('closed');
    expect(palette!.destroyed).toBe(true);
  });

  it('keeps the palette when the app window only hides to the tray', async () => {
    const main = await start();
    const [win, palette] = main.windows;
    win!.emit('close', { preventDefault: () => undefined });
    expect(palette!.destroyed).toBe(false);
    expect(win!.visible).toBe(false);
  });
});
