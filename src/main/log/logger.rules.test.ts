// The logger's rules one at a time, against the real electron-log writing real files: which
// console method an entry goes to, when background entries are handled, what flush() writes at
// once, where a logger without a file writes (nowhere), and the owner-only folders it makes.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, rotatedPath } from './logger';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pieces-log-rules-'));
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** The console, one list of printed lines per method. */
function consoleByMethod() {
  const printed: Record<'log' | 'info' | 'warn' | 'error' | 'debug', string[]> = {
    log: [],
    info: [],
    warn: [],
    error: [],
    debug: [],
  };
  for (const method of Object.keys(printed) as (keyof typeof printed)[]) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      // Without electron-log's time stamp ("12:00:00.000 › "), which says nothing here.
      printed[method].push(
        args
          .map(String)
          .join(' ')
          .replace(/^[\d:.]+ › /, ''),
      );
    });
  }
  return printed;
}

const lines = (file: string): string[] =>
  (existsSync(file) ? readFileSync(file, 'utf8') : '')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.replace(/^\[[^\]]*\] \[\w+\]\s+/, ''));

describe('the console, when asked for', () => {
  it('gets errors on console.error, warnings on console.warn and the rest on console.info', () => {
    const printed = consoleByMethod();
    const log = createLogger({ console: true });
    log.error('it broke');
    log.warn('it wobbled');
    log.info('it went');
    expect(printed).toEqual({
      log: [],
      info: ['it went'],
      warn: ['it wobbled'],
      error: ['it broke'],
      debug: [],
    });
  });
});

describe('background entries', () => {
  it('are handled when the delay is over, not while the caller runs, and each burst gets its turn', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const printed = consoleByMethod();
    const log = createLogger({ console: true, background: true });
    log.info('first burst, one');
    log.warn('first burst, two');
    expect(printed.info).toEqual([]);
    expect(printed.warn).toEqual([]);
    await vi.runAllTimersAsync();
    expect(printed.info).toEqual(['first burst, one']);
    expect(printed.warn).toEqual(['first burst, two']);
    // A later entry gets a turn of its own: the queue was emptied, not left holding anything.
    log.error('second burst');
    expect(printed.error).toEqual([]);
    await vi.runAllTimersAsync();
    expect(printed.error).toEqual(['second burst']);
    expect(printed.info).toEqual(['first burst, one']);
  });
});

describe('flush()', () => {
  it('puts the queued lines into the file before it returns', async () => {
    const file = join(dir, 'main.log');
    const log = createLogger({ file, background: true });
    for (let i = 0; i < 20; i++) log.info(`line ${i}`);
    log.flush?.();
    // Read synchronously, before any background write could land: at most the one line
    // electron-log had already handed to the disk may still be on its way.
    const atOnce = lines(file);
    expect(atOnce.length).toBeGreaterThanOrEqual(19);
    expect(atOnce).toContain('line 19');
    await log.settled?.();
    expect(lines(file).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i}`).sort());
  });

  it('counts what it wrote, so the file is still rotated at its size', async () => {
    const file = join(dir, 'main.log');
    const log = createLogger({ file, background: true, maxSize: 2_000 });
    // Flushed lines only: electron-log knows their size only from flush's count.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 20; i++) log.info(`round ${round} line ${i} ${'x'.repeat(40)}`);
      log.flush?.();
      await log.settled?.();
    }
    log.info('after the flushes');
    await log.settled?.();
    expect(existsSync(rotatedPath(file))).toBe(true);
    expect(statSync(file).size).toBeLessThan(4_000);
    expect(lines(file)).toContain('after the flushes');
  });

  it('of a logger that writes at once, or to no file, does nothing and throws nothing', async () => {
    const file = join(dir, 'main.log');
    const now = createLogger({ file });
    now.info('written at once');
    expect(() => now.flush?.()).not.toThrow();
    await now.settled?.();
    expect(lines(file)).toEqual(['written at once']);
    const nowhere = createLogger();
    expect(() => nowhere.flush?.()).not.toThrow();
    await nowhere.settled?.();
  });
});

describe('a background logger without a file', () => {
  it('writes nowhere, not even to a default path, when it flushes and settles', async () => {
    const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
    // electron-log's default file would be under these: an empty home shows nothing went there.
    process.env.HOME = dir;
    process.env.XDG_CONFIG_HOME = join(dir, '.config');
    try {
      const log = createLogger({ background: true });
      log.info('nothing', { a: 1 });
      log.flush?.();
      await log.settled?.();
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe.skipIf(process.platform === 'win32')('the log folder', () => {
  it('is made with every missing parent, owner-only', () => {
    const file = join(dir, 'a', 'b', 'logs', 'main.log');
    const log = createLogger({ file });
    log.info('here');
    expect(lines(file)).toEqual(['here']);
    for (const folder of ['a', 'a/b', 'a/b/logs']) {
      expect(statSync(join(dir, folder)).mode & 0o777).toBe(0o700);
    }
  });
});
