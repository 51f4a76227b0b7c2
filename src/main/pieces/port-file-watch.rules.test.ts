// The debounce asked for by the port file watcher, on a real folder: a change waits the default
// 100 ms unless told otherwise. Timers are recorded, not waited for.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_DEBOUNCE_MS,
  watchPortFiles,
  type PortFileWatch,
  type Timers,
} from './port-file-watch';

const dirs: string[] = [];
const watches: PortFileWatch[] = [];

afterEach(async () => {
  for (const w of watches.splice(0)) w.close();
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** The delay of the first timer the watcher asks for after a write to its port file. */
async function delayAskedFor(debounceMs?: number): Promise<unknown> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pieces-watch-rules-'));
  dirs.push(dir);
  const file = path.join(dir, '.port.txt');
  let asked!: (ms: unknown) => void;
  const firstAsk = new Promise<unknown>((resolve) => (asked = resolve));
  const timers: Timers = {
    setTimeout(_fn, ms) {
      asked(ms);
      return 1;
    },
    clearTimeout() {},
  };
  watches.push(
    watchPortFiles(
      [file],
      () => {},
      debounceMs === undefined ? { timers } : { timers, debounceMs },
    ),
  );
  await writeFile(file, '39300');
  return firstAsk;
}

describe('watchPortFiles debounce', () => {
  it('waits 100 ms by default', async () => {
    expect(DEFAULT_DEBOUNCE_MS).toBe(100);
    expect(await delayAskedFor()).toBe(100);
  });

  it('waits the time it is told', async () => {
    expect(await delayAskedFor(250)).toBe(250);
  });
});

describe('watchPortFiles: a folder removed and created again', () => {
  it('counts the removal as a change, and follows the folder once rearm() finds it again', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'pieces-watch-rules-'));
    dirs.push(root);
    const dir = path.join(root, 'Config');
    await mkdir(dir);
    const file = path.join(dir, '.port.txt');
    let changed!: () => void;
    let change = new Promise<void>((resolve) => (changed = resolve));
    const w = watchPortFiles([file], () => changed(), { debounceMs: 0 });
    watches.push(w);
    expect(w.watching()).toEqual([dir]);

    // Pieces OS uninstalled: the folder goes, and with it the port.
    await rm(dir, { recursive: true });
    await change;
    expect(w.watching()).toEqual([]);

    // Installed again: the next search re-arms, and a new port written there is seen.
    change = new Promise<void>((resolve) => (changed = resolve));
    await mkdir(dir);
    w.rearm();
    expect(w.watching()).toEqual([dir]);
    await writeFile(file, '39302');
    await change;
  });

  it('a file in the folder named like the folder is not the folder going away', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'pieces-watch-rules-'));
    dirs.push(root);
    const dir = path.join(root, 'Config');
    await mkdir(dir);
    const w = watchPortFiles([path.join(dir, '.port.txt')], () => {});
    watches.push(w);
    // A second watcher of the same folder, for that file, tells when the event was delivered.
    let seen!: () => void;
    const delivered = new Promise<void>((resolve) => (seen = resolve));
    watches.push(watchPortFiles([path.join(dir, 'Config')], () => seen(), { debounceMs: 0 }));
    await writeFile(path.join(dir, 'Config'), 'x');
    await delivered;
    expect(w.watching()).toEqual([dir]);
  });
});
