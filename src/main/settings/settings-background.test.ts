// Settings the app keeps for itself on busy paths (the last active account) are written in the
// background: in force at once, on disk a moment later, several changes in one write, never an
// older file over a newer one, and written synchronously on quit.
import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { openSettings } from './settings';
import { useTempFolder } from '../../../test/support/temp-folder';

// electron-store imports electron at the top; there is no Electron binary here. With an absolute
// `cwd` it needs nothing from it.
vi.mock('electron', () => ({ default: {} }));

const ADA = '5f0e7d2c-1b1a-4c3e-9d1f-0a2b3c4d5e6f';
const GRACE = '6a1f8e3d-2c2b-4d4f-8e2a-1b3c4d5e6f70';
const ALAN = '7b2a9f4e-3d3c-4e5a-9f3b-2c4d5e6f7081';

const temp = useTempFolder('settings-bg-test-', 'settings.json');

const onDisk = (): Record<string, unknown> => JSON.parse(fs.readFileSync(temp.file, 'utf8'));

describe('settings.remember', () => {
  it('is in force at once, tells listeners, and is on disk once settled, with no temp files', async () => {
    const s = openSettings({ cwd: temp.dir });
    const told: (string | null)[] = [];
    s.onChange((next) => told.push(next.lastActiveId));
    expect(s.remember({ lastActiveId: ADA }).lastActiveId).toBe(ADA);
    expect(s.get().lastActiveId).toBe(ADA);
    expect(told).toEqual([ADA]);
    await s.settled();
    expect(onDisk()).toMatchObject({ lastActiveId: ADA });
    expect(fs.readdirSync(temp.dir)).toEqual(['settings.json']);
    expect(openSettings({ cwd: temp.dir }).get().lastActiveId).toBe(ADA);
  });

  it('validates like update and changes nothing on bad input', () => {
    const s = openSettings({ cwd: temp.dir });
    expect(() => s.remember({ lastActiveId: 'bad\u0000id' })).toThrow(/last active id|user id/i);
    expect(s.get().lastActiveId).toBeNull();
  });

  it('writes a burst of changes in one write, ending with the latest', async () => {
    const s = openSettings({ cwd: temp.dir });
    const renames = vi.spyOn(fs.promises, 'rename');
    s.remember({ lastActiveId: ADA });
    s.remember({ lastActiveId: GRACE });
    s.remember({ lastActiveId: ALAN });
    await s.settled();
    expect(onDisk()).toMatchObject({ lastActiveId: ALAN });
    expect(renames).toHaveBeenCalledTimes(1);
  });

  it('writes changes that come while a write runs in one more write, ending with the latest', async () => {
    const s = openSettings({ cwd: temp.dir });
    const renames = vi.spyOn(fs.promises, 'rename');
    const open = fs.promises.open.bind(fs.promises);
    let began!: () => void;
    const writing = new Promise<void>((resolve) => (began = resolve));
    vi.spyOn(fs.promises, 'open').mockImplementation((...args) => {
      began();
      return open(...args);
    });
    s.remember({ lastActiveId: ADA });
    const done = s.settled(); // starts the write now, with ADA
    await writing;
    s.remember({ lastActiveId: GRACE });
    s.remember({ lastActiveId: ALAN });
    await done;
    expect(onDisk()).toMatchObject({ lastActiveId: ALAN });
    // ADA's write was under way; GRACE and ALAN came meanwhile and went in one more write.
    expect(renames).toHaveBeenCalledTimes(2);
  });

  it('never puts an older file over what a synchronous update wrote meanwhile', async () => {
    const s = openSettings({ cwd: temp.dir });
    s.remember({ lastActiveId: ADA });
    s.update({ theme: 'dark' });
    await s.settled();
    expect(onDisk()).toMatchObject({ lastActiveId: ADA, theme: 'dark' });
    s.remember({ lastActiveId: GRACE });
    s.update({ theme: 'light' });
    s.remember({ lastActiveId: ALAN });
    await s.settled();
    expect(onDisk()).toMatchObject({ lastActiveId: ALAN, theme: 'light' });
  });

  it('flush writes what is not on disk yet, synchronously (on quit)', () => {
    const s = openSettings({ cwd: temp.dir });
    s.remember({ lastActiveId: GRACE });
    s.flush();
    expect(onDisk()).toMatchObject({ lastActiveId: GRACE });
  });

  it('a failed background write is said in words, and the change stays in force', async () => {
    const problems: string[] = [];
    const s = openSettings({ cwd: temp.dir, onWriteError: (m) => problems.push(m) });
    // The folder is gone and a file stands in its place: nothing can be written there.
    fs.rmSync(temp.dir, { recursive: true, force: true });
    fs.writeFileSync(temp.dir, 'not a folder');
    s.remember({ lastActiveId: ADA });
    await s.settled();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^The settings could not be saved \([A-Z]+\); the change is kept until the app quits\.$/,
    );
    expect(s.get().lastActiveId).toBe(ADA);
    fs.rmSync(temp.dir, { force: true });
  });
});
