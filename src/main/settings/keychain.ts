// The system keychain as the token vault sees it: Electron's asynchronous safeStorage API
// (Electron 45 deprecates the synchronous one, and 46 removes it), or the synchronous one only
// where the asynchronous one is absent.
//
// On Linux without a secret service, Electron falls back to its `basic_text` backend:
// "encryption" with a key hard-coded in Chromium, which anyone who reads the file can undo. That
// is no keychain, so the vault treats it as none (tokens kept in memory, or in plaintext only when
// the person opted in, with the same notice), rather than pretending the tokens are protected.
import type { Buffer } from 'node:buffer';

/** What the token vault needs of a keychain. Every call may wait for the system (a prompt). */
export interface Keychain {
  /** Whether tokens can be encrypted now; asked at start and before every write. */
  isAvailable(): Promise<boolean>;
  encrypt(plain: string): Promise<Buffer>;
  /**
   * `stale`: the keychain would encrypt it differently now (a rotated key, a stronger one), so the
   * vault writes it again.
   */
  decrypt(encrypted: Buffer): Promise<{ text: string; stale: boolean }>;
}

/** The part of Electron's `safeStorage` used here, in both its forms. */
export interface ElectronSafeStorage {
  isAsyncEncryptionAvailable?(): Promise<boolean>;
  encryptStringAsync?(plainText: string): Promise<Buffer>;
  decryptStringAsync?(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  /** Deprecated in Electron 45, removed in 46: used only without the asynchronous API. */
  isEncryptionAvailable?(): boolean;
  encryptString?(plainText: string): Buffer;
  decryptString?(encrypted: Buffer): string;
  /** Which backend Linux picked (`basic_text`, `gnome_libsecret`, `kwallet6`, `unknown`, …). */
  getSelectedStorageBackend?(): string;
}

/** True when `backend` only obscures: no key from the person's login protects it. */
export const isObscuringOnly = (backend: string | undefined): boolean => backend === 'basic_text';

const hasAsyncApi = (
  s: ElectronSafeStorage,
): s is ElectronSafeStorage & Required<Pick<ElectronSafeStorage, AsyncName>> =>
  typeof s.isAsyncEncryptionAvailable === 'function' &&
  typeof s.encryptStringAsync === 'function' &&
  typeof s.decryptStringAsync === 'function';
type AsyncName = 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync';

/** `safeStorage` as the vault should see it: unavailable when its backend is `basic_text`. */
export function realKeychain(
  safeStorage: ElectronSafeStorage,
  platform: NodeJS.Platform = process.platform,
): Keychain {
  const weak = (): boolean => {
    if (platform !== 'linux') return false;
    try {
      return isObscuringOnly(safeStorage.getSelectedStorageBackend?.());
    } catch {
      return false; // asked before the app was ready: the vault asks again on each write
    }
  };
  if (hasAsyncApi(safeStorage)) {
    return {
      isAvailable: async () => !weak() && (await safeStorage.isAsyncEncryptionAvailable()),
      encrypt: (plain) => safeStorage.encryptStringAsync(plain),
      decrypt: async (encrypted) => {
        const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(encrypted);
        return { text: result, stale: shouldReEncrypt };
      },
    };
  }
  // An Electron without the asynchronous API: the synchronous one, behind the same promises.
  const sync = safeStorage;
  return {
    isAvailable: () => Promise.resolve(!weak() && (sync.isEncryptionAvailable?.() ?? false)),
    encrypt: async (plain) => {
      if (!sync.encryptString) throw new Error('no encryption');
      return sync.encryptString(plain);
    },
    decrypt: async (encrypted) => {
      if (!sync.decryptString) throw new Error('no decryption');
      return { text: sync.decryptString(encrypted), stale: false };
    },
  };
}
