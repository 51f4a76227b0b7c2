// What the IPC layer answers to what a window can send: the refusals in words (which must name the
// field without repeating what the sender chose), what counts as plain data, and the refusal of a
// sender that is not the app window. The channels themselves are covered in ipc.test.ts.
import { describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS, ipcChannel } from '../../shared/contract';
import { ok, type PublicSettings, type Result } from '../../shared/domain';
import { draftFrom } from '../../shared/settings-form';
import { DEFAULT_SETTINGS, publicSettings } from '../settings/settings';
import { dispatch } from './dispatch';
import { createHandlers } from './handlers';
import { registerIpc } from './register';
import { recordingActions } from '../../../test/support/ipc-testing';

// settings.ts loads electron-store, which imports electron; its defaults need nothing from it.
vi.mock('electron', () => ({ default: {} }));

const ID = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

function setup() {
  const actions = recordingActions();
  const updates: Partial<PublicSettings>[] = [];
  const settings = publicSettings(DEFAULT_SETTINGS);
  const handlers = createHandlers(actions, {
    get: () => settings,
    update: (patch) => {
      updates.push(patch);
      return { ...settings, ...patch };
    },
  });
  return { actions, handlers, updates };
}

/** `value` inside `levels` nested objects: { a: { a: ... value } }. */
const nested = (levels: number, value: unknown): unknown =>
  levels === 0 ? value : { a: nested(levels - 1, value) };

