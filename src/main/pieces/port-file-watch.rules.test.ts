// The debounce asked for by the port file watcher, on a real folder: a change waits the default
// 100 ms unless told otherwise. Timers are recorded, not waited for.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
