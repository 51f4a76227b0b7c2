import { describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS, ipcChannel, type InvokeChannel } from '../../shared/contract';
import { ok, type PublicSettings, type Result } from '../../shared/domain';
import { PiecesError } from '../pieces/errors';
import { DEFAULT_SETTINGS, publicSettings } from '../settings/settings';
import { dispatch } from './dispatch';
import { createHandlers } from './handlers';
import { registerIpc, senderIsAppWindow } from './register';
import { EMPTY_SNAPSHOT, recordingActions } from '../../../test/support/ipc-testing';
import { changeBetween } from '../../shared/state-patch';
import { draftFrom } from '../../shared/settings-form';

// settings.ts loads electron-store, which imports electron; its defaults need nothing from it.
vi.mock('electron', () => ({ default: {} }));

const ID = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const TOKEN = { access_token: 'secret-token-value', token_type: 'Bearer', expires_in: 3600 };
const settingsValue: PublicSettings = publicSettings(DEFAULT_SETTINGS);
const CONFIRMED = { url: 'http://127.0.0.1:39300', confirmed: true };
/** The Settings form as the window sends it, with the theme changed. */
const DRAFT = { ...draftFrom(settingsValue), theme: 'dark' };

function setup() {
  const actions = recordingActions();
  const updates: Partial<PublicSettings>[] = [];
  const handlers = createHandlers(
    actions,
    {
      get: () => settingsValue,
      update: (patch) => {
        if (patch.requestTimeoutMs === 12_345) throw new Error('disk full');
        if (patch.theme === 'light') throw new PiecesError('invalid-input', 'Theme is locked.');
        updates.push(patch);
        return { ...settingsValue, ...patch };
      },
    },
    {
      confirmAddress: () => Promise.resolve(ok(CONFIRMED)),
      closePalette: () => void actions.calls.push(['closePalette', undefined]),
    },
  );
  return { actions, handlers, updates };
}

/** One valid argument per channel: the baseline each malformed variant is compared against. */
const VALID: Record<InvokeChannel, unknown> = {
  getState: undefined,
  switchTo: { id: ID },
  signIn: { form: { json: JSON.stringify(TOKEN) } },
  signInWithPieces: { accountId: ID },
  cancelSignIn: undefined,
  signInWithBrowser: undefined,
  cancelBrowserSignIn: undefined,
  signOut: { id: ID },
  signOutAll: undefined,
  signOutMany: { ids: [ID] },
  forgetSignIn: { id: ID },
  getDetails: { id: ID },
  getPicture: { id: ID },
  retryConnection: undefined,
  dismissNotice: { id: 'settings-0' },
  getSettings: undefined,
  updateSettings: { theme: 'dark' },
  checkSettings: DRAFT,
  confirmPiecesOsAddress: undefined,
  closePalette: undefined,
};

/** What an action that changes the state answers: the change, here none (the recording service's state stays put). */
const NO_CHANGE = changeBetween(EMPTY_SNAPSHOT, EMPTY_SNAPSHOT);
const PROFILE = { id: 'x', displayName: 'X', connected: true, hasToken: true, state: 'active' };
/**
 * What each channel's handler does with VALID: the service call it makes (as recordingActions
 * records it), the settings patch it stores, and the value it answers. getState and getSettings
 * only read, so their answer is the evidence that they ran.
 */
const RAN: Record<
  InvokeChannel,
  { calls?: [string, unknown][]; updates?: Partial<PublicSettings>[]; value: unknown }
