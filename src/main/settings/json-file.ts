// Reading, backing up and writing the small JSON files that settings and tokens live in.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ElectronStore from 'electron-store';

export type JsonObject = Record<string, unknown>;

export type ReadResult =
  | { kind: 'missing' }
  | { kind: 'ok'; value: JsonObject }
  /** Not JSON, or JSON that is not an object: nothing in it can be trusted. */
  | { kind: 'corrupt' }
  /** There, but not readable as a file (a directory, no permission): `code` says why. */
  | { kind: 'unreadable'; code: string };

// JSON.parse turns these into own properties, which is harmless until something copies them with
// assignment semantics (Object.assign, a spread into a class, a deep merge): then `__proto__`
// replaces a prototype. Dropping them at the door means no later code has to remember.
const DANGEROUS_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a JSON object file; never throws. `dataKeys` names a top-level property whose own keys are
 * data, not names (the token vault's user ids, which may be "__proto__"): those are kept, as own
 * properties, for the caller to move into a Map at once. Everywhere else the dangerous keys go.
 */
export function readJsonObject(filePath: string, opts: { dataKeys?: string } = {}): ReadResult {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    if (code === 'ENOENT') return { kind: 'missing' };
    // A directory or a file we may not read in its place: the caller says so and runs on defaults.
    return { kind: 'unreadable', code };
  }
  try {
    // Editors may save a byte order mark, which is not JSON. JSON.parse makes every key an own
    // property (never a prototype), so dropping them afterwards is as safe as a reviver.
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (!isPlainObject(value)) return { kind: 'corrupt' };
    for (const [key, v] of Object.entries(value)) {
      if (DANGEROUS_KEYS.has(key)) delete value[key];
      else if (key === opts.dataKeys && isPlainObject(v))
        for (const entry of Object.values(v)) dropDangerousKeys(entry);
      else dropDangerousKeys(v);
    }
    return { kind: 'ok', value };
  } catch {
    return { kind: 'corrupt' };
  }
}

function dropDangerousKeys(value: unknown): void {
  if (Array.isArray(value)) value.forEach(dropDangerousKeys);
  else if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (DANGEROUS_KEYS.has(key)) delete value[key];
      else dropDangerousKeys(v);
    }
  }
}

/**
 * Replaces a file with `value` as JSON, atomically and asynchronously: an owner-only temp file
 * beside it (`<name>.tmp-…`, which removeOrphanTemps deletes if a kill cuts the write short),
 * written, flushed to disk, then renamed over the file. On failure the temp file is removed and
 * the old file is left as it was.
 */
export async function writeJsonAtomic(
  filePath: string,
  value: JsonObject,
  mode = 0o600,
): Promise<void> {
  const temp = `${filePath}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    const handle = await fs.promises.open(temp, 'wx', mode);
    try {
      await handle.writeFile(`${JSON.stringify(value, null, '\t')}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, filePath);
  } catch (err) {
    await fs.promises.rm(temp, { force: true, recursive: true }).catch(() => undefined);
    throw err;
  }
}

/** How many copies of a damaged file are kept; older ones are deleted. */
export const KEPT_BACKUPS = 3;

/**
 * Copies a file aside before it is replaced, so a reset never destroys what a person had. Returns
 * the path of the copy. The copy keeps the original's bytes and permissions, or, with `scrub`,
 * the scrubbed text (owner-only): a copy of a damaged token vault must not keep plaintext tokens.
 * Only the last KEPT_BACKUPS copies are kept.
 */
export function backupFile(
  filePath: string,
  now = new Date(),
  scrub?: (text: string) => string,
): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const target = `${filePath}.bak-${stamp}${n === 0 ? '' : `-${String(n).padStart(3, '0')}`}`;
    try {
      if (scrub) {
        const text = scrub(fs.readFileSync(filePath, 'utf8'));
        fs.writeFileSync(target, text, { flag: 'wx', mode: 0o600 });
      } else fs.copyFileSync(filePath, target, fs.constants.COPYFILE_EXCL);
      pruneBackups(filePath);
      return target;
    } catch (err) {
      // Two backups in the same millisecond (tests, quick restarts) get a counter.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw err;
    }
  }
}

