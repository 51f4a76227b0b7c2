import { createHash } from 'node:crypto';

// Ids are derived from the email so that a token minted for an email always signs in the same user,
// including a seeded one, across runs and emulator instances.

/** A fixed namespace so our ids never collide with other UUID v5 users of the same emails. */
const NAMESPACE = Buffer.from('5f1c9a3e7d2b4c8e9a0b1c2d3e4f5a6b', 'hex');

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Emails are compared case-insensitively, so Ada@Example.com and ada@example.com are one user. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** UUID v5 layout (SHA-1 of namespace + normalized email). */
export function userIdForEmail(email: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(normalizeEmail(email)).digest();
  hash.writeUInt8((hash.readUInt8(6) & 0x0f) | 0x50, 6);
  hash.writeUInt8((hash.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A 32-bit number from a string, to seed per-email randomness. */
export function hash32(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32LE(0);
}

/** The `idStyle: 'opaque'` form of a UUID: still unique and stable, but not a UUID (the spec only
 *  says `id` is a string). Lower-case and URL-safe, so ids stay case-insensitive. */
export function opaqueId(uuid: string): string {
  return `u_${uuid.replace(/-/g, '').slice(0, 24)}`;
}

/**
 * The `idStyle: 'awkward'` ids, handed out in order of first sight: still spec-valid strings, but
 * the kind a client must treat as data, never as a path or an object key (a slash, a space,
 * unicode, "../", `__proto__`). Lower-case, as the emulator compares ids case-insensitively.
 */
export const AWKWARD_IDS = [
  '__proto__',
  '../escape',
  'ops/ada lovelace',
  'ünïcødé 名前 ✓',
  'constructor',
  'a b',
] as const;

/** The awkward id for the `n`th user seen (0-based); past the list, still awkward and unique. */
export function awkwardId(n: number, uuid: string): string {
  return AWKWARD_IDS[n] ?? `odd/${uuid} ${n}`;
}
