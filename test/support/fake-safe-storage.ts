import { Buffer } from 'node:buffer';
import type { SafeStorageLike } from '../../src/main/settings/token-vault';

/** An "encryption" that hides the text from a plain search, like the real one. Not security. */
export const fakeSafeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (s: string) => Buffer.from(Buffer.from(`enc:${s}`, 'utf8').map((b) => b ^ 0x5a)),
  decryptString: (b: Buffer) =>
    Buffer.from(b.map((x) => x ^ 0x5a))
      .toString('utf8')
      .slice(4),
};
