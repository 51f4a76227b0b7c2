// What the Electronegativity allow-list (scripts/security-allowlist.json) says about the app
// window, checked on the window app.ts really creates: secure web preferences, no new windows
// (so a middle-click cannot open one), no navigation away, no permissions, and external links
// only to https.
import { describe, expect, it, vi } from 'vitest';
import { APP_PAGE_URL, fakeMain } from './support/fake-main';
import { useMainEnv } from './support/main-env';

vi.mock('electron', () => ({ default: {} }));

const env = useMainEnv('pieces-window-', { users: 0 });

describe('the app window', () => {
  it('is created sandboxed and isolated, and locked to its own page', async () => {
    const main = fakeMain(env.userData);
    env.running = await main.start();
    const win = main.windows[0]!;
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });

    // Every new window is denied (a middle-click, window.open, target=_blank); https links go to
    // the system browser, nothing else does.
    for (const url of [
      'https://pieces.app/',
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ]) {
      expect(win.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(main.electron.shell.openExternal.mock.calls).toEqual([['https://pieces.app/']]);

    // No navigation away from the app's page; the page itself may reload.
    for (const name of ['will-navigate', 'will-redirect']) {
      const listeners = win.contentsListeners.get(name) ?? [];
      expect(listeners.length).toBeGreaterThan(0);
      let prevented = 0;
      for (const fn of listeners)
        fn({ preventDefault: () => prevented++ }, 'https://evil.example/');
      expect(prevented).toBeGreaterThan(0);
      prevented = 0;
      for (const fn of listeners) fn({ preventDefault: () => prevented++ }, APP_PAGE_URL);
      expect(prevented).toBe(0);
    }

    // No permission (camera, notifications, ...) is ever granted to the page.
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      win.permissionHandler?.(win.webContents, permission, (ok) => void answers.push(ok));
    }
    expect(answers).toEqual([false, false, false, false]);
  });
});
