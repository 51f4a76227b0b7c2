// App settings, persisted as `<cwd>/settings.json`. Tokens never live here (see token-vault.ts).
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { isShortcutText } from '../../shared/accelerator';
import { DEFAULT_PUBLIC_SETTINGS, type PublicSettings } from '../../shared/domain';
import { oauthProviderSchema } from '../auth/provider';
import { PiecesError } from '../pieces/errors';
import { isLocalHttpUrl } from '../pieces/local-url';
import {
  backupFile,
  jsonFile,
  removeOrphanTemps,
  tidyBackups,
  type JsonFile,
  type JsonObject,
} from './json-file';
import { isUserId } from './user-id';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export interface AppSettings extends PublicSettings {
  lastActiveId: string | null;
  windowBounds: WindowBounds | null;
  /**
   * Pieces OS addresses the person confirmed in a main-process dialog (see pieces/trust.ts).
   * Private: not in PublicSettings, so the window can neither read nor set it.
   */
  confirmedPiecesOsUrls: readonly string[];
}

export const DEFAULT_SETTINGS: AppSettings = Object.freeze({
  ...DEFAULT_PUBLIC_SETTINGS,
  lastActiveId: null,
  windowBounds: null,
  confirmedPiecesOsUrls: Object.freeze([]) as readonly string[],
});

export interface SettingsStore {
  get(): AppSettings;
  /** Validates the patch; on invalid input throws PiecesError('invalid-input') and changes nothing. */
  update(patch: Partial<AppSettings>): AppSettings;
  /**
   * For what the app keeps for itself on its busy paths (the last active account): validated and
   * in force at once like `update`, but written in the background half a second later, the changes
   * of that time in one write, so nothing waits for the disk. A failed write is reported to `onWriteError` and the change
   * stays in force until quit (`flush` tries again).
   */
  remember(patch: Partial<AppSettings>): AppSettings;
  /** Writes, synchronously, whatever `remember` has not written yet (on quit). */
  flush(): void;
  /** Resolves once no background write is pending. */
  settled(): Promise<void>;
  /** Called after every update that changed something. Returns an unsubscribe function. */
  onChange(cb: (s: AppSettings) => void): () => void;
  /** Problems found while loading (corrupted file, invalid values reset), as sentences for people. */
  readonly loadProblems: string[];
  readonly path: string;
}

/** How long a background write waits for more changes to write with it (see `remember`). */
const BACKGROUND_WRITE_DELAY_MS = 500;

// Window positions can be negative (monitors left of or above the primary one); the limits only
// keep a hand-edited file from putting the window somewhere absurd.
const coordinate = z.number().min(-100_000).max(100_000);
const length = z.number().min(50).max(100_000);

const FIELDS = {
  // Saved tokens are sent there: only an address on this computer (see pieces/local-url.ts).
  piecesOsUrl: z.string().max(2048).refine(isLocalHttpUrl).nullable(),
  requestTimeoutMs: z.number().int().min(500).max(60_000),
  closeToTray: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']),
  notifications: z.boolean(),
  launchAtLogin: z.boolean(),
  allowPlaintextTokens: z.boolean(),
  signInTimeoutMs: z
    .number()
    .int()
    .min(30_000)
    .max(15 * 60_000),
  oauthProvider: oauthProviderSchema.nullable(),
  quickSwitchShortcut: z.string().max(100).refine(isShortcutText),
  lastActiveId: z.string().refine(isUserId).nullable(),
  windowBounds: z
    .object({ x: coordinate.optional(), y: coordinate.optional(), width: length, height: length })
    .nullable(),
  confirmedPiecesOsUrls: z.array(z.string().max(2048).refine(isLocalHttpUrl)).max(20),
} satisfies { [K in keyof AppSettings]: z.ZodType<AppSettings[K]> };

type Field = keyof AppSettings;
const FIELD_NAMES = Object.keys(FIELDS) as Field[];

/** What each field accepts, in words, for the error a caller gets back. */
const RULES: Record<Field, string> = {
  piecesOsUrl: 'an http:// or https:// address on this computer (localhost or 127.0.0.1), or null',
  requestTimeoutMs: 'a whole number of milliseconds from 500 to 60000',
  closeToTray: 'true or false',
  theme: '"system", "light" or "dark"',
  notifications: 'true or false',
  launchAtLogin: 'true or false',
  allowPlaintextTokens: 'true or false',
  signInTimeoutMs: 'a whole number of milliseconds from 30000 to 900000',
  oauthProvider:
    'null or { issuer, clientId, scopes }: an https:// issuer URL (http:// only on 127.0.0.1 or localhost), a client id, and up to 20 scopes including "openid"',
  quickSwitchShortcut:
    'a shortcut like "CommandOrControl+Alt+P" (modifiers and one key joined by +), or "" for none',
  lastActiveId: 'a user id or null',
  windowBounds: 'null or { x?, y?, width, height } with width and height from 50 to 100000',
  confirmedPiecesOsUrls: 'up to 20 http:// or https:// addresses on this computer',
};

