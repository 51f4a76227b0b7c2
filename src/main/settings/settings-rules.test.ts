// The settings store's rules one at a time: reading old and odd files, when the file is (and is
// not) written, what happens when the disk refuses a write, and what a caller is told. Real files
// in a temp dir; a refused copy is a disk fault injected into node:fs.
import fs from 'node:fs';
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

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const ADA = '5f0e7d2c-1b1a-4c3e-9d1f-0a2b3c4d5e6f';

const temp = useTempFolder('settings-rules-', 'settings.json');

const backups = (): string[] =>
  fs.readdirSync(temp.dir).filter((f) => f.startsWith('settings.json.bak-'));
const write = (value: unknown): void => fs.writeFileSync(temp.file, JSON.stringify(value));
/** Puts a file where the settings folder was, so nothing can be written into it. */
const breakFolder = (): void => {
  fs.rmSync(temp.dir, { recursive: true, force: true });
  fs.writeFileSync(temp.dir, 'not a folder');
};
const mendFolder = (): void => {
  fs.rmSync(temp.dir, { force: true });
  fs.mkdirSync(temp.dir);
};
const diskFull = () =>
  vi.spyOn(fs, 'copyFileSync').mockImplementation(() => {
    throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
  });

describe('reading files of older versions', () => {
  it('a version-0 file without the old timeout keeps the default timeout, without a problem', () => {
    write({ theme: 'dark' });
    const s = openSettings({ cwd: temp.dir });
    expect(s.get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(s.loadProblems).toEqual([]);
  });

  it('a version-0 file that already has requestTimeoutMs keeps it over the old timeout', () => {
    write({ timeout: 7, requestTimeoutMs: 5000 });
    const s = openSettings({ cwd: temp.dir });
    expect(s.get().requestTimeoutMs).toBe(5000);
    expect(s.loadProblems).toEqual([]);
  });

  it('an old timeout that is not a number is reset and said, not multiplied', () => {
    write({ timeout: '7' });
    const s = openSettings({ cwd: temp.dir });
    expect(s.get().requestTimeoutMs).toBe(DEFAULT_SETTINGS.requestTimeoutMs);
    expect(s.loadProblems.join(' ')).toContain('(requestTimeoutMs)');
  });

  it.each<[string, unknown]>([
    ['a string', '5'],
    ['a fraction', 1.5],
    ['a negative number', -1],
  ])('a file whose version is %s is read as version 0', (_, version) => {
    write({ version, timeout: 7 });
    const s = openSettings({ cwd: temp.dir });
    expect(s.get().requestTimeoutMs).toBe(7000);
    expect(s.loadProblems).toEqual([]);
  });
});

describe('reading damaged files', () => {
  it('makes one copy per start, however many reasons there are to keep the original', () => {
    write({ version: 99, theme: 'blue' });
    const s = openSettings({ cwd: temp.dir });
    expect(s.loadProblems).toHaveLength(2);
    expect(backups()).toHaveLength(1);
    const copy = path.join(temp.dir, backups()[0]!);
    for (const problem of s.loadProblems) expect(problem).toContain(copy);
  });

  it('lists the reset settings as words separated by commas', () => {
    write({ version: SETTINGS_VERSION, requestTimeoutMs: 'fast', theme: 'blue' });
    expect(openSettings({ cwd: temp.dir }).loadProblems[0]).toContain('(requestTimeoutMs, theme)');
  });

  it('runs on exactly the defaults when the file cannot be read', () => {
    fs.mkdirSync(temp.file);
    expect(openSettings({ cwd: temp.dir }).get()).toEqual(DEFAULT_SETTINGS);
  });

  it('never overwrites a damaged file it could not copy aside, and says why', () => {
    const original = JSON.stringify({ version: SETTINGS_VERSION, theme: 'blue', notifications: 1 });
    fs.writeFileSync(temp.file, original);
    diskFull();
    const s = openSettings({ cwd: temp.dir });
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(s.loadProblems).toHaveLength(1);
    expect(s.loadProblems[0]).toContain('A copy of the original file could not be made (ENOSPC).');
    expect(fs.readFileSync(temp.file, 'utf8')).toBe(original);
  });

  it('never overwrites a file that is not JSON when it could not copy it aside', () => {
    fs.writeFileSync(temp.file, '{"theme": oops');
    diskFull();
    const s = openSettings({ cwd: temp.dir });
    expect(s.loadProblems[0]).toContain('could not be made (ENOSPC)');
    expect(fs.readFileSync(temp.file, 'utf8')).toBe('{"theme": oops');
  });

  it('leaves a sound file of this version as the person wrote it', () => {
    const handWritten = `${JSON.stringify({ version: SETTINGS_VERSION, ...DEFAULT_SETTINGS, theme: 'dark' })}\n`;
    fs.writeFileSync(temp.file, handWritten);
    const s = openSettings({ cwd: temp.dir });
    expect(s.get().theme).toBe('dark');
    expect(fs.readFileSync(temp.file, 'utf8')).toBe(handWritten);
  });
});

describe('when the file is written', () => {
  it('flush with nothing changed writes nothing', () => {
    openSettings({ cwd: temp.dir }).flush();
    expect(fs.existsSync(temp.file)).toBe(false);
  });

  it('flush after an update that was saved writes nothing more', () => {
    const s = openSettings({ cwd: temp.dir });
    s.update({ theme: 'dark' });
    const inode = fs.statSync(temp.file).ino;
    s.flush();
    expect(fs.statSync(temp.file).ino).toBe(inode);
  });

  it('remembering what is already in force tells nobody and writes nothing', async () => {
    const s = openSettings({ cwd: temp.dir });
    s.remember({ lastActiveId: ADA });
    await s.settled();
    const inode = fs.statSync(temp.file).ino;
    const told = vi.fn();
    s.onChange(told);
    expect(s.remember({ lastActiveId: ADA }).lastActiveId).toBe(ADA);
    await s.settled();
    expect(told).not.toHaveBeenCalled();
    expect(fs.statSync(temp.file).ino).toBe(inode);
  });

  it('with a settings file that cannot be read, remembering writes nothing and reports nothing', async () => {
    fs.mkdirSync(temp.file);
    const problems: string[] = [];
    const s = openSettings({ cwd: temp.dir, onWriteError: (m) => problems.push(m) });
    expect(s.remember({ lastActiveId: ADA }).lastActiveId).toBe(ADA);
    await s.settled();
    expect(problems).toEqual([]);
    expect(fs.statSync(temp.file).isDirectory()).toBe(true);
  });
});

describe('when the disk refuses a write', () => {
  it('a failed background write without anyone to tell still settles, the change in force', async () => {
    const s = openSettings({ cwd: temp.dir });
    breakFolder();
    s.remember({ lastActiveId: ADA });
    await expect(s.settled()).resolves.toBeUndefined();
    expect(s.get().lastActiveId).toBe(ADA);
    fs.rmSync(temp.dir, { force: true });
  });

  it('what a failed background write could not save is saved by flush once the disk is back', async () => {
    const s = openSettings({ cwd: temp.dir, onWriteError: () => undefined });
    breakFolder();
    s.remember({ lastActiveId: ADA });
    await s.settled();
    mendFolder();
    s.flush();
    expect(JSON.parse(fs.readFileSync(temp.file, 'utf8'))).toMatchObject({ lastActiveId: ADA });
  });

  it('a flush that fails is said in words, and without anyone to tell it does not throw', async () => {
    const problems: string[] = [];
    const s = openSettings({ cwd: temp.dir, onWriteError: (m) => problems.push(m) });
    const quiet = openSettings({ cwd: temp.dir, name: 'other' });
    breakFolder();
    s.remember({ lastActiveId: ADA });
    quiet.remember({ lastActiveId: ADA });
    await Promise.all([s.settled(), quiet.settled()]);
    problems.length = 0;
    s.flush();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^The settings could not be saved \([A-Z]+\)\.$/);
    expect(() => quiet.flush()).not.toThrow();
    fs.rmSync(temp.dir, { force: true });
  });

  it('an update that cannot be saved throws in words and changes nothing', () => {
    const s = openSettings({ cwd: temp.dir });
    const told = vi.fn();
    s.onChange(told);
    breakFolder();
    let error: unknown;
    try {
      s.update({ theme: 'dark' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PiecesError);
    expect((error as PiecesError).kind).toBe('internal');
    expect((error as PiecesError).message).toMatch(
      /^The settings could not be saved \([A-Z]+\)\.$/,
    );
    expect(s.get().theme).toBe('system');
    expect(told).not.toHaveBeenCalled();
    fs.rmSync(temp.dir, { force: true });
  });
});

describe('what callers are told', () => {
  it('a listener that throws is reported and neither fails the update nor starves the others', () => {
    const reported = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const s = openSettings({ cwd: temp.dir });
    const seen: string[] = [];
    s.onChange(() => {
      throw new Error('broken listener');
    });
    s.onChange((next) => seen.push(next.theme));
    expect(s.update({ theme: 'dark' }).theme).toBe('dark');
    expect(seen).toEqual(['dark']);
    expect(reported).toHaveBeenCalledWith('A settings listener failed:', expect.any(Error));
  });

  it('a patch that is not an object gets words saying what settings must be', () => {
    const s = openSettings({ cwd: temp.dir });
    let error: unknown;
    try {
      s.update(null as unknown as Partial<AppSettings>);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PiecesError);
    expect((error as PiecesError).kind).toBe('invalid-input');
    expect((error as PiecesError).message).toBe(
      'Settings must be given as an object of fields to change.',
    );
  });

  it('publicSettings hands the renderer its own copy of the provider, and null as null', () => {
    const s = openSettings({ cwd: temp.dir });
    const provider = { issuer: 'https://login.example.com', clientId: 'app', scopes: ['openid'] };
    const stored = s.update({ oauthProvider: provider });
    const pub = publicSettings(stored);
    expect(pub.oauthProvider).toEqual(provider);
    expect(pub.oauthProvider).not.toBe(stored.oauthProvider);
    expect(pub.oauthProvider!.scopes).not.toBe(stored.oauthProvider!.scopes);
    pub.oauthProvider!.scopes.push('email');
    expect(s.get().oauthProvider!.scopes).toEqual(['openid']);
    expect(publicSettings(DEFAULT_SETTINGS).oauthProvider).toBeNull();
  });
});
