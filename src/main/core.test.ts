// The composition root on real files: what it tells the person about the address it was given.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from './core';
import { createLogger } from './log/logger';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const noKeychain = {
  isEncryptionAvailable: () => false,
  encryptString: (): Buffer => {
    throw new Error('no keychain');
  },
  decryptString: (): string => {
    throw new Error('no keychain');
  },
};

let dir: string;
let core: Core | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pieces-core-'));
});
afterEach(() => {
  core?.service.stop();
  core = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function start(env: NodeJS.ProcessEnv): Core {
  core = createCore({
    dataDir: dir,
    safeStorage: noKeychain,
    allowLoopbackIssuer: false,
    openExternal: () => undefined,
    log: createLogger({ file: join(dir, 'main.log') }),
    env,
  });
  return core;
}

describe('createCore', () => {
  it('says, in a notice and the log, that a PIECES_OS_URL on another computer is ignored', () => {
    const { service } = start({ PIECES_OS_URL: 'http://pieces.example:39300' });
    // (The other notice says this machine has no keychain.)
    const notices = service.snapshot().notices.filter((n) => n.message.includes('PIECES_OS_URL'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ level: 'warning' });
    expect(notices[0]!.message).toContain(
      'PIECES_OS_URL environment variable points to another computer',
    );
    expect(readFileSync(join(dir, 'main.log'), 'utf8')).toContain(
      'PIECES_OS_URL environment variable points to another computer',
    );
  });

  it('says nothing about a PIECES_OS_URL on this computer, or none', () => {
    const aboutEnv = (c: Core) =>
      c.service.snapshot().notices.filter((n) => n.message.includes('PIECES_OS_URL'));
    expect(aboutEnv(start({ PIECES_OS_URL: 'http://127.0.0.1:39311' }))).toEqual([]);
    core!.service.stop();
    expect(aboutEnv(start({}))).toEqual([]);
  });
});
