// Which of Electron's safeStorage APIs the keychain uses, one rule at a time: the asynchronous
// one only when all three of its functions are there, the backend question never fatal, and a
// synchronous API without its functions refused in words.
import { describe, expect, it } from 'vitest';
import { fakeSafeStorage, recordingSafeStorage } from '../../../test/support/fake-safe-storage';
import { realKeychain, type ElectronSafeStorage } from './keychain';

const ASYNC = ['isAsyncEncryptionAvailable', 'encryptStringAsync', 'decryptStringAsync'] as const;

describe('realKeychain', () => {
  for (const missing of ASYNC) {
    it(`uses the synchronous API when the asynchronous one lacks ${missing}`, async () => {
      const api: ElectronSafeStorage = { ...fakeSafeStorage };
      delete api[missing];
      const { spied, calls } = recordingSafeStorage(api);
      const keychain = realKeychain(spied, 'darwin');
      expect(await keychain.isAvailable()).toBe(true);
      expect(await keychain.decrypt(await keychain.encrypt('half an api'))).toEqual({
        text: 'half an api',
        stale: false,
      });
      expect(calls).toEqual(['isEncryptionAvailable', 'encryptString', 'decryptString']);
    });
  }

  it('counts the keychain as there when Linux cannot say which backend it picked yet', async () => {
    const keychain = realKeychain(
      {
        ...fakeSafeStorage,
        getSelectedStorageBackend: () => {
          throw new Error('called before the app is ready');
        },
      },
      'linux',
    );
    expect(await keychain.isAvailable()).toBe(true);
  });

  it('refuses in words to encrypt or decrypt with a synchronous API that lacks the function', async () => {
    const keychain = realKeychain({ isEncryptionAvailable: () => true }, 'darwin');
    await expect(keychain.encrypt('x')).rejects.toThrow(/^no encryption$/);
    await expect(keychain.decrypt(Buffer.from('x'))).rejects.toThrow(/^no decryption$/);
  });
});
