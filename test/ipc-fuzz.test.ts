// IPC fuzzing: every channel gets generated malformed arguments and must answer invalid-input
// without any handler running; a foreign sender is refused on every channel, whatever it sends.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../src/main/ipc/dispatch';
import type { Handlers } from '../src/main/ipc/handlers';
import { registerIpc, senderIsAppWindow } from '../src/main/ipc/register';
import { INVOKE_CHANNELS, ipcChannel, type InvokeChannel } from '../src/shared/contract';
import { DEFAULT_PUBLIC_SETTINGS, ok, type Result } from '../src/shared/domain';
import { draftFrom } from '../src/shared/settings-form';
import { UUID, deep, garbage, huge, nasty, withOwnKey } from './support/garbage';
import { typedErrorProblem } from './support/invariants';

const RUNS = 150;
const TOKEN = { access_token: 'opaque-access-value', token_type: 'Bearer', expires_in: 3600 };
/** The Settings form as the window sends it. */
const DRAFT = draftFrom(DEFAULT_PUBLIC_SETTINGS);

/** One valid argument per channel that takes one: the control showing refusals are not blanket. */
const VALID: Partial<Record<InvokeChannel, unknown>> = {
  switchTo: { id: UUID },
  signIn: { form: { json: JSON.stringify(TOKEN) } },
  signOut: { id: UUID },
  signInWithPieces: { accountId: UUID },
  signOutMany: { ids: [UUID] },
  forgetSignIn: { id: UUID },
  getDetails: { id: UUID },
  getPicture: { id: UUID },
  dismissNotice: { id: 'settings-0' },
  updateSettings: { theme: 'dark' },
  checkSettings: DRAFT,
};

/** Handlers that only record that they ran: any call during a refusal test is a failure. */
function tripwire() {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    INVOKE_CHANNELS.map((c) => [c, () => (calls.push(c), ok(null))]),
  ) as unknown as Handlers;
  return { calls, handlers };
}

/** Nothing was assigned onto Object.prototype (a `__proto__` key merged with assignment would). */
const prototypeClean = () => Object.keys(Object.prototype).length === 0;
// Not a user id: empty, a path step, a control character anywhere, or over 256 characters.
const notUuid = fc.oneof(
  fc
    .tuple(fc.string({ maxLength: 30 }), fc.constantFrom('\n', '\u0000', '\t', '\u007f', '\u0085'))
    .map(([s, c]) => `${s}${c}${s}`),
  fc.constantFrom('', '.', '..', `${UUID}\n`, `\r${UUID}`, 'x'.repeat(257)),
  huge,
  nasty,
  fc.integer(),
  fc.constant(null),
  fc.array(fc.constant(UUID), { minLength: 1, maxLength: 2 }),
  fc.constant({ toString: () => UUID }),
  deep,
);
const idArg = fc.oneof(
  notUuid.map((id) => ({ id })),
  fc.constant(withOwnKey({ id: UUID }, '__proto__', { admin: true })),
  fc.constant({ id: UUID, extra: true }),
  fc.constant({}),
);

const notAString = fc.oneof(
  nasty,
  fc.integer(),
  fc.constant(null),
  fc.constant({}),
  fc.constant([]),
  fc.boolean(),
);
/** For each token field, values it must refuse: wrong type, out of range, too long. */
const BAD_TOKEN_VALUES: Record<string, fc.Arbitrary<unknown>> = {
  access_token: fc.oneof(notAString, fc.constant(''), huge),
  token_type: fc.oneof(notAString, fc.constantFrom('', 'bearer', 'Basic', 'MAC')),
  expires_in: fc.oneof(
    fc.constantFrom(NaN, Infinity, -Infinity, 1e308, Number.MAX_SAFE_INTEGER + 2),
    fc.integer({ min: -1e6, max: -1 }),
    fc.constant(1.5),
    fc.constant(10 * 365 * 24 * 3600 + 1),
    fc.constantFrom('3600', null, true, {}),
  ),
  scope: fc.oneof(notAString, fc.constant('s'.repeat(4_097))),
  refresh_token: fc.oneof(notAString, huge),
  id_token: fc.oneof(notAString, huge),
};
const badToken = fc.oneof(
  // A field with a value of the wrong type or out of range.
  fc
    .constantFrom(...Object.keys(BAD_TOKEN_VALUES))
    .chain((field) => BAD_TOKEN_VALUES[field]!.map((value) => ({ ...TOKEN, [field]: value }))),
  // A required field missing.
  fc.constantFrom('access_token', 'token_type', 'expires_in').map((field) => {
    const t: Record<string, unknown> = { ...TOKEN };
    delete t[field];
    return t;
  }),
  fc.constant({ ...TOKEN, schema: { migration: 0 } }),
  fc.constant(withOwnKey(TOKEN, '__proto__', { isAdmin: true })),
  garbage,
);

