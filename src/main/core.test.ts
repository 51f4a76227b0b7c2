// The composition root on real files: what it tells the person about the address it was given.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from './core';
import { createLogger } from './log/logger';
import { noKeychain } from './settings/no-keychain';
import { closedPort } from '../../test/support/ports';
import type { StateSnapshot } from '../shared/domain';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

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

async function start(env: NodeJS.ProcessEnv, piecesOsUrl?: string): Promise<Core> {
  core = await createCore({
    ...(piecesOsUrl ? { piecesOsUrl } : {}),
    dataDir: dir,
    safeStorage: noKeychain('this test'),
    allowLoopbackIssuer: false,
    openExternal: () => undefined,
    log: createLogger({ file: join(dir, 'main.log') }),
    env,
  });
  return core;
}

describe('createCore', () => {
  it('says, in a notice and the log, that a PIECES_OS_URL on another computer is ignored', async () => {
    const { service } = await start({ PIECES_OS_URL: 'http://pieces.example:39300' });
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

  it('says nothing about a PIECES_OS_URL on this computer, or none', async () => {
    const aboutEnv = (c: Core) =>
      c.service.snapshot().notices.filter((n) => n.message.includes('PIECES_OS_URL'));
    expect(aboutEnv(await start({ PIECES_OS_URL: 'http://127.0.0.1:39311' }))).toEqual([]);
    core!.service.stop();
    expect(aboutEnv(await start({}))).toEqual([]);
  });

  it('a settings change whose effect fails is not saved either', async () => {
    const { handlers, settings } = await start({}, `http://127.0.0.1:${await closedPort()}`);
    const vault = core!.vault;
    // A sign-in kept in memory (no keychain here), and a tokens file that cannot be written.
    await vault.set('11111111-1111-4111-8111-111111111111', {
      access_token: 'kept-in-memory-token',
      token_type: 'Bearer',
      expires_in: 3600,
    });
    mkdirSync(join(dir, 'tokens.json', 'in-the-way'), { recursive: true });
    await expect(handlers.updateSettings({ allowPlaintextTokens: true })).rejects.toThrow(
      /could not be saved/,
    );
    expect(settings.get().allowPlaintextTokens).toBe(false);
    const file = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as {
      allowPlaintextTokens?: boolean;
    };
    expect(file.allowPlaintextTokens ?? false).toBe(false);
  });

  it('shows at once whether sign-ins now survive a restart', async () => {
    const { handlers, service } = await start({}, `http://127.0.0.1:${await closedPort()}`);
    expect(service.snapshot().tokensPersist).toBe(false);
    const next = new Promise<StateSnapshot>((resolve) => {
      const off = service.subscribe((s) => {
        if (s.tokensPersist) {
          off();
          resolve(s);
        }
      });
    });
    await handlers.updateSettings({ allowPlaintextTokens: true });
    expect((await next).tokensPersist).toBe(true);
  });
});