const siblings = (filePath: string, infix: string): string[] => {
  const dir = path.dirname(filePath);
  const prefix = `${path.basename(filePath)}${infix}`;
  try {
    return fs
      .readdirSync(dir)
      .filter((name) => name.startsWith(prefix))
      .sort()
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
};

/**
 * Keeps the newest KEPT_BACKUPS copies of `filePath` (their names sort by time) and, with
 * `scrub`, rewrites any older-format copy that still holds what `scrub` removes. Never throws.
 */
export function tidyBackups(filePath: string, scrub?: (text: string) => string): void {
  pruneBackups(filePath);
  if (!scrub) return;
  for (const backup of siblings(filePath, '.bak-')) {
    try {
      const text = fs.readFileSync(backup, 'utf8');
      const clean = scrub(text);
      if (clean !== text) fs.writeFileSync(backup, clean, { mode: 0o600 });
    } catch {
      // Unreadable: left alone; the next tidy tries again.
    }
  }
}

function pruneBackups(filePath: string): void {
  const backups = siblings(filePath, '.bak-');
  for (const old of backups.slice(0, Math.max(0, backups.length - KEPT_BACKUPS))) {
    fs.rmSync(old, { force: true });
  }
}

/**
 * Deletes the temp files of atomic writes that never finished (`<name>.json.tmp-…`, left by a
 * crash or a kill mid-write): they may hold a whole token vault in plaintext. Callers run it when
 * no write of theirs is in progress (the token vault, from inside its write queue). Returns how
 * many.
 */
export function removeOrphanTemps(filePath: string): number {
  let removed = 0;
  for (const temp of siblings(filePath, '.tmp-')) {
    try {
      fs.rmSync(temp, { force: true, recursive: true });
      removed++;
    } catch {
      // In use by something else or not ours to delete: left.
    }
  }
  return removed;
}

export interface JsonFile {
  readonly path: string;
  read(): ReadResult;
  /** Replaces the whole file atomically (temp file, fsync, rename: done by conf's `atomically`). */
  write(value: JsonObject): void;
  /**
   * The same, without blocking: temp file, fsync and rename off the main thread, in the format
   * `write` uses. Resolves false, leaving the file alone, when `stillWanted()` says no before the
   * rename (a synchronous write has replaced the file with something newer meanwhile).
   */
  writeInBackground(value: JsonObject, stillWanted: () => boolean): Promise<boolean>;
}

/** `<cwd>/<name>.json`, written through electron-store. `mode` applies to the file and its temp file. */
export function jsonFile(opts: { cwd: string; name: string; mode?: number }): JsonFile {
  const filePath = path.join(opts.cwd, `${opts.name}.json`);
  // Created on the first write, so opening a store never touches the disk, and so the file has
  // already been read (and, if damaged, backed up) by us before conf looks at it.
  let store: ElectronStore | undefined;
  return {
    path: filePath,
    read: () => readJsonObject(filePath),
    write(value) {
      store ??= new ElectronStore({
        cwd: opts.cwd,
        name: opts.name,
        // Keys are user ids and setting names, not paths: a dot in a user id is not nesting.
        accessPropertiesByDotNotation: false,
        // The file was read and backed up by us; conf only has to be able to overwrite it.
        clearInvalidConfig: true,
        ...(opts.mode === undefined ? {} : { configFileMode: opts.mode }),
      });
      store.store = value;
    },
    async writeInBackground(value, stillWanted) {
      // conf's own format, so a later synchronous write or read sees no difference.
      const text = JSON.stringify(value, undefined, '\t');
      // The `.tmp-` name removeOrphanTemps deletes if the app dies mid-write.
      const temp = `${filePath}.tmp-${randomBytes(6).toString('hex')}`;
      try {
        await fs.promises.mkdir(opts.cwd, { recursive: true });
        const handle = await fs.promises.open(temp, 'w', opts.mode ?? 0o666);
        try {
          await handle.writeFile(text, 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
        if (!stillWanted()) {
          await fs.promises.rm(temp, { force: true });
          return false;
        }
        await fs.promises.rename(temp, filePath);
        return true;
      } catch (err) {
        await fs.promises.rm(temp, { force: true }).catch(() => undefined);
        throw err;
      }
    },
  };
}
