import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fakeSafeStorage, recordingSafeStorage } from '../../../test/support/fake-safe-storage';
import { realKeychain } from './keychain';
import { openTokenVault } from './token-vault';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const withBackend = (backend: string) => ({
  ...fakeSafeStorage,
  getSelectedStorageBackend: () => backend,
});

describe('realKeychain', () => {
  it("treats Linux's basic_text backend (a hard-coded key) as no keychain", async () => {
    expect(await realKeychain(withBackend('basic_text'), 'linux').isAvailable()).toBe(false);
    for (const backend of ['gnome_libsecret', 'kwallet5', 'kwallet6']) {
      expect(await realKeychain(withBackend(backend), 'linux').isAvailable()).toBe(true);
    }
    // macOS and Windows have no such backend: their keychains count.
    expect(await realKeychain(withBackend('basic_text'), 'darwin').isAvailable()).toBe(true);
  });

  it('uses the asynchronous safeStorage API when it is there, never the deprecated one', async () => {
    const { spied, calls } = recordingSafeStorage(fakeSafeStorage);
    const keychain = realKeychain(spied, 'darwin');
    expect(await keychain.isAvailable()).toBe(true);
    const data = await keychain.encrypt('a secret');
    expect(data.toString('utf8')).not.toContain('a secret');
    expect(await keychain.decrypt(data)).toEqual({ text: 'a secret', stale: false });
    expect(calls).toEqual([
      'isAsyncEncryptionAvailable',
      'encryptStringAsync',
      'decryptStringAsync',
    ]);
  });

  it('passes on that a value should be encrypted again (shouldReEncrypt)', async () => {
    const keychain = realKeychain(
      {
        ...fakeSafeStorage,
        decryptStringAsync: async (b) => ({
          ...(await fakeSafeStorage.decryptStringAsync(b)),
          shouldReEncrypt: true,
        }),
      },
      'darwin',
    );
    expect(await keychain.decrypt(await keychain.encrypt('x'))).toEqual({ text: 'x', stale: true });
  });

  it('falls back to the synchronous API only where the asynchronous one is absent', async () => {
    const { isEncryptionAvailable, encryptString, decryptString } = fakeSafeStorage;
    const { spied, calls } = recordingSafeStorage({
      isEncryptionAvailable,
      encryptString,
      decryptString,
    });
    const keychain = realKeychain(spied, 'darwin');
    expect(await keychain.isAvailable()).toBe(true);
    expect(await keychain.decrypt(await keychain.encrypt('old electron'))).toEqual({
      text: 'old electron',
      stale: false,
    });
    expect(calls).toEqual(['isEncryptionAvailable', 'encryptString', 'decryptString']);
    // Neither API (Electron 46 without the old one, and no new one): no keychain.
    expect(await realKeychain({}, 'darwin').isAvailable()).toBe(false);
  });

  it('so with basic_text the vault keeps tokens in memory, says so, and writes no token to disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pieces-keychain-'));
    try {
      const vault = await openTokenVault({
        cwd: dir,
        safeStorage: realKeychain(withBackend('basic_text'), 'linux'),
        allowPlaintext: () => false,
      });
      expect(vault.loadProblems.join(' ')).toContain('offers no encryption');
      await vault.set('497f6eca-6276-4993-bfeb-53cbbbba6f08', {
        access_token: 'basic-text-would-have-kept-this',
        token_type: 'Bearer',
        expires_in: 60,
      });
      expect(vault.persistent).toBe(false);
      expect(() => readFileSync(join(dir, 'tokens.json'), 'utf8')).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