> = {
  getState: { value: EMPTY_SNAPSHOT },
  switchTo: { calls: [['switchTo', ID]], value: NO_CHANGE },
  signIn: { calls: [['signIn', TOKEN]], value: PROFILE },
  signInWithPieces: { calls: [['signInWithPieces', ID]], value: { account: PROFILE } },
  cancelSignIn: { calls: [['cancelSignIn', undefined]], value: null },
  signInWithBrowser: { calls: [['signInWithBrowser', undefined]], value: PROFILE },
  cancelBrowserSignIn: { calls: [['cancelBrowserSignIn', undefined]], value: null },
  signOut: { calls: [['signOut', ID]], value: NO_CHANGE },
  signOutAll: { calls: [['signOutAll', undefined]], value: { signedOut: [], failed: [] } },
  signOutMany: { calls: [['signOutMany', [ID]]], value: { signedOut: [], failed: [] } },
  forgetSignIn: { calls: [['forgetSignIn', ID]], value: NO_CHANGE },
  // Main answers in words: the profile's name and its label/value lines.
  getDetails: { calls: [['details', ID]], value: { displayName: 'X', fields: [] } },
  // No account with that id (the recording service lists none): no picture, nothing fetched.
  getPicture: { value: null },
  retryConnection: { calls: [['retryNow', undefined]], value: NO_CHANGE },
  dismissNotice: { calls: [['dismissNotice', 'settings-0']], value: NO_CHANGE },
  // With the Settings form as it opens, its text written by main.
  getSettings: { value: { ...settingsValue, form: draftFrom(settingsValue) } },
  updateSettings: {
    updates: [{ theme: 'dark' }],
    value: {
      ...settingsValue,
      theme: 'dark',
      form: { ...draftFrom(settingsValue), theme: 'dark' },
    },
  },
  checkSettings: { value: { ok: true, patch: { theme: 'dark' } } },
  confirmPiecesOsAddress: { value: CONFIRMED },
  closePalette: { calls: [['closePalette', undefined]], value: null },
};

