import type { Keychain } from '../../src/main/settings/keychain';

/**
 * A keychain stand-in for the token vault that really changes the bytes (the same way every time)
 * and refuses what it did not produce. It can be switched off, locked (encryption fails, with an
 * error that holds the text it was given, or with nothing at all), made to refuse the question
 * whether it is there, or held in the middle of an encryption; it counts what it encrypts.
 */
export function switchableKeychain(available = true) {
  const marker = Buffer.from('FAKE-ENC:');
  const xor = (b: Buffer): Buffer => Buffer.from(b.map((byte) => byte ^ 0x5a));
  const k = {
    available,
    refusesToSay: false,
    locked: false as boolean | 'with-error' | 'with-nothing',
    encrypted: 0,
    /** Set to make the next encryptions wait for it; `started` resolves when one waits. */
    hold: undefined as { started: () => void; release: Promise<void> } | undefined,
    isAvailable: (): Promise<boolean> =>
      k.refusesToSay ? Promise.reject(new Error('no answer')) : Promise.resolve(k.available),
    async encrypt(plain: string): Promise<Buffer> {
      if (k.hold) {
        k.hold.started();
        await k.hold.release;
      }
      if (!k.available) throw new Error('Encryption is not available.');
      if (k.locked === 'with-nothing') throw undefined;
      if (k.locked) throw new Error(`The keychain is locked: cannot encrypt ${plain}`);
      k.encrypted++;
      return Buffer.concat([marker, xor(Buffer.from(plain, 'utf8'))]);
    },
    async decrypt(encrypted: Buffer) {
      if (!encrypted.subarray(0, marker.length).equals(marker)) throw new Error('bad ciphertext');
      return { text: xor(encrypted.subarray(marker.length)).toString('utf8'), stale: false };
    },
  };
  return k satisfies Keychain;
}