const badSetting = fc.oneof(
  fc.record({
    requestTimeoutMs: fc.oneof(
      nasty,
      fc.constant(499),
      fc.constant(60_001),
      fc.constant(1.5),
      fc.constant('4000'),
    ),
  }),
  fc.record({
    piecesOsUrl: fc.oneof(
      fc.constantFrom(
        'javascript:alert(1)',
        'file:///etc/passwd',
        'ftp://127.0.0.1/',
        'not a url',
        `http://${'a'.repeat(3_000)}.example`,
      ),
      fc.integer(),
    ),
  }),
  fc.record({ theme: fc.oneof(fc.constantFrom('Dark', 'blue', ''), fc.integer()) }),
  fc
    .constantFrom('closeToTray', 'notifications', 'launchAtLogin', 'allowPlaintextTokens')
    .chain((key) => fc.constantFrom('true', 1, 0, null, 'yes').map((value) => ({ [key]: value }))),
  fc.constant(JSON.parse('{"__proto__":{"closeToTray":false}}') as unknown),
  fc.constant({ lastActiveId: UUID }), // not a public setting
  fc.constant({ windowBounds: { width: 100, height: 100 } }),
  fc.constant({ theme: 'dark', zzUnknown: true }),
  garbage,
);

/** The forms' text is checked field by field by their checks; over 100,000 characters is refused. */
const tooLong = fc.integer({ min: 100_001, max: 400_000 }).map((n) => 'A'.repeat(n));
const badText = fc.oneof(notAString, tooLong);

/** The Add account form of the wrong shape: main refuses it before its checks run. */
const tokenFormArg = fc.oneof(
  badText.map((json) => ({ json })),
  fc.constant({ json: '{}', extra: 1 }),
  fc.constant({ json: '{}', fields: { accessToken: 'a', tokenType: 'Bearer', expiresIn: '1' } }),
  fc.constantFrom('accessToken', 'tokenType', 'expiresIn').chain((field) =>
    badText.map((value) => ({
      fields: { accessToken: 'a', tokenType: 'Bearer', expiresIn: '1', [field]: value },
    })),
  ),
  fc.constant({ fields: { accessToken: 'a' } }),
  fc.constant(withOwnKey({ json: '{}' }, '__proto__', { isAdmin: true })),
  garbage,
);

/**
 * signIn takes the Add account form as typed: a token object, or a form of the wrong shape. (Forms
 * of the right shape whose text main's checks refuse: src/main/ipc/ipc.test.ts, real handlers.)
 */
const signInArg = fc.oneof(
  badToken.map((token) => ({ token })),
  badToken.map((form) => ({ form })),
  tokenFormArg.map((form) => ({ form })),
  fc.constant({ form: { json: JSON.stringify(TOKEN) }, extra: 1 }),
  fc.constant(TOKEN),
  garbage,
);