const pollutedId = JSON.parse(`{"id":"${ID}","__proto__":{"polluted":true}}`) as unknown;
const MALFORMED: Record<InvokeChannel, unknown[]> = {
  getState: [{ a: 1 }, 'x', 42],
  switchTo: [
    undefined,
    null,
    {},
    { id: 42 },
    { id: '' },
    { id: 'line\nbreak' },
    { id: '..' },
    { id: 'x'.repeat(1_000_000) },
    pollutedId,
    [ID],
  ],
  signIn: [
    undefined,
    // The old shape: a token object is no longer taken, only the form as typed.
    { token: TOKEN },
    { form: {} },
    { form: { json: 42 } },
    { form: { json: 'x'.repeat(200_000) } },
    { form: { json: JSON.stringify(TOKEN) }, extra: true },
    JSON.parse(`{"form":{"json":"{}"},"__proto__":{"x":1}}`),
    // Forms main's own checks refuse (the window checks nothing).
    { form: { json: '{}' } },
    { form: { json: JSON.stringify({ ...TOKEN, access_token: '' }) } },
    { form: { json: JSON.stringify({ ...TOKEN, token_type: 'Basic' }) } },
    { form: { json: JSON.stringify({ ...TOKEN, expires_in: -1 }) } },
    { form: { fields: { accessToken: 'a b', tokenType: 'Bearer', expiresIn: '60' } } },
    { form: { fields: { accessToken: 'a', tokenType: 'Bearer', expiresIn: '1e9' } } },
    // Past what Pieces OS takes, though the form's own checks let it through.
    { form: { json: JSON.stringify({ ...TOKEN, access_token: 'a'.repeat(20_000) }) } },
    { form: { json: JSON.stringify({ ...TOKEN, expires_in: 1e12 }) } },
  ],
  signInWithPieces: [undefined, { accountId: '' }, { accountId: ID, extra: 1 }, 'go'],
  cancelSignIn: [{ all: true }, 1],
  signInWithBrowser: [{ token: TOKEN }, 'go', {}],
  cancelBrowserSignIn: [{ all: true }, 1],
  signOut: [{ id: 'x'.repeat(257) }, { id: null }, pollutedId, { id: { deep: { deeper: ID } } }],
  signOutAll: [{ all: true }],
  signOutMany: [undefined, { ids: [] }, { ids: ['\u0000'] }, { ids: ID }, { ids: [ID], x: 1 }],
  forgetSignIn: [{ id: '' }, undefined, pollutedId],
  getDetails: [{ id: ID + '\r' }, { id: [] }],
  // The window names an account; it can never hand main a URL to fetch.
  getPicture: [undefined, { id: '' }, { url: 'https://evil.example/a.png' }, { id: ID, url: 'x' }],
  retryConnection: [0],
  dismissNotice: [{ id: 5 }, { id: 'x'.repeat(10_000) }],
  getSettings: [true],
  updateSettings: [
    { theme: 'purple' },
    { requestTimeoutMs: Number.NaN },
    { requestTimeoutMs: 10 },
    { piecesOsUrl: 'file:///etc/passwd' },
    { piecesOsUrl: 'javascript:alert(1)' },
    { piecesOsUrl: 'http://192.168.1.20:39300' },
    { piecesOsUrl: 'https://pieces.example' },
    { piecesOsUrl: 'http://127.0.0.1.example:39300' },
    { quickSwitchShortcut: 'P' },
    { quickSwitchShortcut: 'Shift+P' },
    { quickSwitchShortcut: 'Ctrl+Alt' },
    { quickSwitchShortcut: 'Hyper+P' },
    { quickSwitchShortcut: null },
    { unknownKey: 1 },
    // The window cannot confirm an address itself: the private list is no setting it may set.
    { confirmedPiecesOsUrls: ['http://127.0.0.1:4444'] },
    JSON.parse('{"__proto__":{"closeToTray":false}}'),
    { oauthProvider: { issuer: 'http://idp.example', clientId: 'app', scopes: ['openid'] } },
    { oauthProvider: { issuer: 'javascript:alert(1)', clientId: 'app', scopes: ['openid'] } },
    { oauthProvider: { issuer: 'https://idp.example', clientId: '', scopes: ['openid'] } },
    { oauthProvider: { issuer: 'https://idp.example', clientId: 'app', scopes: ['email'] } },
    { oauthProvider: { issuer: 'https://idp.example', clientId: 'app', scopes: ['a b'] } },
    { oauthProvider: { issuer: 'https://idp.example', clientId: 'app' } },
    {
      oauthProvider: {
        issuer: 'https://idp.example',
        clientId: 'app',
        scopes: ['openid'],
        clientSecret: 's',
      },
    },
  ],
  checkSettings: [
    undefined,
    {},
    { theme: 'dark' },
    { ...DRAFT, theme: 'purple' },
    { ...DRAFT, closeToTray: 'yes' },
    { ...DRAFT, piecesOsUrl: 'x'.repeat(200_000) },
    { ...DRAFT, confirmedPiecesOsUrls: ['http://127.0.0.1:4444'] },
  ],
  confirmPiecesOsAddress: [{ url: 'http://127.0.0.1:4444' }, 'http://127.0.0.1:4444', true],
  closePalette: [{ hide: true }, 'now', 0],
};

