import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fakeSafeStorage } from '../../../test/support/fake-safe-storage';
import { realKeychain } from './keychain';
import { openTokenVault } from './token-vault';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const withBackend = (backend: string) => ({
  ...fakeSafeStorage,
  getSelectedStorageBackend: () => backend,
});

describe('realKeychain', () => {
  it("treats Linux's basic_text backend (a hard-coded key) as no keychain", () => {
    expect(realKeychain(withBackend('basic_text'), 'linux').isEncryptionAvailable()).toBe(false);
    for (const backend of ['gnome_libsecret', 'kwallet5', 'kwallet6']) {
      expect(realKeychain(withBackend(backend), 'linux').isEncryptionAvailable()).toBe(true);
    }
    // macOS and Windows have no such backend: their keychains count.
    expect(realKeychain(withBackend('basic_text'), 'darwin').isEncryptionAvailable()).toBe(true);
  });

  it('so the vault keeps tokens in memory, says so, and writes no token to disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pieces-keychain-'));
    try {
      const vault = openTokenVault({
        cwd: dir,
        safeStorage: realKeychain(withBackend('basic_text'), 'linux'),
        allowPlaintext: () => false,
      });
      expect(vault.loadProblems.join(' ')).toContain('offers no encryption');
      vault.set('497f6eca-6276-4993-bfeb-53cbbbba6f08', {
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
