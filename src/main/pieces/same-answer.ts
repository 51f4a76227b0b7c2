// "Nothing changed" without decoding: the last body of an endpoint and what it decoded to. When the
// next body has the same bytes, the decoded value is reused as it is (the same object), so a
// refresh of an unchanged list skips JSON.parse, validation and mapping, and a caller can tell
// "unchanged" by identity.
//
// The body itself is kept (up to `keepBytesUpTo`) and handed to the transport as `sameAs`: the
// adapter compares the next answer with it chunk by chunk as it arrives and, when every byte is
// the same, returns this very Buffer. Then nothing is copied, hashed or compared again here: an
// unchanged list of 10,000 users (15 MB) costs one memcmp spread over its arrival. Above the cap
// (a list of some 20,000 users or more) only a SHA-256 digest is kept, taken in steps, so the
// client does not hold a second copy of a body of up to hundreds of MB.
import { createHash } from 'node:crypto';

/** 32 MiB: a list of about 21,000 users of the emulator's size (1.55 kB each). */
export const KEEP_BYTES_UP_TO = 32 * 1024 * 1024;

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
   * The same for a large body decoded in steps: a digest (above the cap) is taken a few MB at a
   * time, with `pause()` between, so neither blocks the thread for long.
   */
  decodeInSteps(bytes: Buffer, decode: () => Promise<T>, pause?: () => Promise<void>): Promise<T>;
  /** The body remembered, if it is kept as bytes: the transport's `sameAs`. */
  bytes(): Buffer | undefined;
  /** Forget the remembered body (after a request that changes what it describes). */
  forget(): void;
}

export interface SameAnswerOptions {
  /** Bodies up to this size are kept as bytes; larger ones as a digest. */
  keepBytesUpTo?: number;
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

const digestOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

/**
 * The bytes to keep: the body itself when it owns its memory (a large body has a buffer of its
 * own), else a copy, so a small body that is a view into a larger pooled buffer does not keep
 * that buffer alive.
 */
const keepable = (bytes: Buffer) =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes
    : Buffer.from(bytes);

export function sameAnswer<T>({
  keepBytesUpTo = KEEP_BYTES_UP_TO,
}: SameAnswerOptions = {}): SameAnswer<T> {
  let last: Remembered<T> | undefined;
  /** The value for `bytes` if they are the remembered ones (compared without a digest). */
  const known = (bytes: Buffer): { value: T } | undefined => {
    if (!last?.bytes || last.length !== bytes.length) return undefined;
    // The transport's answer to `sameAs`: the very same Buffer, already compared on arrival.
    if (bytes === last.bytes || last.bytes.equals(bytes)) return { value: last.value };
    return undefined;
  };
  const remember = (bytes: Buffer, value: T, digest: Buffer | undefined) => {
    last =
      bytes.length <= keepBytesUpTo
        ? { length: bytes.length, bytes: keepable(bytes), value }
        : { length: bytes.length, digest: digest ?? digestOf(bytes), value };
  };
  return {
    decode(bytes, decode) {
      const hit = known(bytes);
      if (hit) return hit.value;
      let digest: Buffer | undefined;
      if (last?.digest && last.length === bytes.length) {
        digest = digestOf(bytes);
        if (last.digest.equals(digest)) return last.value;
      }
      // Only a body that decoded is remembered: a bad one throws and is tried again next time.
      const value = decode();
      remember(bytes, value, digest);
      return value;
    },
    async decodeInSteps(bytes, decode, pause = nextTurn) {
      const hit = known(bytes);
      if (hit) return hit.value;
      const digest = bytes.length > keepBytesUpTo ? await digestInSteps(bytes, pause) : undefined;
      if (digest && last?.digest && last.length === bytes.length && last.digest.equals(digest)) {
        return last.value;
      }
      const value = await decode();
      remember(bytes, value, digest);
      return value;
    },
    bytes: () => last?.bytes,
    forget() {
      last = undefined;
    },
  };
}