const checkSettingsArg = fc.oneof(
  fc
    .constantFrom(
      'piecesOsUrl',
      'requestTimeoutSeconds',
      'signInTimeoutSeconds',
      'providerIssuer',
      'providerClientId',
      'providerScopes',
      'quickSwitchShortcut',
    )
    .chain((key) => badText.map((value) => ({ ...DRAFT, [key]: value }))),
  fc
    .constantFrom('closeToTray', 'notifications', 'launchAtLogin', 'allowPlaintextTokens')
    .chain((key) =>
      fc.constantFrom('true', 1, 0, null).map((value) => ({ ...DRAFT, [key]: value })),
    ),
  fc.constantFrom('Dark', 'blue', '', 3).map((theme) => ({ ...DRAFT, theme })),
  fc.constant({ ...DRAFT, zzUnknown: true }),
  fc.constant({ theme: 'dark' }), // a patch is not a form
  fc.constant(withOwnKey(DRAFT, '__proto__', { closeToTray: false })),
  garbage,
);

const SPECIFIC: Partial<Record<InvokeChannel, fc.Arbitrary<unknown>>> = {
  switchTo: idArg,
  signOut: idArg,
  forgetSignIn: idArg,
  signInWithPieces: fc.oneof(
    notUuid.map((accountId) => ({ accountId })),
    fc.constant({ accountId: UUID, extra: 1 }),
    garbage,
  ),
  signOutMany: fc.oneof(
    fc.constant({ ids: [] }),
    fc.constant({ ids: UUID }),
    idArg.map((a) => ({ ids: [a] })),
    garbage,
  ),
  getDetails: idArg,
  getPicture: idArg,
  dismissNotice: fc.oneof(
    fc.record({
      id: fc.oneof(
        huge,
        fc.string({ minLength: 201, maxLength: 400 }),
        nasty,
        fc.constant(null),
        fc.integer(),
      ),
    }),
    fc.constant({ id: 'settings-0', extra: 1 }),
    garbage,
  ),
  signIn: signInArg,
  updateSettings: badSetting,
  checkSettings: checkSettingsArg,
};
/** Every channel: its own malformed shapes if it takes an argument, garbage for all. */
const malformed = (c: InvokeChannel): fc.Arbitrary<unknown> => {
  const own = SPECIFIC[c];
  const all = own ? fc.oneof(own, garbage) : garbage;
  return all;
};

// ---- tests ------------------------------------------------------------------------------------

const tally = { channels: 0, malformed: 0, foreign: 0 };
afterAll(() => {
  console.log(
    `ipc fuzz: ${tally.channels} channels, ${tally.malformed} malformed arguments refused as invalid-input, ` +
      `${tally.foreign} foreign-sender calls refused`,
  );
});

