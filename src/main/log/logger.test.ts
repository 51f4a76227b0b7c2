import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, rotatedPath } from './logger';
import { REDACTED, createRedactor } from './redact';

// A JWT-shaped value (header {"alg":"HS256","typ":"JWT"}) and opaque tokens nobody could guess.
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiZW1haWwiOiJhQGIuYyJ9.c2lnbmF0dXJlLXZhbHVl';
const OPAQUE = 'opaque-access-7f3k2m9q1z';
const REFRESH = 'opaque-refresh-p0o9i8u7y6';

/** Everything printed on the console until restore(). */
function captureOutput() {
  const chunks: string[] = [];
  const record = (...args: unknown[]) => void chunks.push(args.map(String).join(' '));
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation(record),
  );
  return {
    text: () => chunks.join('\n'),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}

describe('redactor', () => {
  it('removes registered secrets, JWTs, bearer credentials and secret key values from text', () => {
    const r = createRedactor();
    r.addToken({ access_token: OPAQUE, refresh_token: REFRESH, token_type: 'Bearer' });
    const text = [
      `sent ${OPAQUE} and ${REFRESH}`,
      `jwt ${JWT}`,
      'Authorization: Bearer abcdefgh12345678',
      '{"access_token":"q\\"uoted-value","token_type":"Bearer","expires_in":3600}',
      'https://x.example/cb?code=1&id_token=abc.def.ghi&state=2',
      "refreshToken='single-quoted-secret'",
      'password=hunter2hunter2',
    ].join('\n');
    const out = r.redact(text);
    for (const secret of [
      OPAQUE,
      REFRESH,
      JWT,
      'abcdefgh12345678',
      'uoted-value',
      'abc.def.ghi',
      'single-quoted-secret',
      'hunter2',
    ]) {
      expect(out).not.toContain(secret);
    }
    // What is not a secret survives, so the log stays useful.
    expect(out).toContain('"token_type":"Bearer"');
    expect(out).toContain('"expires_in":3600');
    expect(out).toContain('state=2');
    expect(out).toContain(REDACTED);
  });

  it('ignores secrets too short to be tokens, so ordinary words are not blanked', () => {
    const r = createRedactor();
    r.addSecret('ok');
    r.addSecret('');
    r.addSecret(42);
    expect(r.redact('ok then')).toBe('ok then');
  });

  it('blanks secret keys at any depth of a value and survives cycles, errors and __proto__ keys', () => {
    const r = createRedactor();
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    const hostile = JSON.parse(
      '{"__proto__":{"polluted":true},"Authorization":"Basic dXNlcjpwdw=="}',
    );
    const out = r.redactValue({
      token: { access_token: OPAQUE, token_type: 'Bearer', nested: { id_token: JWT } },
      headers: hostile,
      err: new Error(`refused ${JWT}`),
      cyclic,
      list: [{ refresh_token: REFRESH }],
    });
    const json = JSON.stringify(out);
    expect(json).not.toContain(OPAQUE);
    expect(json).not.toContain(JWT);
    expect(json).not.toContain(REFRESH);
    expect(json).not.toContain('dXNlcjpwdw==');
    expect(json).toContain('[circular]');
    expect(json).toContain('"token_type":"Bearer"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('createLogger', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pieces-log-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes redacted lines to its file, whatever the caller passes', () => {
    const file = join(dir, 'logs', 'main.log');
    const log = createLogger({ file });
    log.addToken({ access_token: OPAQUE });
    log.info(`signed in with ${OPAQUE}`, {
      token: { access_token: OPAQUE, refresh_token: REFRESH },
    });
    log.warn('server said', { body: `{"id_token":"${JWT}"}` });
    log.error('failed', { error: new Error(`Bearer ${OPAQUE}`) });
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(3);
    expect(text).toContain('[info]');
    expect(text).toContain('[warn]');
    expect(text).toContain('[error]');
    expect(text).toContain('signed in with [redacted]');
    for (const secret of [OPAQUE, REFRESH, JWT]) expect(text).not.toContain(secret);
    expect(log.files).toEqual([file, rotatedPath(file)]);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('rotates the file at maxSize, keeping one old file, both redacted', () => {
    const file = join(dir, 'main.log');
    const log = createLogger({ file, maxSize: 2_000 });
    log.addSecret(OPAQUE);
    for (let i = 0; i < 100; i++) log.info(`entry ${i} ${OPAQUE}`);
    expect(existsSync(rotatedPath(file))).toBe(true);
    expect(statSync(file).size).toBeLessThan(4_000);
    const all = log.files.map((f) => readFileSync(f, 'utf8')).join('');
    expect(all).toContain('entry 99 [redacted]');
    expect(all).not.toContain(OPAQUE);
  });

  it('a file it cannot write costs the caller nothing: the console still gets the entry, redacted', () => {
    const printed = captureOutput();
    try {
      writeFileSync(join(dir, 'blocked'), ''); // a file where its folder should be
      const file = join(dir, 'blocked', 'main.log');
      const log = createLogger({ file, console: true });
      log.addSecret(OPAQUE);
      log.error(`switch failed for ${OPAQUE}`, { token: { access_token: OPAQUE } });
      log.info('and the app goes on');
      expect(existsSync(file)).toBe(false);
      expect(printed.text()).toContain('switch failed for [redacted]');
      expect(printed.text()).toContain('and the app goes on');
      expect(printed.text()).not.toContain(OPAQUE);
    } finally {
      printed.restore();
    }
  });

  it('without a file writes nowhere, not to a default path and not to the console', () => {
    const printed = captureOutput();
    const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
    // electron-log's default file would be under these: an empty home shows nothing went there.
    process.env.HOME = dir;
    process.env.XDG_CONFIG_HOME = join(dir, '.config');
    try {
      const log = createLogger();
      log.info('nothing', { a: 1 });
      log.error('nothing either');
      expect(readdirSync(dir)).toEqual([]);
      expect(printed.text()).toBe('');
      expect(log.files).toEqual([]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      printed.restore();
    }
  });

  it('prints to the console only when asked, redacted like the file', () => {
    const printed = captureOutput();
    try {
      const log = createLogger({ console: true });
      log.addSecret(OPAQUE);
      log.warn(`retrying with ${OPAQUE}`, { token: { refresh_token: REFRESH } });
      expect(printed.text()).toContain('retrying with [redacted]');
      expect(printed.text()).not.toContain(OPAQUE);
      expect(printed.text()).not.toContain(REFRESH);
    } finally {
      printed.restore();
    }
  });
});
