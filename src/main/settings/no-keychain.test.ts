import { describe, expect, it } from 'vitest';
import { noKeychain } from './no-keychain';

describe('noKeychain', () => {
  it('is never available and refuses to encrypt or decrypt, saying where', async () => {
    const keychain = noKeychain('the web preview');
    expect(await keychain.isAvailable()).toBe(false);
    await expect(keychain.encrypt('a token')).rejects.toThrow('no encryption in the web preview');
    await expect(keychain.decrypt(Buffer.from('x'))).rejects.toThrow(
      'no encryption in the web preview',
    );
  });
});