describe('IPC fuzzing', () => {
  it('lets a valid argument through on every channel (the control for the refusals below)', async () => {
    for (const c of INVOKE_CHANNELS) {
      const { calls, handlers } = tripwire();
      const r = await dispatch(handlers, c, VALID[c]);
      // A channel that takes an argument needs a valid example in VALID and a generator in SPECIFIC.
      expect(r.ok, `channel ${c}: add a valid example to VALID and a generator to SPECIFIC`).toBe(
        true,
      );
      expect(calls).toEqual([c]);
    }
  });

  for (const channel of INVOKE_CHANNELS) {
    it(`${channel}: malformed arguments are refused as invalid-input and reach no handler`, async () => {
      tally.channels++;
      const { calls, handlers } = tripwire();
      await fc.assert(
        fc.asyncProperty(malformed(channel), async (raw) => {
          calls.length = 0; // per run, so a counterexample names the input that got through
          const r = await dispatch(handlers, channel, raw);
          expect(r.ok).toBe(false);
          const error = (r as Extract<Result<unknown>, { ok: false }>).error;
          expect(error.kind).toBe('invalid-input');
          expect(typedErrorProblem(error)).toBeNull();
          // The refusal never echoes a value or a key it was sent (a huge string, a secret).
          expect(error.message.length).toBeLessThan(400);
          expect(calls).toEqual([]);
          expect(prototypeClean()).toBe(true);
          tally.malformed++;
        }),
        { numRuns: RUNS },
      );
    });
  }

  // Found by this fuzzer: zod reads these as an empty patch, so dispatch() refuses non-plain data.
  it('updateSettings refuses a Map, Set or Date (zod reads them as an empty patch)', async () => {
    for (const raw of [new Map([['theme', 'dark']]), new Set(), new Date(0), new Uint8Array(0)]) {
      const { calls, handlers } = tripwire();
      const r = await dispatch(handlers, 'updateSettings', raw);
      expect(r).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
      expect(calls).toEqual([]);
    }
  });

  // Found by this fuzzer: zod's "Unrecognized key" message names the key, so a refusal could echo
  // attacker-chosen text of any length. dispatch() words it without the name.
  it('a refusal does not echo an unknown key of any length', async () => {
    const { handlers } = tripwire();
    const key = `k${'x'.repeat(100_000)}`;
    const r = await dispatch(handlers, 'switchTo', { id: UUID, [key]: 1 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(JSON.stringify(r).length).toBeLessThan(1_000);
  });

  it('refuses every channel to a sender that is not the app window’s main frame', async () => {
    const APP_URL = 'file:///app/out/renderer/index.html';
    const isAppUrl = (url: string) => url.split(/[?#]/)[0] === APP_URL;
    const appFrame = { url: APP_URL };
    const appContents = { mainFrame: appFrame } as unknown as Electron.WebContents;
    const registered = new Map<string, (event: unknown, raw: unknown) => unknown>();
    const ipcMain = {
      handle: (name: string, fn: (event: unknown, raw: unknown) => unknown) =>
        void registered.set(name, fn),
      removeHandler: (name: string) => void registered.delete(name),
    };
    const { calls, handlers } = tripwire();
    registerIpc(ipcMain as never, handlers, (event) =>
      senderIsAppWindow(event, () => appContents, isAppUrl),
    );
    expect([...registered.keys()].sort()).toEqual(INVOKE_CHANNELS.map(ipcChannel).sort());

    const foreignUrl = fc.oneof(
      fc.constantFrom(
        'https://evil.example/',
        'file:///tmp/evil.html',
        'file:///app/out/renderer/other.html',
        'devtools://devtools/bundled/inspector.html',
        'about:blank',
        'data:text/html,<script>1</script>',
        '',
      ),
      fc.webUrl(),
    );
    const foreignEvent = fc.oneof(
      // Another window or webContents, even one showing the app's page.
      fc.constant({ sender: { mainFrame: appFrame }, senderFrame: appFrame }),
      // The app window, but from a subframe (an iframe) showing the app's page.
      fc.constant({ sender: appContents, senderFrame: { url: APP_URL } }),
      // The app window's main frame after it navigated elsewhere.
      foreignUrl.map((url) => {
        const frame = { url };
        return { sender: { mainFrame: frame }, senderFrame: frame };
      }),
      // A frame that is gone, or no sender at all.
      fc.constant({ sender: appContents, senderFrame: null }),
      fc.constant({ sender: undefined, senderFrame: undefined }),
      fc.constant({}),
    );
    const anyArg = fc.oneof(
      garbage,
      fc.constantFrom(...Object.values(VALID)),
      fc.constant(undefined),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...INVOKE_CHANNELS),
        foreignEvent,
        anyArg,
        async (c, event, raw) => {
          calls.length = 0;
          const r = (await registered.get(ipcChannel(c))!(event, raw)) as Result<unknown>;
          expect(r).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
          expect(calls).toEqual([]);
          tally.foreign++;
        },
      ),
      { numRuns: RUNS * 4 },
    );

    // The control: the app window's main frame on the app page gets through on every channel.
    for (const c of INVOKE_CHANNELS) {
      const r = (await registered.get(ipcChannel(c))!(
        { sender: appContents, senderFrame: appFrame },
        VALID[c],
      )) as Result<unknown>;
      expect(r.ok, `channel ${c} from the app window`).toBe(true);
    }
    expect(calls.sort()).toEqual([...INVOKE_CHANNELS].sort());
  });
});
