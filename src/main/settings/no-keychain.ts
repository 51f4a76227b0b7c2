// The SafeStorageLike of a system without a keychain, for where the app's core runs under plain
// Node (the web preview, the benchmarks, tests): encryption is unavailable, so the token vault
// keeps tokens in memory or, opted in, in plaintext.
import type { SafeStorageLike } from './token-vault';

export function noKeychain(where: string): SafeStorageLike {
  const refuse = (): never => {
    throw new Error(`no encryption in ${where}`);
  };
  return { isEncryptionAvailable: () => false, encryptString: refuse, decryptString: refuse };
}
