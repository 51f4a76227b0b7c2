import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notice } from '../shared/domain';
import { createLogger } from './log/logger';
import { catchStrayErrors, STRAY_ERROR_NOTICE } from './stray-errors';

const TOKEN = 'stray-error-access-token-0123456789abcdef';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pieces-stray-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('catchStrayErrors', () => {
  it('logs an uncaught exception and an unhandled rejection (redacted) and tells the person in words', () => {
    // A stand-in for `process`: emitting 'uncaughtException' on the real one would reach the
    // test runner's own handler too.
    const proc = new EventEmitter();
    const file = join(dir, 'main.log');
    const log = createLogger({ file });
    log.addToken({ access_token: TOKEN });
    const shown: Notice[] = [];
    const stop = catchStrayErrors(proc, { log, notify: (n) => shown.push(n) });

    proc.emit('uncaughtException', new TypeError(`cannot read x of undefined near ${TOKEN}`));
    proc.emit('unhandledRejection', `rejected with ${TOKEN}`);

    const text = readFileSync(file, 'utf8');
    expect(text).toContain('An exception in the main process was not caught');
    expect(text).toContain('TypeError: cannot read x of undefined');
    expect(text).toContain('A promise rejection in the main process was not handled');
    expect(text).not.toContain(TOKEN);
    expect(shown).toEqual([STRAY_ERROR_NOTICE, STRAY_ERROR_NOTICE]);
    expect(STRAY_ERROR_NOTICE.message).not.toMatch(/TypeError|at .*:\d+/);

    stop();
    expect(proc.listenerCount('uncaughtException')).toBe(0);
    expect(proc.listenerCount('unhandledRejection')).toBe(0);
  });
});
