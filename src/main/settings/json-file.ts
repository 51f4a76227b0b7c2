// Reading, backing up and writing the small JSON files that settings and tokens live in.
import fs from 'node:fs';
import path from 'node:path';
import ElectronStore from 'electron-store';

export type JsonObject = Record<string, unknown>;

export type ReadResult =
  | { kind: 'missing' }
  | { kind: 'ok'; value: JsonObject }
  /** Not JSON, or JSON that is not an object: nothing in it can be trusted. */
  | { kind: 'corrupt' };

// JSON.parse turns these into own properties, which is harmless until something copies them with
// assignment semantics (Object.assign, a spread into a class, a deep merge): then `__proto__`
// replaces a prototype. Dropping them at the door means no later code has to remember.
const DANGEROUS_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a JSON object file; throws only for errors of the file system other than "not there". */
export function readJsonObject(filePath: string): ReadResult {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
  try {
    // Editors may save a byte order mark, which is not JSON.
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''), (key, v: unknown) =>
      DANGEROUS_KEYS.has(key) ? undefined : v,
    );
    return isPlainObject(value) ? { kind: 'ok', value } : { kind: 'corrupt' };
  } catch {
    return { kind: 'corrupt' };
  }
}

/**
 * Copies a file aside before it is replaced, so a reset never destroys what a person had. Returns
 * the path of the copy. The copy keeps the original's bytes and permissions.
 */
export function backupFile(filePath: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const target = `${filePath}.bak-${stamp}${n === 0 ? '' : `-${n}`}`;
    try {
      fs.copyFileSync(filePath, target, fs.constants.COPYFILE_EXCL);
      return target;
    } catch (err) {
      // Two backups in the same millisecond (tests, quick restarts) get a counter.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw err;
    }
  }
}

export interface JsonFile {
  readonly path: string;
  read(): ReadResult;
  /** Replaces the whole file atomically (temp file, fsync, rename: done by conf's `atomically`). */
  write(value: JsonObject): void;
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
  };
}
