// OAuth tokens per user id, in `<cwd>/tokens.json`, apart from the settings so that settings can be
// read, backed up or shown without ever carrying a secret. Nothing here logs a token or puts one
// into an error message.
//
// File format: { "version": 1, "tokens": { "<userId>": Entry } } where Entry is
//   { "encoding": "safeStorage", "data": "<base64 of safeStorage.encryptString(JSON)>" } or
//   { "encoding": "plain", "token": { ...StoredToken } }   (only when the person opted in)
// A StoredToken is the OAuthToken plus, for a browser sign-in, when it was obtained and which
// provider issued it (so expiry can be known and a refresh goes only to that provider). Both are
// optional, so files from before them read as they always did, and older versions drop them.
// The encoding is per entry so that one file can hold both while the storage mode changes, and so
// that an entry we cannot read right now is written back exactly as we found it.
import { Buffer } from 'node:buffer';
import { rmSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { OAuthTokenInput } from '../../shared/domain';
import { PiecesError } from '../pieces/errors';
import {
  backupFile,
  isPlainObject,
  jsonFile,
  removeOrphanTemps,
  tidyBackups,
  type JsonObject,
} from './json-file';
import { isUserId } from './user-id';

/** The part of Electron's `safeStorage` the vault uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** A token as the app keeps it. Only the OAuthTokenInput fields are ever sent to Pieces OS. */
export interface StoredToken extends OAuthTokenInput {
  /** Epoch milliseconds when the provider issued it (browser sign-ins and refreshes). */
  obtained_at?: number;
  /** The provider that issued it; only that provider is asked to refresh it. */
  issuer?: string;
}

export interface TokenVault {
  get(userId: string): StoredToken | undefined;
  set(userId: string, token: StoredToken): void;
  /**
   * Stores a token that replaces one which stopped working (a renewed sign-in). Unlike set(),
   * when the file cannot be written the token is still kept, in memory until the app quits (the
   * old one may be dead, so rolling back would lose both), and the file gets it with the next
   * successful write. Returns that write error, or null when the token was saved. Refuses a
   * malformed token or id as set() does, keeping nothing.
   */
  setRenewed(userId: string, token: StoredToken): PiecesError | null;
  /** Accounts whose renewed token is kept in memory but not yet in the file. */
  unsavedIds(): string[];
  delete(userId: string): void;
  has(userId: string): boolean;
  ids(): string[];
  /**
   * Rewrites the file for the current storage mode. Call it when the plaintext opt-in changes:
   * opting in saves the session's tokens; opting out removes plaintext tokens from disk (they stay
   * in memory until the app quits). Not done on its own, because a settings file that was reset
   * after damage must not wipe saved tokens.
   */
  applyStorageMode(): void;
  /** True when tokens survive a restart: encryption available, or plaintext opted in. */
  readonly persistent: boolean;
  readonly loadProblems: string[];
}

const TOKEN = z.object({
  access_token: z.string().min(1),
  token_type: z.enum(['Bearer', 'UNKNOWN']),
  expires_in: z.number(),
  scope: z.string().optional(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
  obtained_at: z.number().int().nonnegative().optional(),
  issuer: z.string().max(2_048).optional(),
}) satisfies z.ZodType<StoredToken>;

const VAULT_VERSION = 1;

// The value of a token field in JSON text, also in a file cut off mid-string (a damaged vault).
const TOKEN_VALUE = /("(?:access_token|refresh_token|id_token)"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|$)/g;

/**
 * A damaged vault's text with plaintext token values replaced, for the copy kept aside: the copy
 * is for a person to look at, not a second home for secrets. Encrypted entries are kept.
 */
export function scrubTokens(text: string): string {
  return text.replace(TOKEN_VALUE, '$1"[removed]"');
}

type Mode = 'encrypted' | 'plain' | 'memory';

const plural = (n: number, one: string, many: string): string => (n === 1 ? one : `${n} ${many}`);

export function openTokenVault(opts: {
  cwd: string;
  safeStorage: SafeStorageLike;
  allowPlaintext: () => boolean;
  name?: string;
}): TokenVault {
  const { safeStorage, allowPlaintext } = opts;
  // Owner-only, also for the temp file of each atomic write.
  const file = jsonFile({ cwd: opts.cwd, name: opts.name ?? 'tokens', mode: 0o600 });
  // Asked on every write: encryption can become available after startup, and the opt-in can change.
  const mode = (): Mode =>
    safeStorage.isEncryptionAvailable() ? 'encrypted' : allowPlaintext() ? 'plain' : 'memory';

  /** Usable tokens. */
  const tokens = new Map<string, StoredToken>();
  /** The entries the file should hold, as raw JSON; includes entries we could not read. */
  const disk = new Map<string, unknown>();
  /** What the file holds as far as we know; undefined when there is no usable file. */
  let onDisk: JsonObject | undefined;
  /**
   * Renewed tokens whose write failed: their file entry (which may still be the old token, when
   * encrypting the new one failed) is made again from memory by the next write.
   */
  const unsaved = new Set<string>();
  /** Set when a damaged file could not be copied aside: then we must not write over it. */
  let frozen = false;
  const problems: string[] = [];

  const encode = (token: StoredToken, as: 'encrypted' | 'plain'): JsonObject =>
    as === 'plain'
      ? { encoding: 'plain', token }
      : {
          encoding: 'safeStorage',
          data: safeStorage.encryptString(JSON.stringify(token)).toString('base64'),
        };

  const decode = (entry: unknown): StoredToken | 'locked' | undefined => {
    if (!isPlainObject(entry)) return undefined;
    try {
      if (entry.encoding === 'plain') return TOKEN.parse(entry.token);
      if (entry.encoding === 'safeStorage' && typeof entry.data === 'string') {
        if (!safeStorage.isEncryptionAvailable()) return 'locked';
        const json = safeStorage.decryptString(Buffer.from(entry.data, 'base64'));
        return TOKEN.parse(JSON.parse(json));
      }
    } catch {
      // Not decryptable or not a token: reported by the caller, without the reason, which could
      // quote the decrypted text.
    }
    return undefined;
  };

  const save = (): void => {
    if (frozen) return;
    // Never create a file only to say "no tokens", and never replace a damaged one for nothing.
    for (const id of unsaved) {
      const token = tokens.get(id);
      const now = mode();
      if (!token || now === 'memory') disk.delete(id);
      else disk.set(id, encode(token, now));
    }
    if (onDisk === undefined && disk.size === 0) return;
    const content = { version: VAULT_VERSION, tokens: Object.fromEntries(disk) };
    if (!isDeepStrictEqual(content, onDisk)) {
      file.write(content);
      onDisk = content;
    }
    unsaved.clear();
  };

  /**
   * Runs a change and saves it; on failure nothing changes, in memory or on disk, and the error is
   * thrown. With `keep`, a failure keeps the change in memory (and pending for the file) and the
   * error is returned instead.
   */
  function change(what: string, fn: () => void): void;
  function change(what: string, fn: () => void, keep: true): PiecesError | null;
  function change(what: string, fn: () => void, keep = false): PiecesError | null {
    const before = { tokens: new Map(tokens), disk: new Map(disk) };
    try {
      fn();
      save();
      return null;
    } catch (err) {
      // Only the error code: a message from safeStorage or the file system is not ours to vouch for.
      const code = (err as NodeJS.ErrnoException | undefined)?.code;
      const error = new PiecesError(
        'internal',
        `The sign-in could not be ${what}${code ? ` (${code})` : ''}.`,
      );
      if (keep) return error;
      tokens.clear();
      before.tokens.forEach((v, k) => tokens.set(k, v));
      disk.clear();
      before.disk.forEach((v, k) => disk.set(k, v));
      throw error;
    }
  }

  const applyStorageMode = (): void => {
    const now = mode();
    for (const [id, token] of tokens) {
      const encoding = (disk.get(id) as { encoding?: unknown } | undefined)?.encoding;
      if (now === 'encrypted' && encoding !== 'safeStorage')
        disk.set(id, encode(token, 'encrypted'));
      else if (now === 'plain' && encoding === undefined) disk.set(id, encode(token, 'plain'));
      else if (now === 'memory' && encoding === 'plain') disk.delete(id);
    }
    // Entries kept as found because they could not be used: one that holds plaintext must not
    // outlive an opt-out, nor stay unencrypted beside encrypted ones.
    if (now !== 'plain') {
      for (const [id, entry] of disk) {
        if (!tokens.has(id) && (entry as { encoding?: unknown } | null)?.encoding !== 'safeStorage')
          disk.delete(id);
      }
    }
    save();
  };

  // Temp files of writes that were killed may hold a whole vault in plaintext; copies of damaged
  // files are kept scrubbed, and only the last few.
  const tidy = (): void => {
    removeOrphanTemps(file.path);
    tidyBackups(file.path, scrubTokens);
  };
  tidy();

  // Load.
  const read = file.read();
  const entries = read.kind === 'ok' ? (read.value.tokens ?? {}) : undefined;
  const version = read.kind === 'ok' ? read.value.version : undefined;
  if (typeof version === 'number' && version > VAULT_VERSION) {
    // A newer app wrote it: read what this version understands, and never write over it.
    frozen = true;
    problems.push(
      `The saved sign-ins in ${file.path} were written by a newer version of the app. This version uses what it can read and leaves the file unchanged; new sign-ins are kept only until the app quits.`,
    );
  }
  if (read.kind === 'unreadable') {
    frozen = true;
    problems.push(
      `The saved sign-ins file ${file.path} cannot be read (${read.code}), so you will need to sign in again, and new sign-ins are kept only until the app quits. Remove or fix what is at that path.`,
    );
  } else if (read.kind === 'corrupt' || (read.kind === 'ok' && !isPlainObject(entries))) {
    let copy: string;
    try {
      copy = `The damaged file was copied, without its plaintext tokens, to ${backupFile(file.path, new Date(), scrubTokens)}.`;
      // Copied aside: the damaged original (which may hold plaintext tokens) is not kept too.
      rmSync(file.path, { force: true });
    } catch (err) {
      frozen = true;
      copy = `A copy of it could not be made (${(err as NodeJS.ErrnoException).code ?? 'unknown error'}), so it is left as it is and new sign-ins are kept only until the app quits.`;
    }
    problems.push(
      `The saved sign-ins in ${file.path} could not be read, so you will need to sign in again. ${copy}`,
    );
  } else if (read.kind === 'ok' && isPlainObject(entries)) {
    onDisk = read.value;
    let locked = 0;
    let unreadable = 0;
    for (const [id, entry] of Object.entries(entries)) {
      disk.set(id, entry);
      const token = isUserId(id) ? decode(entry) : undefined;
      if (token === 'locked') locked++;
      else if (token === undefined) unreadable++;
      else tokens.set(id, token);
    }
    if (locked > 0) {
      problems.push(
        `${plural(locked, 'A saved sign-in is', 'saved sign-ins are')} encrypted, but this system's encryption is not available right now, so ${locked === 1 ? 'it' : 'they'} cannot be used. ${locked === 1 ? 'It was' : 'They were'} left unchanged in ${file.path}.`,
      );
    }
    if (unreadable > 0) {
      problems.push(
        `${plural(unreadable, 'A saved sign-in', 'saved sign-ins')} could not be read, so you will need to sign in to ${unreadable === 1 ? 'that account' : 'those accounts'} again. ${unreadable === 1 ? 'It was' : 'They were'} left unchanged in ${file.path}.`,
      );
    }
  }

  const startMode = mode();
  if (startMode === 'memory') {
    problems.push(
      'This system offers no encryption for saved sign-ins, so tokens are kept only until the app quits. To keep them across restarts, turn on "Keep tokens in plaintext" in Settings.',
    );
  } else if (startMode === 'encrypted') {
    // Plaintext left from a time without encryption gets encrypted now that we can.
    try {
      applyStorageMode();
    } catch {
      problems.push('Saved sign-ins could not be encrypted yet; they will be on the next change.');
    }
  }

  /** Checks the id and token; the change that stores them. Throws 'invalid-input'. */
  const storing = (userId: string, token: StoredToken): (() => void) => {
    if (!isUserId(userId)) {
      throw new PiecesError('invalid-input', 'The account id is not valid.', { path: 'userId' });
    }
    const parsed = TOKEN.safeParse(token);
    if (!parsed.success) {
      const path = parsed.error.issues[0]?.path.join('.') || 'token';
      throw new PiecesError(
        'invalid-input',
        `The token's "${path}" field is missing or not valid.`,
        {
          path,
        },
      );
    }
    return () => {
      tokens.set(userId, parsed.data);
      const now = mode();
      // In memory mode an older token for this account must not come back after a restart.
      if (now === 'memory') disk.delete(userId);
      else disk.set(userId, encode(parsed.data, now));
    };
  };

  return {
    get(userId) {
      const token = tokens.get(userId);
      return token && { ...token };
    },
    set(userId, token) {
      change('saved', storing(userId, token));
    },
    setRenewed(userId, token) {
      const error = change('saved', storing(userId, token), true);
      if (error) unsaved.add(userId);
      return error;
    },
    unsavedIds: () => [...unsaved],
    delete(userId) {
      change('removed', () => {
        tokens.delete(userId);
        disk.delete(userId);
      });
    },
    has: (userId) => tokens.has(userId),
    ids: () => [...tokens.keys()],
    applyStorageMode: () => {
      tidy();
      change('saved', applyStorageMode);
    },
    get persistent() {
      return !frozen && mode() !== 'memory';
    },
    loadProblems: problems,
  };
}
