// What the Electronegativity allow-list (scripts/security-allowlist.json) says about the app's
// windows, checked on the windows app.ts really creates (the app window and the quick switcher's):
// secure web preferences, no new windows (so a middle-click cannot open one), no navigation away,
// no permissions, and external links only to https.
import { describe, expect, it, vi } from 'vitest';
import { APP_PAGE_URL, fakeMain } from './support/fake-main';
import { useMainEnv } from './support/main-env';

vi.mock('electron', () => ({ default: {} }));

const env = useMainEnv('pieces-window-', { users: 0 });

describe.each([
  { name: 'the app window', index: 0 },
  { name: "the quick switcher's window", index: 1 },
])('$name', ({ index }) => {
  it('is created sandboxed and isolated, and locked to its own page', async () => {
    const main = fakeMain(env.userData);
    env.running = await main.start();
    expect(main.windows).toHaveLength(2);
    const win = main.windows[index]!;
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });

    // Every new window is denied (a middle-click, window.open, target=_blank); an https link goes
    // to the system browser, nothing else does (the full list: isAllowedExternal's unit test).
    for (const url of ['https://pieces.app/', 'file:///etc/passwd']) {
      expect(win.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(main.electron.shell.openExternal.mock.calls).toEqual([['https://pieces.app/']]);
    main.electron.shell.openExternal.mockClear();

    // No navigation away from the app's page (app.ts's own page check); the page may reload.
    const prevented = (name: string, url: string): boolean => {
      const listeners = win.contentsListeners.get(name) ?? [];
      expect(listeners.length, name).toBeGreaterThan(0);
      let stopped = false;
      for (const fn of listeners) fn({ preventDefault: () => (stopped = true) }, url);
      return stopped;
    };
    for (const name of ['will-navigate', 'will-redirect']) {
      for (const url of [
        'https://evil.example/',
        'file:///etc/passwd',
        'file:///app/out/renderer/other.html',
        `${APP_PAGE_URL}.evil`,
      ]) {
        expect(prevented(name, url), `${name} ${url}`).toBe(true);
      }
      expect(prevented(name, APP_PAGE_URL), name).toBe(false);
      expect(prevented(name, `${APP_PAGE_URL}#/settings`), name).toBe(false);
    }
    expect(prevented('will-attach-webview', 'about:blank')).toBe(true);

    // No permission (camera, notifications, ...) is ever granted to the page.
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      win.permissionHandler?.(win.webContents, permission, (ok) => void answers.push(ok));
    }
    expect(answers).toEqual([false, false, false, false]);
    // Nor does a permission check (what the page may ask without a prompt) ever say yes.
    for (const permission of ['media', 'clipboard-read', 'notifications'])
      expect(win.permissionCheckHandler?.(win.webContents, permission, APP_PAGE_URL, {})).toBe(
        false,
      );
  });
});
