import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { PiecesError } from '../pieces/errors';
import {
  DEFAULT_SETTINGS,
  openSettings,
  publicSettings,
  SETTINGS_VERSION,
  type AppSettings,
} from './settings';
import { useTempFolder } from '../../../test/support/temp-folder';

// electron-store imports electron at the top; there is no Electron binary here. With an absolute
// `cwd` it needs nothing from it.
vi.mock('electron', () => ({ default: {} }));

const temp = useTempFolder('settings-test-', 'settings.json');

const backups = (): string[] =>
  fs.readdirSync(temp.dir).filter((f) => f.startsWith('settings.json.bak-'));
const readFile = (): Record<string, unknown> => JSON.parse(fs.readFileSync(temp.file, 'utf8'));

describe('openSettings', () => {
  it('starts from the defaults in a fresh directory, without problems or a file', () => {
    const s = openSettings({ cwd: temp.dir });
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(s.loadProblems).toEqual([]);
    expect(s.path).toBe(temp.file);
    expect(fs.existsSync(temp.file)).toBe(false);
  });

  it('persists an update across a reopen', () => {
    const s = openSettings({ cwd: temp.dir });
    const next = s.update({
      theme: 'dark',
      requestTimeoutMs: 10_000,
      piecesOsUrl: 'http://localhost:39300',
      lastActiveId: '5f0e7d2c-1b1a-4c3e-9d1f-0a2b3c4d5e6f',
      windowBounds: { x: -1200, y: 40, width: 800, height: 600 },
    });
    expect(next.theme).toBe('dark');

    const again = openSettings({ cwd: temp.dir });
    expect(again.get()).toEqual(next);
    expect(again.loadProblems).toEqual([]);
    expect(readFile().version).toBe(SETTINGS_VERSION);
  });

  it('keeps any account id the app lists as the last active one, "__proto__" and "../x" too', () => {
    for (const id of ['__proto__', '../escape', 'ops/ada lovelace', 'ünïcødé 名前 ✓']) {
      openSettings({ cwd: temp.dir }).update({ lastActiveId: id });
      expect(openSettings({ cwd: temp.dir }).get().lastActiveId).toBe(id);
    }
  });

  it('tells listeners about changes, not about no-ops, and stops after unsubscribe', () => {
    const s = openSettings({ cwd: temp.dir });
    const seen: AppSettings[] = [];
    const off = s.onChange((v) => seen.push(v));
    s.update({ notifications: false });
    s.update({ notifications: false });
    s.update({ theme: undefined });
    expect(seen.map((v) => v.notifications)).toEqual([false]);
    off();
    s.update({ notifications: true });
    expect(seen).toHaveLength(1);
  });

  it('hands out settings that cannot be changed behind its back', () => {
    const s = openSettings({ cwd: temp.dir });
    s.update({ windowBounds: { width: 500, height: 400 } });
    const got = s.get();
    expect(() => {
      (got as { theme: string }).theme = 'dark';
    }).toThrow();
    expect(() => {
      got.windowBounds!.width = 1;
    }).toThrow();
    expect(s.get().theme).toBe('system');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a timeout below 500', { requestTimeoutMs: 499 }, 'requestTimeoutMs'],
    ['a timeout above 60000', { requestTimeoutMs: 60_001 }, 'requestTimeoutMs'],
    ['a fractional timeout', { requestTimeoutMs: 1500.5 }, 'requestTimeoutMs'],
    ['a non-http URL', { piecesOsUrl: 'file:///etc/passwd' }, 'piecesOsUrl'],
    ['a string that is not a URL', { piecesOsUrl: 'localhost:1000' }, 'piecesOsUrl'],
    ['a URL on another computer', { piecesOsUrl: 'http://192.168.1.20:39300' }, 'piecesOsUrl'],
    [
      'a host name ending like loopback',
      { piecesOsUrl: 'https://127.0.0.1.example' },
      'piecesOsUrl',
    ],
    ['an unknown theme', { theme: 'blue' }, 'theme'],
    ['a non-boolean flag', { closeToTray: 'yes' }, 'closeToTray'],
    ['a control character in the last active id', { lastActiveId: 'a\nb' }, 'lastActiveId'],
    ['infinite bounds', { windowBounds: { width: Infinity, height: 600 } }, 'windowBounds.width'],
    ['NaN bounds', { windowBounds: { x: NaN, width: 800, height: 600 } }, 'windowBounds.x'],
    ['a key that is not a setting', { timeout: 4 }, 'timeout'],
    ['one bad field next to good ones', { theme: 'dark', requestTimeoutMs: 0 }, 'requestTimeoutMs'],
  ])('refuses %s, naming the field and changing nothing', (_, patch, fieldPath) => {
    const s = openSettings({ cwd: temp.dir });
    s.update({ theme: 'light' });
    const before = fs.readFileSync(temp.file);
    const seen = vi.fn();
    s.onChange(seen);

    let error: unknown;
    try {
      s.update(patch as Partial<AppSettings>);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PiecesError);
    expect((error as PiecesError).kind).toBe('invalid-input');
    expect((error as PiecesError).path).toBe(fieldPath);
    expect((error as PiecesError).message).toContain(fieldPath.split('.')[0]);

    expect(fs.readFileSync(temp.file).equals(before)).toBe(true);
    expect(s.get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'light' });
    expect(seen).not.toHaveBeenCalled();
  });

  it('refuses a patch that is not an object', () => {
    const s = openSettings({ cwd: temp.dir });
    expect(() => s.update(null as unknown as Partial<AppSettings>)).toThrow(PiecesError);
  });

  it('migrates a v0 file that stored the timeout in seconds', () => {
    fs.writeFileSync(temp.file, JSON.stringify({ timeout: 7, theme: 'dark', closeToTray: false }));
    const s = openSettings({ cwd: temp.dir });
    expect(s.get()).toEqual({
      ...DEFAULT_SETTINGS,
      requestTimeoutMs: 7000,
      theme: 'dark',
      closeToTray: false,
    });
    expect(s.loadProblems).toEqual([]);
    // Written back in the current format, so the migration runs once.
    const written = readFile();
    expect(written.version).toBe(SETTINGS_VERSION);
    expect(written.requestTimeoutMs).toBe(7000);
    expect(written).not.toHaveProperty('timeout');
  });

  it('resets a v0 timeout that converts to an unusable value, and says so', () => {
    fs.writeFileSync(temp.file, JSON.stringify({ timeout: 0.1 }));
    const s = openSettings({ cwd: temp.dir });
    expect(s.get().requestTimeoutMs).toBe(DEFAULT_SETTINGS.requestTimeoutMs);
    expect(s.loadProblems).toHaveLength(1);
    expect(s.loadProblems[0]).toContain('requestTimeoutMs');
  });

  it('survives a file that is not JSON: defaults, a byte-exact backup, one problem, once', () => {
    const original = Buffer.from('{"theme": "dark", oops\u0000');
    fs.writeFileSync(temp.file, original);

    const s = openSettings({ cwd: temp.dir });
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(backups()).toHaveLength(1);
    const backup = path.join(temp.dir, backups()[0]!);
    expect(fs.readFileSync(backup).equals(original)).toBe(true);
    expect(s.loadProblems).toHaveLength(1);
    expect(s.loadProblems[0]).toContain(backup);

    // The file was repaired, so the next start has nothing to report and makes no new backup.
    const again = openSettings({ cwd: temp.dir });
    expect(again.loadProblems).toEqual([]);
    expect(backups()).toHaveLength(1);
  });

  it('treats JSON that is not an object as damaged', () => {
    fs.writeFileSync(temp.file, '[1, 2, 3]');
    const s = openSettings({ cwd: temp.dir });
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(s.loadProblems).toHaveLength(1);
    expect(backups()).toHaveLength(1);
  });

  it('resets hand-edited invalid values to defaults and keeps the valid ones', () => {
    const original = JSON.stringify({
      version: 1,
      requestTimeoutMs: 'fast',
      piecesOsUrl: 'javascript:alert(1)',
      windowBounds: { width: -5, height: 10 },
      lastActiveId: 42,
      theme: 'dark',
      closeToTray: false,
      launchAtLogin: true,
    });
    fs.writeFileSync(temp.file, original);

    const s = openSettings({ cwd: temp.dir });
    expect(s.get()).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      closeToTray: false,
      launchAtLogin: true,
    });
    expect(s.loadProblems).toHaveLength(1);
    const [problem] = s.loadProblems;
    for (const field of ['requestTimeoutMs', 'piecesOsUrl', 'windowBounds', 'lastActiveId']) {
      expect(problem).toContain(field);
    }
    expect(problem).not.toContain('theme');
    const backup = path.join(temp.dir, backups()[0]!);
    expect(problem).toContain(backup);
    expect(fs.readFileSync(backup, 'utf8')).toBe(original);
  });

  it('says the Pieces OS address must be on this computer when it is not', () => {
    const s = openSettings({ cwd: temp.dir });
    expect(() => s.update({ piecesOsUrl: 'https://pieces.example' })).toThrow(
      'The setting "piecesOsUrl" must be an http:// or https:// address on this computer (localhost or 127.0.0.1), or null.',
    );
    for (const local of ['http://127.0.0.1:39300', 'http://127.8.9.10:1', 'http://[::1]:39300']) {
      expect(s.update({ piecesOsUrl: local }).piecesOsUrl).toBe(local);
    }
    expect(s.update({ piecesOsUrl: 'http://LOCALHOST:1000' }).piecesOsUrl).toBe(
      'http://LOCALHOST:1000',
    );
  });

  it('resets a Pieces OS address on another computer found in the file, and says so', () => {
    const original = JSON.stringify({
      version: SETTINGS_VERSION,
      piecesOsUrl: 'http://pieces.example:39300',
      theme: 'dark',
    });
    fs.writeFileSync(temp.file, original);
    const s = openSettings({ cwd: temp.dir });
    expect(s.get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(s.loadProblems).toHaveLength(1);
    expect(s.loadProblems[0]).toContain('(piecesOsUrl)');
    expect(readFile().piecesOsUrl).toBeNull();
    expect(fs.readFileSync(path.join(temp.dir, backups()[0]!), 'utf8')).toBe(original);
  });

  it('ignores __proto__ and constructor keys in the file without polluting prototypes', () => {
    fs.writeFileSync(
      temp.file,
      '{"version":1,"theme":"light","__proto__":{"polluted":"yes","theme":"dark"},' +
        '"constructor":{"prototype":{"polluted":"yes"}},"unknown":1}',
    );
    const s = openSettings({ cwd: temp.dir });
    const got = s.get();
    expect(got.theme).toBe('light');
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((got as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(got).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());

    // Unknown and dangerous keys are gone from the file too.
    const written = fs.readFileSync(temp.file, 'utf8');
    expect(written).not.toContain('__proto__');
    expect(written).not.toContain('unknown');
    expect(written).not.toContain('polluted');
  });

  it('reads what it knows from a file written by a newer version, keeping a copy', () => {
    fs.writeFileSync(temp.file, JSON.stringify({ version: 99, theme: 'dark', newThing: true }));
    const s = openSettings({ cwd: temp.dir });
    expect(s.get().theme).toBe('dark');
    expect(s.loadProblems).toHaveLength(1);
    expect(s.loadProblems[0]).toContain('newer version');
    expect(backups()).toHaveLength(1);
  });

  it('writes by replacing the file (atomic rename), leaving no temp files', () => {
    const s = openSettings({ cwd: temp.dir });
    s.update({ theme: 'dark' });
    const inode = fs.statSync(temp.file).ino;
    s.update({ theme: 'light' });
    // An in-place write keeps the inode; a write to a temp file renamed over the old one does not.
    expect(fs.statSync(temp.file).ino).not.toBe(inode);
    expect(fs.readdirSync(temp.dir)).toEqual(['settings.json']);
  });

  it('uses the given file name', () => {
    const s = openSettings({ cwd: temp.dir, name: 'other' });
    s.update({ theme: 'dark' });
    expect(s.path).toBe(path.join(temp.dir, 'other.json'));
    expect(fs.existsSync(path.join(temp.dir, 'other.json'))).toBe(true);
  });
});

