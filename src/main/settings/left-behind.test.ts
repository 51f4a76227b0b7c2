// Nothing secret left behind in the data folder, and odd files in it never stop the app: killed
// writes, damaged and newer vaults, a directory where a file should be. Real files in temp dirs.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeKeychain, fakeSafeStorage } from '../../../test/support/fake-safe-storage';
import { noKeychain } from './no-keychain';
import { openSettings } from './settings';
import { openTokenVault } from './token-vault';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const ID = '497f6eca-6276-4993-bfeb-53cbbbba6f08';
const OTHER = '11111111-2222-4333-8444-555555555555';
const token = (n: number) => ({
  access_token: `LEFT-BEHIND-access-${n}-Zq7Kx2Pw9Lm4Rt8`,
  token_type: 'Bearer' as const,
  expires_in: 3600,
  refresh_token: `LEFT-BEHIND-refresh-${n}-Vb3Nc6Hj1Df5`,
});
const plainVault = (...tokens: [string, ReturnType<typeof token>][]) =>
  JSON.stringify({
    version: 1,
    tokens: Object.fromEntries(tokens.map(([id, t]) => [id, { encoding: 'plain', token: t }])),
  });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pieces-left-behind-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Every file in the folder whose text holds a piece of a token value ("LEFT-BEHIND-"). */
function filesWithTokens(): string[] {
  return readdirSync(dir).filter((name) => {
    const path = join(dir, name);
    return statSync(path).isFile() && readFileSync(path, 'utf8').includes('LEFT-BEHIND-');
  });
}

describe('nothing left behind', () => {
  it('after writes killed mid-way, opting out of plaintext leaves no plaintext token in the folder', async () => {
    // Opted in: a plaintext vault, plus the temp files of writes a kill cut short.
    writeFileSync(join(dir, 'tokens.json'), plainVault([ID, token(1)]));
    writeFileSync(join(dir, 'tokens.json.tmp-1733112233a1b2c3'), plainVault([ID, token(1)]));
    writeFileSync(join(dir, 'settings.json.tmp-1733112234d4e5f6'), '{"theme":');
    let allowPlaintext = true;
    const vault = await openTokenVault({
      cwd: dir,
      safeStorage: noKeychain('this test'),
      allowPlaintext: () => allowPlaintext,
    });
    openSettings({ cwd: dir });
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]); // cleaned on start
    await vault.set(OTHER, token(2));
    // Another write is killed while the app runs...
    writeFileSync(join(dir, 'tokens.json.tmp-1733112299f0f0f0'), plainVault([OTHER, token(2)]));
    expect(filesWithTokens().length).toBeGreaterThan(0);
    // ...then the person opts out.
    allowPlaintext = false;
    await vault.applyStorageMode();
    expect(filesWithTokens()).toEqual([]);
    expect(vault.get(ID)?.access_token).toBe(token(1).access_token); // kept until quit
  });

  it('opting out also removes a plaintext entry the app could not use', async () => {
    const unusable = { encoding: 'plain', token: { ...token(3), token_type: 'Mac' } };
    writeFileSync(
      join(dir, 'tokens.json'),
      JSON.stringify({ version: 1, tokens: { [ID]: unusable } }),
    );
    let allowPlaintext = true;
    const vault = await openTokenVault({
      cwd: dir,
      safeStorage: noKeychain('this test'),
      allowPlaintext: () => allowPlaintext,
    });
    await vault.set(OTHER, token(4));
    allowPlaintext = false;
    await vault.applyStorageMode();
    expect(filesWithTokens()).toEqual([]);
  });

  it('keeps copies of a damaged vault scrubbed of token values, and only the last three', async () => {
    for (let start = 0; start < 5; start++) {
      // A plaintext vault cut off mid-token, as a full disk or a crash leaves it.
      writeFileSync(join(dir, 'tokens.json'), plainVault([ID, token(start)]).slice(0, 130));
      const vault = await openTokenVault({
        cwd: dir,
        safeStorage: fakeKeychain(),
        allowPlaintext: () => false,
      });
      expect(vault.loadProblems.join(' ')).toContain('without its plaintext tokens');
    }
    const backups = readdirSync(dir).filter((n) => n.startsWith('tokens.json.bak-'));
    expect(backups).toHaveLength(3);
    for (const b of backups) expect(readFileSync(join(dir, b), 'utf8')).toContain('[removed]');
    // The damaged original is not kept beside its scrubbed copy.
    expect(readdirSync(dir)).not.toContain('tokens.json');
    expect(filesWithTokens()).toEqual([]);
  });

  it('scrubs a plaintext copy an older version left, on start', async () => {
    writeFileSync(
      join(dir, 'tokens.json.bak-2026-01-01T00-00-00-000Z'),
      plainVault([ID, token(5)]),
    );
    await openTokenVault({ cwd: dir, safeStorage: fakeKeychain(), allowPlaintext: () => false });
    expect(filesWithTokens()).toEqual([]);
  });

  it('leaves a vault from a newer version untouched: reads what it can, writes nothing, says so', async () => {
    const newer = JSON.stringify({
      version: 2,
      tokens: {
        [ID]: {
          encoding: 'safeStorage',
          data: (await fakeSafeStorage.encryptStringAsync(JSON.stringify(token(6)))).toString(
            'base64',
          ),
        },
        [OTHER]: { encoding: 'keychain-v2', ref: 'abc' },
      },
      wrapping: { kind: 'future' },
    });
    writeFileSync(join(dir, 'tokens.json'), newer);
    const vault = await openTokenVault({
      cwd: dir,
      safeStorage: fakeKeychain(),
      allowPlaintext: () => false,
    });
    expect(vault.get(ID)?.access_token).toBe(token(6).access_token);
    expect(vault.loadProblems.join(' ')).toContain('newer version of the app');
    await vault.set(OTHER, token(7));
    await vault.delete(ID);
    await vault.applyStorageMode();
    expect(readFileSync(join(dir, 'tokens.json'), 'utf8')).toBe(newer);
    expect(vault.persistent).toBe(false);
    expect(vault.get(OTHER)?.access_token).toBe(token(7).access_token); // in memory
  });

  it('runs on defaults, in memory, with a directory in place of settings.json and tokens.json', async () => {
    mkdirSync(join(dir, 'settings.json'));
    mkdirSync(join(dir, 'tokens.json'));
    const settings = openSettings({ cwd: dir });
    expect(settings.loadProblems.join(' ')).toMatch(/settings file .* cannot be read \(EISDIR\)/);
    expect(settings.update({ theme: 'dark' }).theme).toBe('dark');
    const vault = await openTokenVault({
      cwd: dir,
      safeStorage: fakeKeychain(),
      allowPlaintext: () => false,
    });
    expect(vault.loadProblems.join(' ')).toMatch(/sign-ins file .* cannot be read \(EISDIR\)/);
    await vault.set(ID, token(8));
    expect(vault.get(ID)?.access_token).toBe(token(8).access_token);
    expect(statSync(join(dir, 'tokens.json')).isDirectory()).toBe(true);
  });
});
