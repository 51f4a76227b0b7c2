// "Nothing changed" without decoding: the last body of an endpoint and what it decoded to. When the
// next body has the same bytes, the decoded value is reused as it is (the same object), so a
// refresh of an unchanged list skips JSON.parse, validation and mapping, and a caller can tell
// "unchanged" by identity.
import { createHash } from 'node:crypto';

/**
 * Bodies up to this size are kept as bytes and compared directly; larger ones (a list of many
 * thousands of users) only as a SHA-256 digest, so the client does not hold a second copy of
 * a body of up to hundreds of MB.
 */
const KEEP_BYTES_UP_TO = 1024 * 1024;

interface Remembered<T> {
  length: number;
  bytes?: Buffer;
  digest?: Buffer;
  value: T;
}

export interface SameAnswer<T> {
  /** The value decoded from identical bytes last time, or `decode()`'s result (remembered). */
  decode(bytes: Buffer, decode: () => T): T;
  /**
   * The same for a large body decoded in steps: the digest too is taken a few MB at a time, with
   * `pause()` between, so neither blocks the thread for long.
   */
  decodeInSteps(bytes: Buffer, decode: () => Promise<T>, pause?: () => Promise<void>): Promise<T>;
  /** Forget the remembered body (after a request that changes what it describes). */
  forget(): void;
}

/** SHA-256 of `bytes`, hashed this many bytes per turn of the event loop (a few ms each). */
const DIGEST_STEP_BYTES = 2 * 1024 * 1024;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function digestInSteps(bytes: Buffer, pause: () => Promise<void>): Promise<Buffer> {
  const hash = createHash('sha256');
  for (let at = 0; at < bytes.length; at += DIGEST_STEP_BYTES) {
    if (at > 0) await pause();
    hash.update(bytes.subarray(at, at + DIGEST_STEP_BYTES));
  }
  return hash.digest();
}

export function sameAnswer<T>(): SameAnswer<T> {
  let last: Remembered<T> | undefined;
  const digestOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest();
  return {
    decode(bytes, decode) {
      let digest: Buffer | undefined;
      if (last && last.length === bytes.length) {
        if (last.bytes) {
          if (last.bytes.equals(bytes)) return last.value;
        } else {
          digest = digestOf(bytes);
          if (last.digest?.equals(digest)) return last.value;
        }
      }
      // Only a body that decoded is remembered: a bad one throws and is tried again next time.
      const value = decode();
      last =
        bytes.length <= KEEP_BYTES_UP_TO
          ? // A copy: the body may be a view into a larger buffer that should not stay alive.
            { length: bytes.length, bytes: Buffer.from(bytes), value }
          : { length: bytes.length, digest: digest ?? digestOf(bytes), value };
      return value;
    },
    async decodeInSteps(bytes, decode, pause = nextTurn) {
      const digest =
        bytes.length > KEEP_BYTES_UP_TO ? await digestInSteps(bytes, pause) : undefined;
      if (last && last.length === bytes.length) {
        if (last.bytes ? last.bytes.equals(bytes) : digest && last.digest?.equals(digest)) {
          return last.value;
        }
      }
      const value = await decode();
      last = digest
        ? { length: bytes.length, digest, value }
        : { length: bytes.length, bytes: Buffer.from(bytes), value };
      return value;
    },
    forget() {
      last = undefined;
    },
  };
}