// Unknown keys are refused in a patch (a typo should not silently do nothing), but dropped from a
// file (an older or newer version may have written them).
const PATCH = z.strictObject(FIELDS).partial();

/**
 * `MIGRATIONS[n]` turns a version-n file into a version-(n+1) file. A file without a version is
 * version 0. Migrations see the file as it is, so they must tolerate anything in it; values they
 * cannot convert are passed on for validation to reject.
 *
 * We keep our own version number rather than conf's `migrations` option because conf keys
 * migrations to the app version (which needs Electron's `app`) while this is the file format.
 */
const MIGRATIONS: ReadonlyArray<(file: JsonObject) => JsonObject> = [
  // 0 -> 1: the timeout was stored in seconds as `timeout`.
  ({ timeout, ...rest }) => {
    if (timeout === undefined || 'requestTimeoutMs' in rest) return rest;
    return { ...rest, requestTimeoutMs: typeof timeout === 'number' ? timeout * 1000 : timeout };
  },
];
export const SETTINGS_VERSION = MIGRATIONS.length;

function versionOf(file: JsonObject): number {
  const v = file.version;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0;
}

/** Every known field from `file`, or its default when missing or invalid; lists the invalid ones. */
function sanitize(file: JsonObject): { settings: AppSettings; invalid: Field[] } {
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const invalid: Field[] = [];
  for (const field of FIELD_NAMES) {
    if (!Object.hasOwn(file, field)) continue;
    const parsed = FIELDS[field].safeParse(file[field]);
    if (parsed.success) settings[field] = parsed.data;
    else invalid.push(field);
  }
  return { settings: settings as unknown as AppSettings, invalid };
}

function freeze(s: AppSettings): AppSettings {
  if (s.windowBounds) Object.freeze(s.windowBounds);
  if (s.oauthProvider) Object.freeze(Object.freeze(s.oauthProvider).scopes);
  Object.freeze(s.confirmedPiecesOsUrls);
  return Object.freeze(s);
}

const toFile = (s: AppSettings): JsonObject => ({ version: SETTINGS_VERSION, ...s });

/** Reads, migrates and repairs the file; the result is what the app runs with. */
function load(file: JsonFile): { settings: AppSettings; problems: string[]; memoryOnly?: true } {
  const read = file.read();
  if (read.kind === 'missing') return { settings: { ...DEFAULT_SETTINGS }, problems: [] };
  if (read.kind === 'unreadable') {
    return {
      settings: { ...DEFAULT_SETTINGS },
      problems: [
        `The settings file ${file.path} cannot be read (${read.code}), so default settings are in use and changes are kept only until the app quits. Remove or fix what is at that path.`,
      ],
      memoryOnly: true,
    };
  }

  // One backup per start, however many reasons there are to keep the original.
  let backup: string | undefined;
  let backupError: string | undefined;
  const keepOriginal = (): string => {
    if (backup === undefined && backupError === undefined) {
      try {
        backup = backupFile(file.path);
      } catch (err) {
        backupError = (err as NodeJS.ErrnoException).code ?? 'unknown error';
      }
    }
    return backup
      ? `The original file was copied to ${backup}.`
      : `A copy of the original file could not be made (${backupError}).`;
  };

  const problems: string[] = [];
  let raw: JsonObject = {};
  if (read.kind === 'corrupt') {
    problems.push(
      `The settings file ${file.path} could not be read, so default settings are in use. ${keepOriginal()}`,
    );
  } else {
    raw = read.value;
    const version = versionOf(raw);
    if (version > SETTINGS_VERSION) {
      problems.push(
        `The settings file was written by a newer version of the app; settings this version does not know are ignored. ${keepOriginal()}`,
      );
    }
    for (let v = version; v < SETTINGS_VERSION; v++) raw = MIGRATIONS[v]!(raw);
  }

  const { settings, invalid } = sanitize(raw);
  if (invalid.length > 0) {
    problems.push(
      `Some settings had values the app cannot use (${invalid.join(', ')}), so they were reset to their defaults. ${keepOriginal()}`,
    );
  }

  // Rewrite a migrated or repaired file so the problem is reported once, not on every start; but
  // never overwrite an original we failed to copy aside.
  if (
    backupError === undefined &&
    (read.kind === 'corrupt' || !isDeepStrictEqual(read.value, toFile(settings)))
  ) {
    file.write(toFile(settings));
  }
  return { settings, problems };
}

