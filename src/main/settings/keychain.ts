// Which system encryption the token vault may count as a keychain. On Linux without a secret
// service, Electron falls back to its `basic_text` backend: "encryption" with a key hard-coded in
// Chromium, which anyone who reads the file can undo. That is no keychain, so the vault treats it
// as none (tokens kept in memory, or in plaintext only when the person opted in, with the same
// notice), rather than pretending the tokens are protected.
import type { SafeStorageLike } from './token-vault';

/** The part of Electron's safeStorage that says which backend it picked (Linux only). */
export interface BackendReporting extends SafeStorageLike {
  getSelectedStorageBackend?(): string;
}

/** True when `backend` only obscures: no key from the person's login protects it. */
export const isObscuringOnly = (backend: string | undefined): boolean => backend === 'basic_text';

/** `safeStorage` as the vault should see it: unavailable when its backend is `basic_text`. */
export function realKeychain(
  safeStorage: BackendReporting,
  platform: NodeJS.Platform = process.platform,
): SafeStorageLike {
  const weak = (): boolean => {
    if (platform !== 'linux') return false;
    try {
      return isObscuringOnly(safeStorage.getSelectedStorageBackend?.());
    } catch {
      return false; // asked before the app was ready: the vault asks again on each write
    }
  };
  return {
    isEncryptionAvailable: () => !weak() && safeStorage.isEncryptionAvailable(),
    encryptString: (plain) => safeStorage.encryptString(plain),
    decryptString: (encrypted) => safeStorage.decryptString(encrypted),
  };
}
