// What the app does about updates, as plain functions: whether updates are on, when to check,
// what the tray shows, and what to tell the person. updater.ts feeds electron-updater's events in.
//
// The rules: an update downloads in the background and installs when the app quits; the person
// hears of it by a notification, and the app restarts early only when they click it (or the tray
// item). An automatic check that fails (offline, a release being published) is only logged; a
// check the person asked for always gets an answer.

/** The first check waits until the app has started and settled. */
export const FIRST_CHECK_DELAY_MS = 60_000;
/** Then one check every few hours, for an app that stays in the tray for days. */
export const CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

export type UpdatesAvailability = { enabled: true } | { enabled: false; reason: string };

/**
 * Updates run only in a packaged app whose build names a release provider: electron-builder writes
 * app-update.yml into the app's resources only when its config has a `publish` entry.
 */
export function updatesAvailability(app: {
  isPackaged: boolean;
  hasUpdateConfig: boolean;
}): UpdatesAvailability {
  if (!app.isPackaged) return { enabled: false, reason: 'development build' };
  if (!app.hasUpdateConfig) return { enabled: false, reason: 'no release provider configured' };
  return { enabled: true };
}

export type UpdateStatus =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'up-to-date' }
  | { kind: 'downloading'; version: string; percent: number | null }
  | { kind: 'ready'; version: string }
  | { kind: 'error'; message: string };

export interface UpdateState {
  status: UpdateStatus;
  /** The running check was asked for by the person: its outcome is told even if nothing new. */
  asked: boolean;
}

export const INITIAL_UPDATE_STATE: UpdateState = { status: { kind: 'idle' }, asked: false };

/** What electron-updater reports, in the app's words. */
export type UpdateEvent =
  | { type: 'checking' }
  | { type: 'not-available' }
  | { type: 'available'; version: string }
  | { type: 'progress'; percent: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; error: unknown };

export interface UpdateNotice {
  title: string;
  body: string;
  /** Clicking the notification restarts the app to install the update. */
  restartOnClick: boolean;
  /** The person asked for this answer (shown even with notifications turned off). */
  answersRequest: boolean;
}

/** Whether a check should start now. A running check or download is never started twice. */
export function shouldCheck(state: UpdateState): boolean {
  const { kind } = state.status;
  return kind !== 'checking' && kind !== 'downloading' && kind !== 'ready';
}

/** The state once a check starts (`asked`: the person chose "Check for updates…"). */
export function checkStarted(state: UpdateState, asked: boolean): UpdateState {
  return { status: { kind: 'checking' }, asked: asked || state.asked };
}

/** A notice for a check the person asked for while nothing new can be checked. */
export function noticeForBlockedCheck(state: UpdateState): UpdateNotice | null {
  if (state.status.kind !== 'ready') return null;
  return readyNotice(state.status.version, true);
}

function readyNotice(version: string, answersRequest: boolean): UpdateNotice {
  return {
    title: 'Update ready',
    body: `Version ${version} installs when you quit. Click to restart and install it now.`,
    restartOnClick: true,
    answersRequest,
  };
}

/** The next state and what to tell the person (null: nothing), for one updater event. */
export function onUpdateEvent(
  state: UpdateState,
  event: UpdateEvent,
  currentVersion: string,
): { state: UpdateState; notice: UpdateNotice | null } {
  const answer = (title: string, body: string): UpdateNotice | null =>
    state.asked ? { title, body, restartOnClick: false, answersRequest: true } : null;
  switch (event.type) {
    case 'checking':
      return { state: { ...state, status: { kind: 'checking' } }, notice: null };
    case 'not-available':
      return {
        state: { status: { kind: 'up-to-date' }, asked: false },
        notice: answer('No update', `You have the latest version (${currentVersion}).`),
      };
    case 'available':
      return {
        state: { ...state, status: { kind: 'downloading', version: event.version, percent: null } },
        notice: answer(
          'Update available',
          `Downloading version ${event.version}. You will be told when it is ready.`,
        ),
      };
    case 'progress':
      if (state.status.kind !== 'downloading') return { state, notice: null };
      // In steps of 10 %, so the tray menu is rebuilt a few times per download, not hundreds.
      return {
        state: {
          ...state,
          status: { ...state.status, percent: Math.floor(event.percent / 10) * 10 },
        },
        notice: null,
      };
    case 'downloaded':
      // Told whether or not the person asked: this is the one notice an update is offered by.
      return {
        state: { status: { kind: 'ready', version: event.version }, asked: false },
        notice: readyNotice(event.version, state.asked),
      };
    case 'error': {
      const message = updateErrorWords(event.error);
      return {
        state: { status: { kind: 'error', message }, asked: false },
        notice: answer('Could not check for updates', message),
      };
    }
  }
}

/** An updater error in words. The raw message (URLs, HTTP headers, paths) goes to the log only. */
export function updateErrorWords(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.message} ${String((error as { code?: unknown }).code ?? '')}`
      : String(error);
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|net::ERR_/i.test(text)) {
    return 'The update server could not be reached. Check the internet connection and try again later.';
  }
  if (/\b404\b|Cannot find (channel|latest)|No published versions/i.test(text)) {
    return 'No release of the app was found on the update server.';
  }
  if (/sha512 checksum mismatch|signature|code sign/i.test(text)) {
    return 'The downloaded update did not pass its integrity check and was not installed.';
  }
  if (/ENOSPC/i.test(text)) return 'There is not enough disk space to download the update.';
  return 'The update server gave an answer the app did not understand. Try again later.';
}

/** The tray's update item: what it says, whether it can be clicked, what a click does. */
export interface UpdateMenuItem {
  label: string;
  enabled: boolean;
  action: 'check' | 'install';
}

export function updateMenuItem(status: UpdateStatus): UpdateMenuItem {
  switch (status.kind) {
    case 'checking':
      return { label: 'Checking for updates…', enabled: false, action: 'check' };
    case 'downloading':
      return {
        label:
          status.percent === null
            ? `Downloading version ${status.version}…`
            : `Downloading version ${status.version} (${status.percent} %)…`,
        enabled: false,
        action: 'check',
      };
    case 'ready':
      return {
        label: `Restart to install version ${status.version}`,
        enabled: true,
        action: 'install',
      };
    case 'idle':
    case 'up-to-date':
    case 'error':
      return { label: 'Check for updates…', enabled: true, action: 'check' };
  }
}
