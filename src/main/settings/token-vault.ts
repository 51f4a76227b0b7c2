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
// that an entry we cannot read right now is written back exactly as we found it. User ids are keys
// of `tokens` and nothing else (never part of a path); in memory they live in Maps, so any id the
// Pieces OS decoder accepts, "__proto__" and "../x" included, is stored like any other.
//
// Writes are asynchronous (the keychain's asynchronous API) and coalesced: every change made in
// the same turn goes into one atomic, owner-only write; one write runs at a time, and changes made
// meanwhile go into the next. Memory changes at once, so a write that fails loses nothing: the
// change stays in memory and pending, and the next write (a later change, or flush() on quit)
// tries again.
import { Buffer } from 'node:buffer';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { OAuthTokenInput } from '../../shared/domain';
import { PiecesError } from '../pieces/errors';
import {
  backupFile,
  isPlainObject,
  readJsonObject,
  removeOrphanTemps,
  tidyBackups,
  writeJsonAtomic,
  type JsonObject,
} from './json-file';
import type { Keychain } from './keychain';
import { isUserId } from './user-id';

/** A token as the app keeps it. Only the OAuthTokenInput fields are ever sent to Pieces OS. */
export interface StoredToken extends OAuthTokenInput {
  /** Epoch milliseconds when the provider issued it (browser sign-ins and refreshes). */
  obtained_at?: number;
  /** The provider that issued it; only that provider is asked to refresh it. */
  issuer?: string;
}