describe('dispatch refusals, in words', () => {
  it('an unknown channel, whatever its name', async () => {
    const { handlers, actions } = setup();
    for (const name of ['constructor', '__proto__', 'toString', 'nope', ''] as const) {
      expect(await dispatch(handlers, name, undefined), name).toEqual({
        ok: false,
        error: { kind: 'invalid-input', message: 'Unknown request.' },
      });
    }
    expect(actions.calls).toEqual([]);
  });

  it('what is not plain data: Maps, Sets, Dates, typed arrays, class instances, at any depth', async () => {
    const { handlers, actions } = setup();
    class Id {
      id = ID;
    }
    const notPlain = [
      new Map([['id', ID]]),
      new Set([ID]),
      new Date(0),
      new Uint8Array(4),
      new Id(),
      { id: new Date(0) },
      { id: ID, at: new Date(0) },
      { ids: [ID, new Set()] },
      [new Map()],
      nested(8, new Map()),
    ];
    for (const raw of notPlain) {
      for (const channel of ['switchTo', 'signOutMany'] as const) {
        expect(await dispatch(handlers, channel, raw)).toEqual({
          ok: false,
          error: {
            kind: 'invalid-input',
            message: 'The request was refused: it is not plain data.',
          },
        });
      }
    }
    expect(actions.calls).toEqual([]);
  });

  it('objects without a prototype are plain data', async () => {
    const { handlers, actions } = setup();
    const raw = Object.assign(Object.create(null) as object, { id: ID });
    expect(await dispatch(handlers, 'switchTo', raw)).toMatchObject({ ok: true });
    expect(actions.calls).toEqual([['switchTo', ID]]);
  });

  it('nesting deeper than eight levels is left to the schema, which refuses it as a shape', async () => {
    const { handlers } = setup();
    const result = await dispatch(handlers, 'switchTo', { id: nested(9, new Map()) });
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid-input', path: 'id' } });
    if (!result.ok) expect(result.error.message).not.toContain('plain data');
  });

  it('a payload nested a hundred thousand levels deep is refused in words, without walking it all', async () => {
    const { handlers } = setup();
    let deepArrays: unknown = ID;
    let deepObjects: unknown = ID;
    for (let i = 0; i < 100_000; i++) {
      deepArrays = [deepArrays];
      deepObjects = { a: deepObjects };
    }
    for (const deep of [deepArrays, deepObjects]) {
      expect(await dispatch(handlers, 'switchTo', { id: deep })).toMatchObject({
        ok: false,
        error: { kind: 'invalid-input', path: 'id' },
      });
    }
  });

  it('an unknown field: says so without repeating its name', async () => {
    const { handlers } = setup();
    const key = 'secret-looking-key-name';
    expect(await dispatch(handlers, 'switchTo', { id: ID, [key]: 1 })).toEqual({
      ok: false,
      error: { kind: 'invalid-input', message: 'The request was refused: has an unknown field.' },
    });
  });

  it('a bad field: its path and the rule it breaks, and no path when the whole value is wrong', async () => {
    const { handlers } = setup();
    expect(await dispatch(handlers, 'switchTo', { id: 42 })).toEqual({
      ok: false,
      error: {
        kind: 'invalid-input',
        path: 'id',
        message: 'The request was refused: id Invalid input: expected string, received number.',
      },
    });
    expect(await dispatch(handlers, 'switchTo', 'x')).toEqual({
      ok: false,
      error: {
        kind: 'invalid-input',
        message: 'The request was refused: Invalid input: expected object, received string.',
      },
    });
    expect(await dispatch(handlers, 'signOutMany', { ids: [ID, ''] })).toMatchObject({
      ok: false,
      error: {
        path: 'ids.1',
        message:
          'The request was refused: ids.1 must be a user id (1 to 256 characters, no control characters).',
      },
    });
  });

  it('a nested value of the wrong shape: the path of the field, never the keys the sender chose', async () => {
    const { handlers } = setup();
    const long = 'k'.repeat(100);
    const result = await dispatch(handlers, 'updateSettings', {
      oauthProvider: { issuer: 'https://idp.example', clientId: 'app', scopes: { [long]: 1 } },
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    if (!result.ok) {
      expect(result.error.path).toBe('oauthProvider.scopes');
      expect(result.error.message).toMatch(/^The request was refused: oauthProvider\.scopes /);
      expect(result.error.message).not.toContain(long);
    }
  });

  it('a handler that throws something that is not an Error still answers in words', async () => {
    const { handlers } = setup();
    const throwing = {
      ...handlers,
      getState: () => {
        throw 'plain string';
      },
    };
    expect(await dispatch(throwing, 'getState', undefined)).toEqual({
      ok: false,
      error: { kind: 'internal', message: 'Something went wrong inside the app: plain string' },
    });
  });
});

describe('handlers', () => {
  it('without a way to ask the person, confirming the Pieces OS address says so', async () => {
    const { handlers } = setup();
    expect(await dispatch(handlers, 'confirmPiecesOsAddress', undefined)).toEqual({
      ok: false,
      error: {
        kind: 'internal',
        message: 'This app cannot ask to confirm the Pieces OS address.',
      },
    });
  });
});

describe('registerIpc refuses a sender that is not the app window', () => {
  it('in words, on every channel, and lets the app window through', async () => {
    const registered = new Map<string, (event: unknown, arg: unknown) => unknown>();
    const ipcMain = {
      handle: (name: string, fn: (event: unknown, arg: unknown) => unknown) =>
        void registered.set(name, fn),
      removeHandler: (name: string) => void registered.delete(name),
    };
    const { handlers, actions } = setup();
    const appWindow = { sender: 'app' };
    registerIpc(ipcMain as never, handlers, (event) => event === (appWindow as never));
    for (const channel of INVOKE_CHANNELS) {
      const answer = (await registered.get(ipcChannel(channel))!({}, undefined)) as Result<unknown>;
      expect(answer).toEqual({
        ok: false,
        error: { kind: 'forbidden', message: 'This request did not come from the app window.' },
      });
    }
    expect(actions.calls).toEqual([]);
    const settings = publicSettings(DEFAULT_SETTINGS);
    expect(await registered.get(ipcChannel('getSettings'))!(appWindow, undefined)).toEqual(
      ok({ ...settings, form: draftFrom(settings) }),
    );
  });
});