describe('the sign-in provider setting', () => {
  const provider = {
    issuer: 'https://login.example.com',
    clientId: 'switcher',
    scopes: ['openid', 'email'],
  };

  it('persists a provider and hands out a frozen copy', () => {
    openSettings({ cwd: temp.dir }).update({ oauthProvider: provider });
    const s = openSettings({ cwd: temp.dir });
    expect(s.get().oauthProvider).toEqual(provider);
    expect(Object.isFrozen(s.get().oauthProvider)).toBe(true);
    expect(Object.isFrozen(s.get().oauthProvider!.scopes)).toBe(true);
    expect(s.update({ oauthProvider: null }).oauthProvider).toBeNull();
  });

  it('refuses an http issuer off loopback, naming the rule', () => {
    const s = openSettings({ cwd: temp.dir });
    expect(() =>
      s.update({ oauthProvider: { ...provider, issuer: 'http://login.example.com' } }),
    ).toThrow(/oauthProvider" must be .*https:\/\//);
    expect(s.get().oauthProvider).toBeNull();
    expect(
      s.update({ oauthProvider: { ...provider, issuer: 'http://127.0.0.1:4000' } }).oauthProvider,
    ).toMatchObject({ issuer: 'http://127.0.0.1:4000' });
  });

  it('resets a hand-edited invalid provider to none, and says so', () => {
    fs.writeFileSync(
      temp.file,
      JSON.stringify({
        version: SETTINGS_VERSION,
        oauthProvider: { issuer: 'ftp://x', clientId: 'a' },
      }),
    );
    const s = openSettings({ cwd: temp.dir });
    expect(s.get().oauthProvider).toBeNull();
    expect(s.loadProblems.join(' ')).toContain('oauthProvider');
  });
});

describe('publicSettings', () => {
  it('leaves out what the renderer has no business with', () => {
    const pub = publicSettings({
      ...DEFAULT_SETTINGS,
      lastActiveId: 'abc',
      windowBounds: { width: 500, height: 500 },
    });
    expect(Object.keys(pub).sort()).toEqual(
      [
        'allowPlaintextTokens',
        'closeToTray',
        'launchAtLogin',
        'notifications',
        'oauthProvider',
        'piecesOsUrl',
        'quickSwitchShortcut',
        'requestTimeoutMs',
        'signInTimeoutMs',
        'theme',
      ].sort(),
    );
  });
});

describe('the quick switch shortcut setting', () => {
  it('starts at CommandOrControl+Alt+P, keeps "" as off, and resets a hand-edited bad one with a notice', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pieces-settings-shortcut-'));
    try {
      const s = openSettings({ cwd: dir });
      expect(s.get().quickSwitchShortcut).toBe('CommandOrControl+Alt+P');
      s.update({ quickSwitchShortcut: '' });
      expect(openSettings({ cwd: dir }).get().quickSwitchShortcut).toBe('');
      expect(() => s.update({ quickSwitchShortcut: 'Shift+P' })).toThrow(/shortcut/);
      fs.writeFileSync(
        path.join(dir, 'settings.json'),
        JSON.stringify({ quickSwitchShortcut: 'P' }),
      );
      const again = openSettings({ cwd: dir });
      expect(again.get().quickSwitchShortcut).toBe('CommandOrControl+Alt+P');
      expect(again.loadProblems.join(' ')).toContain('quickSwitchShortcut');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
