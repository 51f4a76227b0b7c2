// The port file watcher on real folders in a temp dir.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchPortFiles, type PortFileWatch, type Timers } from './port-file-watch';

const dirs: string[] = [];
const watches: PortFileWatch[] = [];

afterEach(async () => {
  for (const w of watches.splice(0)) w.close();
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pieces-watch-'));
  dirs.push(dir);
  return dir;
}

/** Timers the test fires by hand, so the debounce is seen without waiting for time. */
function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: Timers = {
    setTimeout(fn) {
      pending.set(++next, fn);
      return next;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  let onSet: (() => void) | undefined;
  const wrapped: Timers = {
    setTimeout(fn, ms) {
      const h = timers.setTimeout(fn, ms);
      onSet?.();
      return h;
    },
    clearTimeout: timers.clearTimeout,
  };
  return {
    timers: wrapped,
    pending,
    /** Resolves when the watcher next asks for a timer. */
    nextSet: () => new Promise<void>((resolve) => (onSet = resolve)),
    fireAll() {
      const fns = [...pending.values()];
      pending.clear();
      for (const fn of fns) fn();
    },
  };
}

function watchOf(files: string[], onChange: () => void, timers?: Timers) {
  const w = watchPortFiles(files, onChange, timers ? { timers } : {});
  watches.push(w);
  return w;
}

describe('watchPortFiles', () => {
  it('reports a new port written to the file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, '.port.txt');
    let changed!: () => void;
    const change = new Promise<void>((resolve) => (changed = resolve));
    const w = watchOf([file], () => changed());
    expect(w.watching()).toEqual([dir]);
    await writeFile(file, '39301');
    await change;
  });

  it('debounces a series of changes into one call', async () => {
    const dir = await tempDir();
    const file = path.join(dir, '.port.txt');
    const t = manualTimers();
    let calls = 0;
    watchOf([file], () => calls++, t.timers);
    const set = t.nextSet();
    await writeFile(file, '39300');
    await writeFile(file, '39301');
    await writeFile(file, '39302');
    await set;
    // However many events arrived, one timer is pending: each replaced the one before.
    expect(t.pending.size).toBe(1);
    t.fireAll();
    expect(calls).toBe(1);
  });

  it('ignores other files in the folder', async () => {
    const dir = await tempDir();
    const t = manualTimers();
    watchOf([path.join(dir, '.port.txt')], () => {}, t.timers);
    // A second watcher of the same folder, for the other file, tells when the event was delivered.
    let seen!: () => void;
    const delivered = new Promise<void>((resolve) => (seen = resolve));
    watchOf([path.join(dir, 'other.txt')], () => seen());
    await writeFile(path.join(dir, 'other.txt'), 'x');
    await delivered;
    expect(t.pending.size).toBe(0);
  });

  it('tolerates a missing folder, and watches it once rearm() finds it', async () => {
    const root = await tempDir();
    const dir = path.join(root, 'com.pieces.os', 'production', 'Config');
    const file = path.join(dir, '.port.txt');
    let changed!: () => void;
    const change = new Promise<void>((resolve) => (changed = resolve));
    const w = watchOf([file, path.join(root, 'missing', '.port.txt')], () => changed());
    expect(w.watching()).toEqual([]);
    w.rearm();
    expect(w.watching()).toEqual([]);
    await mkdir(dir, { recursive: true });
    w.rearm();
    expect(w.watching()).toEqual([dir]);
    await writeFile(file, '39305');
    await change;
  });

  it('close stops watching and cancels a pending call', async () => {
    const dir = await tempDir();
    const file = path.join(dir, '.port.txt');
    const t = manualTimers();
    let calls = 0;
    const w = watchOf([file], () => calls++, t.timers);
    const set = t.nextSet();
    await writeFile(file, '39300');
    await set;
    w.close();
    expect(t.pending.size).toBe(0);
    expect(w.watching()).toEqual([]);
    w.rearm();
    expect(w.watching()).toEqual([]);
    expect(calls).toBe(0);
  });
});
