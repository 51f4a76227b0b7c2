import { Buffer } from 'node:buffer';
import type { ElectronSafeStorage, Keychain } from '../../src/main/settings/keychain';
import { realKeychain } from '../../src/main/settings/keychain';

const hide = (s: string): Buffer =>
  Buffer.from(Buffer.from(`enc:${s}`, 'utf8').map((b) => b ^ 0x5a));
const show = (b: Buffer): string =>
  Buffer.from(b.map((x) => x ^ 0x5a))
    .toString('utf8')
    .slice(4);

/**
 * Electron's safeStorage, both APIs (asynchronous, and the deprecated synchronous one), with an
 * "encryption" that hides the text from a plain search, like the real one. Not security.
 */
export const fakeSafeStorage: Required<Omit<ElectronSafeStorage, 'getSelectedStorageBackend'>> = {
  isAsyncEncryptionAvailable: () => Promise.resolve(true),
  encryptStringAsync: (s) => Promise.resolve(hide(s)),
  decryptStringAsync: (b) => Promise.resolve({ result: show(b), shouldReEncrypt: false }),
  isEncryptionAvailable: () => true,
  encryptString: hide,
  decryptString: show,
};

/** The fake as the token vault sees it (what app.ts makes of Electron's safeStorage). */
export const fakeKeychain = (): Keychain => realKeychain(fakeSafeStorage, 'darwin');

/** A safeStorage API with every call it gets recorded by name, in order. */
export function recordingSafeStorage(api: ElectronSafeStorage) {
  const calls: string[] = [];
  const spied = Object.fromEntries(
    Object.entries(api).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        calls.push(name);
        return (fn as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as ElectronSafeStorage;
  return { spied, calls };
}
