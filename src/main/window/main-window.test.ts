import { describe, expect, it } from 'vitest';
import { trackUnhandled } from '../../../test/support/invariants';
import {
  boundsToSave,
  isAllowedExternal,
  lockDownNavigation,
  secureWindowOptions,
} from './main-window';

// The hardening of the window app.ts really creates (web preferences, navigation, new windows,
// permissions) is checked once, on that window: test/window-hardening.test.ts.

describe('app window', () => {
  it('sets the window icon only when one is given (Linux and Windows)', () => {
    expect(secureWindowOptions('p', null, { iconPath: '/app/resources/icon.png' }).icon).toBe(
      '/app/resources/icon.png',
    );
    expect('icon' in secureWindowOptions('p', null)).toBe(false);
  });

  it('reopens with the remembered bounds', () => {
    const opts = secureWindowOptions('p', { x: 10, y: 20, width: 700, height: 500 });
    expect(opts).toMatchObject({ x: 10, y: 20, width: 700, height: 500 });
  });

  it('opens externally only https help links and the configured provider, nothing else', () => {
    expect(isAllowedExternal('https://pieces.app/')).toBe(true);
    expect(isAllowedExternal('https://docs.pieces.app/help')).toBe(true);
    const issuer = 'https://login.example.com/realms/x';
    expect(isAllowedExternal('https://login.example.com/account', issuer)).toBe(true);
    for (const u of [
      'http://pieces.app',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://x',
      'not a url',
      // The audit's finding: any https page (a phishing site) went to the system browser.
      'https://evil.example/login',
      'https://pieces.app.evil.example/',
      'https://user:pw@pieces.app/',
      'https://login.example.com.evil.example/',
    ]) {
      expect(isAllowedExternal(u, issuer)).toBe(false);
    }
    expect(isAllowedExternal('https://login.example.com/account')).toBe(false); // no provider set
  });

  it('turns DevTools off unless asked for', () => {
    expect(secureWindowOptions('p', null).webPreferences?.devTools).toBe(false);
    expect(secureWindowOptions('p', null, { devTools: true }).webPreferences?.devTools).toBe(true);
  });

  it('logs a link the system cannot open instead of leaving an unhandled rejection', async () => {
    let openHandler: (d: { url: string }) => { action: string } = () => ({ action: 'allow' });
    const win = {
      webContents: {
        on: () => undefined,
        setWindowOpenHandler: (fn: typeof openHandler) => void (openHandler = fn),
        session: {
          setPermissionRequestHandler: () => undefined,
          setPermissionCheckHandler: () => undefined,
        },
      },
    };
    const warnings: unknown[][] = [];
    const unhandled = trackUnhandled();
    try {
      lockDownNavigation(
        win as never,
        { openExternal: () => Promise.reject(new Error('No application found')) },
        () => false,
        { warn: (...args: unknown[]) => void warnings.push(args) },
      );
      expect(openHandler({ url: 'https://pieces.app/' })).toEqual({ action: 'deny' });
      await unhandled.settle();
      expect(unhandled.seen).toEqual([]);
      expect(warnings).toEqual([
        ['The link could not be opened in the browser', { error: 'No application found' }],
      ]);
    } finally {
      unhandled.dispose();
    }
  });

  it('does not remember bounds of a minimised window', () => {
    const win = (minimized: boolean) => ({
      isMinimized: () => minimized,
      isMaximized: () => false,
      isFullScreen: () => false,
      getNormalBounds: () => ({ x: 1, y: 2, width: 3, height: 4 }),
    });
    expect(boundsToSave(win(true))).toBeNull();
    expect(boundsToSave(win(false))).toEqual({ x: 1, y: 2, width: 3, height: 4 });
  });
});
