import { describe, expect, it } from 'vitest';
import {
  INITIAL_UPDATE_STATE,
  checkStarted,
  onUpdateEvent,
  shouldCheck,
  updateErrorWords,
  updateMenuItem,
  updatesAvailability,
  type UpdateEvent,
  type UpdateState,
} from './update-policy';

/** Runs events from a state, collecting the notices. */
function run(state: UpdateState, events: UpdateEvent[]) {
  const notices = [];
  for (const event of events) {
    const next = onUpdateEvent(state, event, '0.1.0');
    state = next.state;
    if (next.notice) notices.push(next.notice);
  }
  return { state, notices };
}

describe('updatesAvailability', () => {
  it('is off in development and when the build names no release provider', () => {
    expect(updatesAvailability({ isPackaged: false, hasUpdateConfig: true })).toEqual({
      enabled: false,
      reason: 'development build',
    });
    expect(updatesAvailability({ isPackaged: true, hasUpdateConfig: false })).toEqual({
      enabled: false,
      reason: 'no release provider configured',
    });
    expect(updatesAvailability({ isPackaged: true, hasUpdateConfig: true })).toEqual({
      enabled: true,
    });
  });
});

describe('when to check', () => {
  it('checks when idle, up to date or after an error, never twice at once or over a ready update', () => {
    const at = (status: UpdateState['status']) => shouldCheck({ status, asked: false });
    expect(at({ kind: 'idle' })).toBe(true);
    expect(at({ kind: 'up-to-date' })).toBe(true);
    expect(at({ kind: 'error', message: 'x' })).toBe(true);
    expect(at({ kind: 'checking' })).toBe(false);
    expect(at({ kind: 'downloading', version: '1.2.0', percent: null })).toBe(false);
    expect(at({ kind: 'ready', version: '1.2.0' })).toBe(false);
  });
});

describe('what the person is told', () => {
  it('says nothing about an automatic check that finds nothing or fails', () => {
    const auto = checkStarted(INITIAL_UPDATE_STATE, false);
    expect(run(auto, [{ type: 'checking' }, { type: 'not-available' }]).notices).toEqual([]);
    const failed = run(auto, [
      { type: 'error', error: new Error('net::ERR_INTERNET_DISCONNECTED') },
    ]);
    expect(failed.notices).toEqual([]);
    expect(failed.state.status.kind).toBe('error');
  });

  it('answers a check the person asked for: up to date, with the version', () => {
    const asked = checkStarted(INITIAL_UPDATE_STATE, true);
    const { state, notices } = run(asked, [{ type: 'checking' }, { type: 'not-available' }]);
    expect(notices).toEqual([
      {
        title: 'No update',
        body: 'You have the latest version (0.1.0).',
        restartOnClick: false,
        answersRequest: true,
      },
    ]);
    expect(state).toEqual({ status: { kind: 'up-to-date' }, asked: false });
  });

  it('answers a failed check the person asked for in words, without the raw error', () => {
    const asked = checkStarted(INITIAL_UPDATE_STATE, true);
    const raw = new Error('getaddrinfo ENOTFOUND api.github.com, headers: {"authorization": "x"}');
    const { notices } = run(asked, [{ type: 'error', error: raw }]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      title: 'Could not check for updates',
      answersRequest: true,
    });
    expect(notices[0]?.body).toBe(
      'The update server could not be reached. Check the internet connection and try again later.',
    );
    expect(JSON.stringify(notices)).not.toContain('github');
  });

  it('offers a downloaded update by one notification whose click restarts, asked for or not', () => {
    for (const asked of [false, true]) {
      const { state, notices } = run(checkStarted(INITIAL_UPDATE_STATE, asked), [
        { type: 'checking' },
        { type: 'available', version: '1.2.0' },
        { type: 'progress', percent: 37.2 },
        { type: 'downloaded', version: '1.2.0' },
      ]);
      expect(notices.at(-1)).toEqual({
        title: 'Update ready',
        body: 'Version 1.2.0 installs when you quit. Click to restart and install it now.',
        restartOnClick: true,
        answersRequest: asked,
      });
      // Asked: "available" was told too; automatic: only the ready notice.
      expect(notices.map((n) => n.title)).toEqual(
        asked ? ['Update available', 'Update ready'] : ['Update ready'],
      );
      expect(state.status).toEqual({ kind: 'ready', version: '1.2.0' });
    }
  });

  it('tracks download progress in steps of 10 %', () => {
    const downloading = run(INITIAL_UPDATE_STATE, [
      { type: 'available', version: '1.2.0' },
      { type: 'progress', percent: 37.2 },
    ]);
    expect(downloading.state.status).toEqual({
      kind: 'downloading',
      version: '1.2.0',
      percent: 30,
    });
    // Progress outside a download changes nothing.
    expect(run(INITIAL_UPDATE_STATE, [{ type: 'progress', percent: 50 }]).state).toEqual(
      INITIAL_UPDATE_STATE,
    );
  });
});

describe('updateErrorWords', () => {
  it.each([
    [new Error('net::ERR_NAME_NOT_RESOLVED'), 'could not be reached'],
    [Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' }), 'could not be reached'],
    [
      new Error('HttpError: 404 Not Found "method: GET url: https://x/releases.atom"'),
      'No release',
    ],
    [new Error('Cannot find latest-linux.yml in the latest release artifacts'), 'No release'],
    [new Error('sha512 checksum mismatch, expected abc, got def'), 'integrity check'],
    [new Error('ENOSPC: no space left on device'), 'disk space'],
    [new Error('something else entirely at /home/ada/.cache'), 'did not understand'],
    ['a string', 'did not understand'],
  ])('words %s', (error, words) => {
    const text = updateErrorWords(error);
    expect(text).toContain(words);
    expect(text).not.toMatch(/https?:|\/home|ENO|net::/);
  });
});

describe('updateMenuItem', () => {
  it('says what the updater is doing, and lets the person restart once an update is ready', () => {
    expect(updateMenuItem({ kind: 'idle' })).toEqual({
      label: 'Check for updates…',
      enabled: true,
      action: 'check',
    });
    expect(updateMenuItem({ kind: 'error', message: 'x' })).toMatchObject({ enabled: true });
    expect(updateMenuItem({ kind: 'up-to-date' })).toMatchObject({ action: 'check' });
    expect(updateMenuItem({ kind: 'checking' })).toEqual({
      label: 'Checking for updates…',
      enabled: false,
      action: 'check',
    });
    expect(updateMenuItem({ kind: 'downloading', version: '1.2.0', percent: null })).toMatchObject({
      label: 'Downloading version 1.2.0…',
      enabled: false,
    });
    expect(updateMenuItem({ kind: 'downloading', version: '1.2.0', percent: 40 }).label).toBe(
      'Downloading version 1.2.0 (40 %)…',
    );
    expect(updateMenuItem({ kind: 'ready', version: '1.2.0' })).toEqual({
      label: 'Restart to install version 1.2.0',
      enabled: true,
      action: 'install',
    });
  });
});
