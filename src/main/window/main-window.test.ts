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
  it('reopens with the remembered bounds', () => {
    const opts = secureWindowOptions('p', { x: 10, y: 20, width: 700, height: 500 });
    expect(opts).toMatchObject({ x: 10, y: 20, width: 700, height: 500 });
  });

  it('opens only https links externally', () => {
    expect(isAllowedExternal('https://pieces.app/')).toBe(true);
    for (const u of [
      'http://pieces.app',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://x',
      'not a url',
    ]) {
      expect(isAllowedExternal(u)).toBe(false);
    }
  });

  it('logs a link the system cannot open instead of leaving an unhandled rejection', async () => {
    let openHandler: (d: { url: string }) => { action: string } = () => ({ action: 'allow' });
    const win = {
      webContents: {
        on: () => undefined,
        setWindowOpenHandler: (fn: typeof openHandler) => void (openHandler = fn),
        session: { setPermissionRequestHandler: () => undefined },
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
