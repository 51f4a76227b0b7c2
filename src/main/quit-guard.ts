// Quitting waits for a running operation. A switch may just have renewed a token that is not
// stored yet, a sign-in may have signed Pieces OS in without the app keeping the token: quitting
// in the middle would lose it. So the first quit is put off until the operation has ended and the
// token vault's asynchronous writes are on disk, for a few seconds at most (a hung request must
// not keep the app from quitting), then goes ahead.
import type { AccountActions } from './accounts/types';
import type { Log } from './log/logger';

export const DEFAULT_QUIT_WAIT_MS = 5_000;

type Service = Pick<AccountActions, 'snapshot' | 'subscribe'>;

/**
 * Resolves true once no operation runs, or false after `limitMs`. "No operation" is checked again
 * a turn later: a browser sign-in queued behind the operation claims the next one at once.
 */
export function whenIdle(service: Service, limitMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    let unsubscribe: (() => void) | null = null;
    const finish = (idle: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe?.();
      resolve(idle);
    };
    const timer = setTimeout(() => finish(false), limitMs);
    const check = (): void => {
      if (service.snapshot().operation) return;
      setImmediate(() => {
        if (!service.snapshot().operation) finish(true);
      });
    };
    unsubscribe = service.subscribe(check);
    check();
  });
}

/** The token vault, as far as quitting is concerned. */
export interface PendingWrites {
  /** True while a write is due or running. */
  readonly writing: boolean;
  /** Resolves once the writes due so far are done (or failed). */
  flush(): Promise<void>;
}

export interface QuitGuardOptions {
  service: Service;
  /** Writes to finish before the app exits (the token vault). */
  storage?: PendingWrites;
  /** Asks to quit again (Electron's app.quit()); before-quit then comes round once more. */
  quit(): void;
  /** How long to wait for a running operation. Default 5 seconds. */
  limitMs?: number;
  /**
   * True once the system is shutting down or logging out: then the quit goes ahead at once. On
   * macOS a quit held then would cancel the logout or shutdown itself.
   */
  systemEnding?: () => boolean;
  log?: Pick<Log, 'info' | 'warn'>;
}

/** True when `work` settles within `ms`; false when the time runs out first. */
function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    work
      .then(
        () => resolve(true),
        () => resolve(true),
      )
      .finally(() => clearTimeout(timer));
  });
}

/** A `before-quit` handler: puts the quit off while an operation runs, then quits for real. */
export function createQuitGuard(
  opts: QuitGuardOptions,
): (event: { preventDefault(): void }) => void {
  const limitMs = opts.limitMs ?? DEFAULT_QUIT_WAIT_MS;
  let waiting = false;
  let released = false;
  return (event) => {
    if (released || opts.systemEnding?.()) return;
    if (!waiting) {
      const operation = opts.service.snapshot().operation;
      if (!operation && !opts.storage?.writing) return;
      waiting = true;
      if (operation) {
        opts.log?.info('Quitting once the running operation has ended', {
          operation: operation.kind,
        });
      }
      const started = Date.now();
      void whenIdle(opts.service, limitMs)
        .then(async (idle) => {
          if (!idle) {
            opts.log?.warn('Quitting with an operation still running', { waitedMs: limitMs });
          }
          // The operation's last token write, and any other, lands before the exit.
          const left = Math.max(0, limitMs - (Date.now() - started));
          if (opts.storage && !(await within(opts.storage.flush(), left))) {
            opts.log?.warn('Quitting with a token write still running', { waitedMs: limitMs });
          }
        })
        .finally(() => {
          released = true;
          opts.quit();
        });
    }
    // A second quit while waiting (the tray's Quit clicked again) is the same quit: still put off.
    event.preventDefault();
  };
}
