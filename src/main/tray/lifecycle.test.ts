import { describe, expect, it } from 'vitest';
import {
  platformHasTray,
  setLaunchAtLogin,
  shouldHideOnClose,
  shouldQuitWhenAllClosed,
} from './lifecycle';

describe('shouldHideOnClose', () => {
  it('hides the window on close when closing to the tray is on and a tray exists', () => {
    expect(shouldHideOnClose({ closeToTray: true, quitting: false, platformHasTray: true })).toBe(
      true,
    );
  });

  it('closes for real when the app is quitting', () => {
    expect(shouldHideOnClose({ closeToTray: true, quitting: true, platformHasTray: true })).toBe(
      false,
    );
  });

  it('closes for real when the person turned closing to the tray off', () => {
    expect(shouldHideOnClose({ closeToTray: false, quitting: false, platformHasTray: true })).toBe(
      false,
    );
  });

  it('never hides a window there would be no tray icon to bring back', () => {
    expect(shouldHideOnClose({ closeToTray: true, quitting: false, platformHasTray: false })).toBe(
      false,
    );
  });
});

describe('shouldQuitWhenAllClosed', () => {
  it('keeps running only when the window went to the tray', () => {
    expect(shouldQuitWhenAllClosed({ closeToTray: true, platformHasTray: true })).toBe(false);
    expect(shouldQuitWhenAllClosed({ closeToTray: false, platformHasTray: true })).toBe(true);
    expect(shouldQuitWhenAllClosed({ closeToTray: true, platformHasTray: false })).toBe(true);
  });
});

describe('platformHasTray', () => {
  it('is true on macOS, Windows and (assumed) Linux, false elsewhere', () => {
    expect(platformHasTray('darwin')).toBe(true);
    expect(platformHasTray('win32')).toBe(true);
    expect(platformHasTray('linux')).toBe(true);
    expect(platformHasTray('freebsd')).toBe(false);
  });
});

describe('setLaunchAtLogin', () => {
  it('passes the choice to app.setLoginItemSettings', () => {
    const calls: unknown[] = [];
    const app = { setLoginItemSettings: (s: { openAtLogin: boolean }) => calls.push(s) };
    setLaunchAtLogin(app, true);
    setLaunchAtLogin(app, false);
    expect(calls).toEqual([{ openAtLogin: true }, { openAtLogin: false }]);
  });
});
