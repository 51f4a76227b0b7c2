// The app's log appends in the background (no action waits for the disk): every line still
// arrives, redacted and in order, and what is queued at quit is written by flush().
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger';

const OPAQUE = 'opaque-access-bg-4k8m2n6p';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pieces-log-bg-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entries = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.replace(/^\[[^\]]*\] \[\w+\]\s+/, ''));

describe('createLogger({ background: true })', () => {
  it('writes every line, redacted and in order, once settled', async () => {
    const file = join(dir, 'main.log');
    const log = createLogger({ file, background: true });
    log.addSecret(OPAQUE);
    for (let i = 0; i < 50; i++) log.info(`entry ${i} ${OPAQUE}`);
    await log.settled?.();
    expect(entries(file)).toEqual(Array.from({ length: 50 }, (_, i) => `entry ${i} [redacted]`));
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('writes nothing while the caller runs: the entry is handled after its turn', async () => {
    const file = join(dir, 'main.log');
    const log = createLogger({ file, background: true });
    log.info('operation started', { kind: 'switch' });
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '').toBe('');
    await log.settled?.();
    expect(entries(file)).toEqual(['operation started {"kind":"switch"}']);
  });

  it('flush writes the lines still queued, synchronously, and none twice', async () => {
    const file = join(dir, 'main.log');
    const log = createLogger({ file, background: true });
    for (let i = 0; i < 20; i++) log.info(`line ${i}`);
    log.flush?.();
    await log.settled?.();
    const got = entries(file);
    expect(got).toHaveLength(20);
    expect([...got].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i}`).sort());
  });

  it('settles at once when nothing was written', async () => {
    const log = createLogger({ file: join(dir, 'main.log'), background: true });
    await log.settled?.();
    log.flush?.();
    const file = join(dir, 'main.log');
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '').toBe('');
  });
});
