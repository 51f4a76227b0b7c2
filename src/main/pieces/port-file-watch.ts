// Watches Pieces OS's `.port.txt` file(s), as Raycast does, so a Pieces OS restarted on another
// port is followed at once instead of after a backoff. The folder is watched, not the file: the
// file may not exist yet, and Pieces OS may replace it (a rename) rather than rewrite it.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface PortFileWatchOptions {
  /** Changes closer together than this become one call. Default 100 ms. */
  debounceMs?: number;
  timers?: Timers;
}

/** The timer functions the live module uses; injectable so tests can see the delays asked for. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface PortFileWatch {
  /**
   * Tries again to watch folders that could not be watched (missing, or removed since). Cheap:
   * called on every search for Pieces OS, so a folder created by a first install is picked up
   * without polling it.
   */
  rearm(): void;
  /** The folders being watched now. */
  watching(): string[];
  close(): void;
}

export const DEFAULT_DEBOUNCE_MS = 100;

export function watchPortFiles(
  files: readonly string[],
  onChange: () => void,
  opts: PortFileWatchOptions = {},
): PortFileWatch {
  const timers = opts.timers ?? realTimers;
  const debounceMs = opts.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  // One watcher per folder, each interested in the file names listed for it.
  const names = new Map<string, Set<string>>();
  for (const file of files) {
    const dir = path.dirname(file);
    const set = names.get(dir) ?? new Set<string>();
    set.add(path.basename(file));
    names.set(dir, set);
  }
  const watchers = new Map<string, FSWatcher>();
  let pending: unknown;
  let closed = false;

  const changed = () => {
    if (closed) return;
    if (pending !== undefined) timers.clearTimeout(pending);
    pending = timers.setTimeout(() => {
      pending = undefined;
      if (!closed) onChange();
    }, debounceMs);
  };

  const arm = (dir: string) => {
    if (watchers.has(dir)) return;
    let watcher: FSWatcher;
    // The folder went away (Pieces OS uninstalled, a profile reset): stop watching it, so that
    // rearm() watches it again once it is back, and count it as a change, since the port it held
    // is gone too.
    const gone = () => {
      watcher.close();
      if (watchers.get(dir) === watcher) watchers.delete(dir);
      changed();
    };
    try {
      watcher = watch(dir, (event, filename) => {
        // Some platforms give no file name; then any change in the folder counts.
        if (filename === null || names.get(dir)!.has(String(filename))) changed();
        // Linux tells a removed folder only as a rename named after the folder itself (no error),
        // and the watcher then sees nothing more, even once the folder is created again.
        if (event === 'rename' && filename === path.basename(dir) && !existsSync(dir)) gone();
      });
    } catch {
      // Missing or unreadable folder: rearm() tries again on the next search.
      return;
    }
    // Other platforms report a removed folder as an error.
    watcher.on('error', gone);
    watchers.set(dir, watcher);
  };

  const rearm = () => {
    if (closed) return;
    for (const dir of names.keys()) arm(dir);
  };
  rearm();

  return {
    rearm,
    watching: () => [...watchers.keys()],
    close() {
      closed = true;
      if (pending !== undefined) timers.clearTimeout(pending);
      pending = undefined;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