export function openSettings(opts: {
  cwd: string;
  name?: string;
  /** Told, in words, when a background write (see `remember`) failed. */
  onWriteError?: (message: string) => void;
}): SettingsStore {
  const file = jsonFile({ cwd: opts.cwd, name: opts.name ?? 'settings' });
  // Leftovers of a write that was killed, and copies beyond the last few.
  removeOrphanTemps(file.path);
  tidyBackups(file.path);
  const loaded = load(file);
  let current = freeze(loaded.settings);
  const listeners = new Set<(s: AppSettings) => void>();

  // Background writes: at most one at a time; changes meanwhile are written by the next one. A
  // write starts BACKGROUND_WRITE_DELAY_MS after the first change, so a burst of changes (a person
  // switching account after account) is one write, not one per change.
  /** Settings in force that are not on disk yet. */
  let unwritten = false;
  let writing: Promise<void> | null = null;
  /** Ends the wait before a background write (settled() does, so no one waits for the delay). */
  let startNow: (() => void) | undefined;
  /** Counts synchronous writes, so a background write never renames an older file over one. */
  let syncWrites = 0;

  function writeInBackground(): void {
    unwritten = true;
    writing ??= (async () => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, BACKGROUND_WRITE_DELAY_MS);
        startNow = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      startNow = undefined;
      while (unwritten) {
        unwritten = false;
        const value = current;
        const since = syncWrites;
        try {
          // Not renamed when a synchronous write came in between: that one wrote all there was.
          await file.writeInBackground(toFile(value), () => syncWrites === since);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
          opts.onWriteError?.(
            `The settings could not be saved (${code}); the change is kept until the app quits.`,
          );
          unwritten = true;
          return;
        }
      }
    })().finally(() => {
      writing = null;
    });
  }

  function changed(patch: Partial<AppSettings>): AppSettings | undefined {
    const parsed = PATCH.safeParse(patch);
    if (!parsed.success) throw invalidPatch(parsed.error);
    // `{ theme: undefined }` means "no change", not "unset".
    const changes = Object.fromEntries(
      Object.entries(parsed.data).filter(([, v]) => v !== undefined),
    );
    const next: AppSettings = { ...current, ...changes };
    return isDeepStrictEqual(next, current) ? undefined : next;
  }

  function writeNow(value: AppSettings): void {
    try {
      if (!loaded.memoryOnly) {
        syncWrites++;
        file.write(toFile(value));
        unwritten = false;
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new PiecesError('internal', `The settings could not be saved (${code}).`);
    }
  }

  function tell(): void {
    for (const cb of listeners) {
      // A broken listener must not make a saved update look failed, nor starve the others.
      try {
        cb(current);
      } catch (err) {
        console.error('A settings listener failed:', err);
      }
    }
  }

  return {
    path: file.path,
    loadProblems: loaded.problems,
    get: () => current,
    remember(patch) {
      const next = changed(patch);
      if (!next) return current;
      current = freeze(next);
      if (!loaded.memoryOnly) writeInBackground();
      tell();
      return current;
    },
    flush() {
      if (!unwritten && !writing) return;
      try {
        writeNow(current);
      } catch (err) {
        opts.onWriteError?.((err as Error).message);
      }
    },
    settled: async () => {
      startNow?.();
      while (writing) await writing;
    },
    update(patch) {
      const next = changed(patch);
      if (!next) return current;
      writeNow(next);
      current = freeze(next);
      tell();
      return current;
    },
    onChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}

function invalidPatch(error: z.ZodError): PiecesError {
  const issue = error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return new PiecesError('invalid-input', `"${key}" is not a setting.`, { path: key });
  }
  const field = issue?.path[0];
  if (typeof field === 'string' && field in RULES) {
    return new PiecesError(
      'invalid-input',
      `The setting "${field}" must be ${RULES[field as Field]}.`,
      {
        path: issue!.path.join('.'),
      },
    );
  }
  return new PiecesError(
    'invalid-input',
    'Settings must be given as an object of fields to change.',
  );
}

/** The part of the settings the renderer may see. */
export function publicSettings(s: AppSettings): PublicSettings {
  return {
    piecesOsUrl: s.piecesOsUrl,
    requestTimeoutMs: s.requestTimeoutMs,
    closeToTray: s.closeToTray,
    theme: s.theme,
    notifications: s.notifications,
    launchAtLogin: s.launchAtLogin,
    allowPlaintextTokens: s.allowPlaintextTokens,
    signInTimeoutMs: s.signInTimeoutMs,
    oauthProvider: s.oauthProvider && { ...s.oauthProvider, scopes: [...s.oauthProvider.scopes] },
    quickSwitchShortcut: s.quickSwitchShortcut,
  };
}