export interface TokenVault {
  get(userId: string): StoredToken | undefined;
  /**
   * Stores a token: in memory at once, in the file with the next write. Resolves with null once
   * it is written, or with the write's error: then the token is still kept, in memory until the
   * app quits (the one it replaces may no longer work, so rolling back could lose both), and the
   * file gets it with the next write that succeeds. Throws 'invalid-input' for a malformed token
   * or id, keeping nothing.
   */
  set(userId: string, token: StoredToken): Promise<PiecesError | null>;
  /** Accounts whose token is kept in memory but whose last write failed. */
  unsavedIds(): string[];
  /** Forgets a token; resolves like set(): an error means the file still holds it for now. */
  delete(userId: string): Promise<PiecesError | null>;
  has(userId: string): boolean;
  ids(): string[];
  /**
   * Rewrites the file for the current storage mode. Call it when the plaintext opt-in changes:
   * opting in saves the session's tokens; opting out removes plaintext tokens from disk (they stay
   * in memory until the app quits). Not done on its own, because a settings file that was reset
   * after damage must not wipe saved tokens. Rejects with the write's error; the change is then
   * made again, for the mode in force, by the next write.
   */
  applyStorageMode(): Promise<void>;
  /** Resolves once every change so far has been written, or its write has failed (quitting). */
  flush(): Promise<void>;
  /** True while a change waits for its write or a write runs. */
  readonly writing: boolean;
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

const encodingOf = (entry: unknown): unknown => (isPlainObject(entry) ? entry.encoding : undefined);

/** Only the error code: a message from the keychain or the file system is not ours to vouch for. */
const writeError = (what: string, err: unknown): PiecesError => {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return new PiecesError(
    'internal',
    `The sign-in could not be ${what}${code ? ` (${code})` : ''}.`,
  );
};

export async function openTokenVault(opts: {
  cwd: string;
  safeStorage: Keychain;
  allowPlaintext: () => boolean;
  name?: string;
}): Promise<TokenVault> {
  const { safeStorage: keychain, allowPlaintext } = opts;
  const filePath = path.join(opts.cwd, `${opts.name ?? 'tokens'}.json`);
  /** The keychain's answer at the last look (start, and before every write). */
  let encryption = await keychain.isAvailable().catch(() => false);
  // Asked before every write: encryption can become available after startup, and the opt-in can
  // change.
  const mode = async (): Promise<Mode> => {
    encryption = await keychain.isAvailable().catch(() => false);
    return encryption ? 'encrypted' : allowPlaintext() ? 'plain' : 'memory';
  };

  /** Usable tokens. */
  const tokens = new Map<string, StoredToken>();
  /** The entries the file should hold, as raw JSON; includes entries we could not read. */
  const disk = new Map<string, unknown>();
  /** What the file holds as far as we know; undefined when there is no usable file. */
  let onDisk: JsonObject | undefined;
  /** Accounts whose entry the next write makes again from memory (changed, or stale). */
  const dirty = new Set<string>();
  /** Accounts kept in memory whose last write failed. */
  const unsaved = new Set<string>();
  /** The next write should also fit every entry to the storage mode (see applyStorageMode). */
  let refit = false;
  /** The next write should first delete temp files and tidy backups. */
  let tidyDue = false;
  /** Set when a damaged file could not be copied aside, or is newer: then we must not write. */
  let frozen = false;
  const problems: string[] = [];

  const encode = async (token: StoredToken, as: 'encrypted' | 'plain'): Promise<JsonObject> =>
    as === 'plain'
      ? { encoding: 'plain', token }
      : {
          encoding: 'safeStorage',
          data: (await keychain.encrypt(JSON.stringify(token))).toString('base64'),
        };

  const decode = async (
    entry: unknown,
  ): Promise<{ token: StoredToken; stale: boolean } | 'locked' | undefined> => {
    if (!isPlainObject(entry)) return undefined;
    try {
      if (entry.encoding === 'plain') return { token: TOKEN.parse(entry.token), stale: false };
      if (entry.encoding === 'safeStorage' && typeof entry.data === 'string') {
        if (!encryption) return 'locked';
        const { text, stale } = await keychain.decrypt(Buffer.from(entry.data, 'base64'));
        return { token: TOKEN.parse(JSON.parse(text)), stale };
      }
    } catch {
      // Not decryptable or not a token: reported by the caller, without the reason, which could
      // quote the decrypted text.
    }
    return undefined;
  };

  /** Fits every entry to `now` (applyStorageMode's work, done inside a write). */
  const refitTo = async (now: Mode): Promise<void> => {
    for (const [id, token] of tokens) {
      const encoding = encodingOf(disk.get(id));
      if (now === 'encrypted' && encoding !== 'safeStorage')
        disk.set(id, await encode(token, 'encrypted'));
      else if (now === 'plain' && encoding === undefined)
        disk.set(id, await encode(token, 'plain'));
      else if (now === 'memory' && encoding === 'plain') disk.delete(id);
    }
    // Entries kept as found because they could not be used: one that holds plaintext must not
    // outlive an opt-out, nor stay unencrypted beside encrypted ones.
    if (now !== 'plain') {
      for (const [id, entry] of disk) {
        if (!tokens.has(id) && encodingOf(entry) !== 'safeStorage') disk.delete(id);
      }
    }
  };

  /** One write: every pending change, for the storage mode in force now. */
  const writeOnce = async (): Promise<void> => {
    const batch = [...dirty];
    const fitting = refit;
    dirty.clear();
    refit = false;
    try {
      if (tidyDue) {
        // Inside the queue: no temp file of ours is being written right now.
        tidyDue = false;
        removeOrphanTemps(filePath);
        tidyBackups(filePath, scrubTokens);
      }
      if (frozen) return;
      const now = await mode();
      for (const id of batch) {
        const token = tokens.get(id);
        // In memory mode an older token for this account must not come back after a restart.
        if (!token || now === 'memory') disk.delete(id);
        else disk.set(id, await encode(token, now));
      }
      if (fitting) await refitTo(now);
      // Never create a file only to say "no tokens", and never replace a damaged one for nothing.
      if (onDisk === undefined && disk.size === 0) {
        batch.forEach((id) => unsaved.delete(id));
        return;
      }
      // CreateDataProperty: an id "__proto__" becomes an own key, never a prototype.
      const content = { version: VAULT_VERSION, tokens: Object.fromEntries(disk) };
      if (!isDeepStrictEqual(content, onDisk)) {
        await writeJsonAtomic(filePath, content);
        onDisk = content;
      }
      batch.forEach((id) => unsaved.delete(id));
    } catch (err) {
      // Kept in memory and pending: the next write makes these entries again from memory.
      batch.forEach((id) => {
        dirty.add(id);
        if (tokens.has(id)) unsaved.add(id);
      });
      refit ||= fitting;
      throw err;
    }
  };

  /** The write that will take the changes made now; undefined when none is due yet. */
  let next: Promise<void> | undefined;
  /** The write running now, if any. */
  let running: Promise<void> = Promise.resolve();
  let pendingWrites = 0;

  /**
   * Schedules a write for the changes made so far (or joins the one already due): it starts once
   * this turn is over and the write before it has ended, so a burst of changes is one write.
   */
  const scheduleWrite = (): Promise<void> => {
    if (next) return next;
    pendingWrites++;
    const before = running;
    const write = (async () => {
      await before.catch(() => undefined);
      await new Promise<void>((resolve) => setImmediate(resolve));
      next = undefined; // changes from now on go into the write after this one
      await writeOnce();
    })().finally(() => pendingWrites--);
    next = write;
    running = write;
    return write;
  };

  const written = (what: string): Promise<PiecesError | null> =>
    scheduleWrite().then(
      () => null,
      (err: unknown) => writeError(what, err),
    );

  // Temp files of writes that were killed may hold a whole vault in plaintext; copies of damaged
  // files are kept scrubbed, and only the last few.
  removeOrphanTemps(filePath);
  tidyBackups(filePath, scrubTokens);

  // Load. The ids in the file are data: kept as keys even when they are "__proto__".
  const read = readJsonObject(filePath, { dataKeys: 'tokens' });
  const entries = read.kind === 'ok' ? (read.value.tokens ?? {}) : undefined;
  const version = read.kind === 'ok' ? read.value.version : undefined;
  if (typeof version === 'number' && version > VAULT_VERSION) {
    // A newer app wrote it: read what this version understands, and never write over it.
    frozen = true;
    problems.push(
      `The saved sign-ins in ${filePath} were written by a newer version of the app. This version uses what it can read and leaves the file unchanged; new sign-ins are kept only until the app quits.`,
    );
  }
  if (read.kind === 'unreadable') {
    frozen = true;
    problems.push(
      `The saved sign-ins file ${filePath} cannot be read (${read.code}), so you will need to sign in again, and new sign-ins are kept only until the app quits. Remove or fix what is at that path.`,
    );
  } else if (read.kind === 'corrupt' || (read.kind === 'ok' && !isPlainObject(entries))) {
    let copy: string;
    try {
      copy = `The damaged file was copied, without its plaintext tokens, to ${backupFile(filePath, new Date(), scrubTokens)}.`;
      // Copied aside: the damaged original (which may hold plaintext tokens) is not kept too.
      rmSync(filePath, { force: true });
    } catch (err) {
      frozen = true;
      copy = `A copy of it could not be made (${(err as NodeJS.ErrnoException).code ?? 'unknown error'}), so it is left as it is and new sign-ins are kept only until the app quits.`;
    }
    problems.push(
      `The saved sign-ins in ${filePath} could not be read, so you will need to sign in again. ${copy}`,
    );
  } else if (read.kind === 'ok' && isPlainObject(entries)) {
    onDisk = read.value;
    let locked = 0;
    let unreadable = 0;
    for (const [id, entry] of Object.entries(entries)) {
      disk.set(id, entry);
      const found = isUserId(id) ? await decode(entry) : undefined;
      if (found === 'locked') locked++;
      else if (found === undefined) unreadable++;
      else {
        tokens.set(id, found.token);
        // The keychain asks for it to be encrypted again (a rotated key): the next write does.
        if (found.stale) dirty.add(id);
      }
    }
    if (locked > 0) {
      problems.push(
        `${plural(locked, 'A saved sign-in is', 'saved sign-ins are')} encrypted, but this system's encryption is not available right now, so ${locked === 1 ? 'it' : 'they'} cannot be used. ${locked === 1 ? 'It was' : 'They were'} left unchanged in ${filePath}.`,
      );
    }
    if (unreadable > 0) {
      problems.push(
        `${plural(unreadable, 'A saved sign-in', 'saved sign-ins')} could not be read, so you will need to sign in to ${unreadable === 1 ? 'that account' : 'those accounts'} again. ${unreadable === 1 ? 'It was' : 'They were'} left unchanged in ${filePath}.`,
      );
    }
  }

  const startMode = await mode();
  if (startMode === 'memory') {
    problems.push(
      'This system offers no encryption for saved sign-ins, so tokens are kept only until the app quits. To keep them across restarts, turn on "Keep tokens in plaintext" in Settings.',
    );
  } else if (startMode === 'encrypted') {
    // Plaintext left from a time without encryption gets encrypted now that we can.
    refit = true;
  }
  if (refit || dirty.size > 0) {
    await scheduleWrite().catch(() => {
      problems.push('Saved sign-ins could not be encrypted yet; they will be on the next change.');
    });
  }

  /** Checks the id and token. Throws 'invalid-input'. */
  const checked = (userId: string, token: StoredToken): StoredToken => {
    if (!isUserId(userId)) {
      throw new PiecesError('invalid-input', 'The account id is not valid.', { path: 'userId' });
    }
    const parsed = TOKEN.safeParse(token);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') || 'token';
      throw new PiecesError(
        'invalid-input',
        `The token's "${where}" field is missing or not valid.`,
        { path: where },
      );
    }
    return parsed.data;
  };

  return {
    get(userId) {
      const token = tokens.get(userId);
      return token && { ...token };
    },
    set(userId, token) {
      const valid = checked(userId, token);
      tokens.set(userId, valid);
      dirty.add(userId);
      return written('saved');
    },
    unsavedIds: () => [...unsaved],
    delete(userId) {
      tokens.delete(userId);
      unsaved.delete(userId);
      dirty.add(userId);
      return written('removed');
    },
    has: (userId) => tokens.has(userId),
    ids: () => [...tokens.keys()],
    async applyStorageMode() {
      tidyDue = true;
      refit = true;
      const error = await written('saved');
      if (error) throw error;
    },
    async flush() {
      // One more try for changes whose write failed: quitting is the last chance.
      if (dirty.size > 0 || refit) await scheduleWrite().catch(() => undefined);
      await running.catch(() => undefined);
    },
    get writing() {
      return pendingWrites > 0 || dirty.size > 0;
    },
    get persistent() {
      return !frozen && (encryption || allowPlaintext());
    },
    loadProblems: problems,
  };
}
