// The thin adapter between electron-updater's autoUpdater and update-policy.ts. autoUpdater comes
// in as a parameter (load-updater.ts requires it, only in a packaged app), so tests drive a fake.
import {
  CHECK_INTERVAL_MS,
  FIRST_CHECK_DELAY_MS,
  INITIAL_UPDATE_STATE,
  checkStarted,
  noticeForBlockedCheck,
  onUpdateEvent,
  shouldCheck,
  updateMenuItem,
  type UpdateEvent,
  type UpdateMenuItem,
  type UpdateNotice,
  type UpdateState,
} from './update-policy';

/** The part of electron-updater's AppUpdater the app uses. */
export interface AutoUpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: {
    info(message?: unknown): void;
    warn(message?: unknown): void;
    error(message?: unknown): void;
  } | null;
  on(event: string, listener: (arg: unknown) => void): unknown;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface UpdaterDeps {
  autoUpdater: AutoUpdaterLike;
  /** The running app's version, for "you have the latest version". */
  currentVersion(): string;
  notify(notice: UpdateNotice, onClick: (() => void) | undefined): void;
  log: {
    info(message: string, fields?: Record<string, unknown>): void;
    warn(message: string, fields?: Record<string, unknown>): void;
  };
  /** Called just before the app quits to install: the window must close instead of hiding. */
  prepareToQuit(): void;
  timers?: {
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
  };
}

export interface Updater {
  /** Schedules the first check and the ones after it. */
  start(): void;
  /** A check the person asked for ("Check for updates…"): always answered. */
  checkNow(): void;
  /** Quits and installs the downloaded update; only ever called on the person's click. */
  installNow(): void;
  menuItem(): UpdateMenuItem;
  subscribe(listener: () => void): () => void;
  stop(): void;
}

const versionOf = (info: unknown): string =>
  typeof (info as { version?: unknown } | null)?.version === 'string'
    ? (info as { version: string }).version
    : 'unknown';

export function createUpdater(deps: UpdaterDeps): Updater {
  const { autoUpdater, log } = deps;
  const timers = deps.timers ?? {
    // Unref'd: a pending check never keeps a process alive on its own.
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms).unref(),
    clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
  };
  let state: UpdateState = INITIAL_UPDATE_STATE;
  let timer: unknown;
  let stopped = false;
  const listeners = new Set<() => void>();

  // Download in the background, install on quit; never restart without the person's click.
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.logger = {
    info: (m) => log.info(`Updater: ${String(m)}`),
    warn: (m) => log.warn(`Updater: ${String(m)}`),
    error: (m) => log.warn(`Updater: ${String(m)}`),
  };

  function installNow(): void {
    if (state.status.kind !== 'ready') return;
    log.info('Restarting to install the update', { version: state.status.version });
    deps.prepareToQuit();
    autoUpdater.quitAndInstall();
  }

  function apply(event: UpdateEvent): void {
    if (stopped) return;
    const before = state;
    const next = onUpdateEvent(state, event, deps.currentVersion());
    state = next.state;
    if (event.type === 'error') {
      log.warn('The update check failed', {
        error: event.error instanceof Error ? event.error.message : String(event.error),
      });
    }
    if (next.notice) deps.notify(next.notice, next.notice.restartOnClick ? installNow : undefined);
    if (JSON.stringify(before.status) !== JSON.stringify(state.status)) {
      for (const listener of listeners) listener();
    }
  }

  autoUpdater.on('checking-for-update', () => apply({ type: 'checking' }));
  autoUpdater.on('update-not-available', () => apply({ type: 'not-available' }));
  autoUpdater.on('update-available', (info: unknown) =>
    apply({ type: 'available', version: versionOf(info) }),
  );
  autoUpdater.on('download-progress', (progress: unknown) => {
    const percent = (progress as { percent?: unknown } | null)?.percent;
    apply({ type: 'progress', percent: typeof percent === 'number' ? percent : 0 });
  });
  autoUpdater.on('update-downloaded', (info: unknown) =>
    apply({ type: 'downloaded', version: versionOf(info) }),
  );
  autoUpdater.on('error', (error: unknown) => apply({ type: 'error', error }));

  function check(asked: boolean): void {
    if (stopped) return;
    if (!shouldCheck(state)) {
      const notice = asked ? noticeForBlockedCheck(state) : null;
      if (notice) deps.notify(notice, installNow);
      return;
    }
    state = checkStarted(state, asked);
    for (const listener of listeners) listener();
    // A failure also arrives as an 'error' event; whichever comes first ends the check. A null
    // result means the updater is inactive (no update config) and sends no event at all.
    autoUpdater.checkForUpdates().then(
      (result) => {
        if (result === null && state.status.kind === 'checking') {
          apply({ type: 'error', error: new Error('the updater is not active in this build') });
        }
      },
      (error: unknown) => {
        if (state.status.kind === 'checking') apply({ type: 'error', error });
      },
    );
  }

  function schedule(ms: number): void {
    timer = timers.setTimeout(() => {
      check(false);
      if (!stopped) schedule(CHECK_INTERVAL_MS);
    }, ms);
  }

  return {
    start() {
      if (timer === undefined && !stopped) schedule(FIRST_CHECK_DELAY_MS);
    },
    checkNow: () => check(true),
    installNow,
    menuItem: () => updateMenuItem(state.status),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      listeners.clear();
    },
  };
}