describe('IPC dispatch', () => {
  it.each(INVOKE_CHANNELS)('%s runs its handler with a valid argument', async (channel) => {
    const { handlers, actions, updates } = setup();
    const result = await dispatch(handlers, channel, VALID[channel]);
    const expected = RAN[channel];
    expect(result).toEqual({ ok: true, value: expected.value });
    expect(actions.calls).toEqual(expected.calls ?? []);
    expect(updates).toEqual(expected.updates ?? []);
  });

  it.each(INVOKE_CHANNELS)(
    '%s refuses every malformed argument before the handler runs',
    async (channel) => {
      const { handlers, actions, updates } = setup();
      for (const bad of MALFORMED[channel]) {
        const result = await dispatch(handlers, channel, bad);
        expect(result.ok, `accepted ${JSON.stringify(bad)?.slice(0, 80)}`).toBe(false);
        if (!result.ok) expect(result.error.kind).toBe('invalid-input');
      }
      expect(actions.calls).toEqual([]);
      expect(updates).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('refuses an unknown channel', async () => {
    const { handlers } = setup();
    const result = await dispatch(handlers, 'constructor', undefined);
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
  });

  it('turns a throwing handler into an error value, keeping a typed kind', async () => {
    const { handlers } = setup();
    const typed = await dispatch(handlers, 'updateSettings', { theme: 'light' });
    expect(typed).toEqual({
      ok: false,
      error: { kind: 'invalid-input', message: 'Theme is locked.' },
    });
    const untyped = await dispatch(handlers, 'updateSettings', { requestTimeoutMs: 12_345 });
    expect(untyped).toMatchObject({ ok: false, error: { kind: 'internal' } });
    if (!untyped.ok) expect(untyped.error.message).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('refuses a Pieces OS address on another computer, saying it must be on this one', async () => {
    const { handlers, updates } = setup();
    const result = await dispatch(handlers, 'updateSettings', {
      piecesOsUrl: 'https://pieces.example:39300',
    });
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'invalid-input',
        path: 'piecesOsUrl',
        message:
          'The request was refused: piecesOsUrl must be on this computer (localhost or 127.0.0.1).',
      },
    });
    for (const local of ['http://127.0.0.1:39300', 'http://[::1]:1000', 'https://LOCALHOST/']) {
      expect(await dispatch(handlers, 'updateSettings', { piecesOsUrl: local })).toMatchObject({
        ok: true,
      });
    }
    expect(updates.map((u) => u.piecesOsUrl)).toEqual([
      'http://127.0.0.1:39300',
      'http://[::1]:1000',
      'https://LOCALHOST/',
    ]);
  });

  it('names the bad field and never echoes a token in the message', async () => {
    const { handlers } = setup();
    const bad = { ...TOKEN, token_type: 'Basic' };
    const result = await dispatch(handlers, 'signIn', { form: { json: JSON.stringify(bad) } });
    expect(result).toMatchObject({
      ok: false,
      error: {
        kind: 'invalid-input',
        message: 'The token was not sent to Pieces OS: token_type must be "Bearer".',
      },
    });
    const tooLong = { ...TOKEN, access_token: `${TOKEN.access_token}${'a'.repeat(20_000)}` };
    const refused = await dispatch(handlers, 'signIn', { form: { json: JSON.stringify(tooLong) } });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    if (!refused.ok) {
      expect(refused.error.message).toMatch(/^The token was not sent to Pieces OS: access_token /);
      expect(refused.error.message).not.toContain(TOKEN.access_token);
    }
  });

  it('signs in with the token the form holds, tidied in main, whichever way it was typed', async () => {
    const { handlers, actions } = setup();
    const fields = {
      accessToken: `  ${TOKEN.access_token} `,
      tokenType: 'bearer',
      expiresIn: '3600',
    };
    expect(await dispatch(handlers, 'signIn', { form: { fields } })).toEqual({
      ok: true,
      value: PROFILE,
    });
    expect(actions.calls).toEqual([['signIn', TOKEN]]);
  });

  it('refuses a form with a message for each field to fix, never with what was typed', async () => {
    const { handlers, actions } = setup();
    const fields = { accessToken: TOKEN.access_token, tokenType: 'Basic', expiresIn: 'soon' };
    const refused = await dispatch(handlers, 'signIn', { form: { fields } });
    expect(refused).toEqual({
      ok: false,
      error: {
        kind: 'invalid-input',
        message:
          'The token was not sent to Pieces OS: Token type must be Bearer. Expiry must be a number of seconds, for example 3600.',
        fields: {
          token_type: 'Token type must be Bearer.',
          expires_in: 'Expiry must be a number of seconds, for example 3600.',
        },
      },
    });
    expect(JSON.stringify(refused)).not.toContain(TOKEN.access_token);
    expect(actions.calls).toEqual([]);
    // Past the form's checks but not what Pieces OS takes: refused as a whole, no fields to blame.
    const tooLong = { json: JSON.stringify({ ...TOKEN, expires_in: 1e12 }) };
    const shape = await dispatch(handlers, 'signIn', { form: tooLong });
    expect(shape).toMatchObject({
      ok: false,
      error: {
        kind: 'invalid-input',
        message:
          'The token was not sent to Pieces OS: expires_in Too big: expected number to be <=315360000.',
      },
    });
    expect(shape.ok || shape.error.fields).toBeUndefined();
  });
});

describe('getPicture', () => {
  it('fetches the picture URL of the account named, never one the window chose', async () => {
    const actions = recordingActions();
    const account = { ...PROFILE, id: ID, picture: 'https://pictures.example/a.png' };
    actions.snapshot = () => ({ ...EMPTY_SNAPSHOT, accounts: [account as never] });
    const asked: string[] = [];
    const handlers = createHandlers(
      actions,
      { get: () => settingsValue, update: () => settingsValue },
      {
        pictureOf: (url) => {
          asked.push(url);
          return Promise.resolve('data:image/png;base64,AAAA');
        },
      },
    );
    expect(await dispatch(handlers, 'getPicture', { id: ID })).toEqual({
      ok: true,
      value: 'data:image/png;base64,AAAA',
    });
    expect(await dispatch(handlers, 'getPicture', { id: 'someone-else' })).toEqual({
      ok: true,
      value: null,
    });
    expect(asked).toEqual(['https://pictures.example/a.png']);
  });
});

describe('registerIpc', () => {
  function fakeIpcMain() {
    const handlers = new Map<string, (event: unknown, arg: unknown) => unknown>();
    return {
      handlers,
      handle: (name: string, fn: (event: unknown, arg: unknown) => unknown) =>
        void handlers.set(name, fn),
      removeHandler: (name: string) => void handlers.delete(name),
    };
  }

  it('registers exactly the contract channels and removes them again', () => {
    const ipc = fakeIpcMain();
    const { handlers } = setup();
    const unregister = registerIpc(ipc as never, handlers, () => true);
    expect([...ipc.handlers.keys()].sort()).toEqual(INVOKE_CHANNELS.map(ipcChannel).sort());
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('refuses a foreign sender on every channel without running a handler', async () => {
    const ipc = fakeIpcMain();
    const { handlers, actions } = setup();
    registerIpc(ipc as never, handlers, () => false);
    for (const channel of INVOKE_CHANNELS) {
      const result = (await ipc.handlers.get(ipcChannel(channel))!(
        {},
        VALID[channel],
      )) as Result<unknown>;
      expect(result).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    }
    expect(actions.calls).toEqual([]);
  });

  it('trusts only the main frame of the app window showing an app page', () => {
    const mainFrame = { url: 'file:///app/out/renderer/index.html' };
    const wc = { mainFrame } as unknown as Electron.WebContents;
    const isAppUrl = (u: string) => u === 'file:///app/out/renderer/index.html';
    const check = (event: object) => senderIsAppWindow(event as never, () => wc, isAppUrl);
    expect(check({ sender: wc, senderFrame: mainFrame })).toBe(true);
    expect(check({ sender: wc, senderFrame: { url: mainFrame.url } })).toBe(false); // a subframe
    expect(check({ sender: {}, senderFrame: mainFrame })).toBe(false); // another webContents
    expect(check({ sender: wc, senderFrame: null })).toBe(false); // frame gone
    const navigatedAway = { sender: wc, senderFrame: mainFrame };
    mainFrame.url = 'https://evil.example/';
    expect(check(navigatedAway)).toBe(false);
    expect(
      senderIsAppWindow({ sender: wc, senderFrame: mainFrame } as never, () => undefined, isAppUrl),
    ).toBe(false);
  });
});
