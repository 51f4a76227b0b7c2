// The keychain of a system without one, for where the app's core runs under plain Node (the web
// preview, the benchmarks, tests): encryption is unavailable, so the token vault keeps tokens in
// memory or, opted in, in plaintext.
import type { Keychain } from './keychain';

export function noKeychain(where: string): Keychain {
  const refuse = (): Promise<never> => Promise.reject(new Error(`no encryption in ${where}`));
  return { isAvailable: () => Promise.resolve(false), encrypt: refuse, decrypt: refuse };
}
