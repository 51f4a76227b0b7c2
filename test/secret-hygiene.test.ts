// Secret hygiene: sign in, switch, a failing switch (with a server that echoes the token back),
// a failing sign-in, a server echoing tokens in six forms (exact, truncated, URL-encoded,
// JSON-escaped, HTML-escaped, a URL-encoded piece), a damaged vault and a sign-out with a
// recognisable token, then look for it everywhere it must never be: log files, error messages,
// every snapshot sent to the window, the tray, and every file in the profile, the (encrypted)
// vault and the copies of damaged ones included.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { OAuthTokenInput, Result } from '../src/shared/domain';
import { fakeMain, type FakeMain } from './support/fake-main';
import { useMainEnv } from './support/main-env';
import { pastedToken } from './support/sign-in-form';

vi.mock('electron', () => ({ default: {} }));

const b64url = (s: string) => Buffer.from(s).toString('base64url');
/** Unmistakable values: a refresh token and a JWT-shaped id token carrying a marker. */
const REFRESH = 'RECOGNISABLE-refresh-7f3k2m9q1zx8c4v6';
const ID_TOKEN = `${b64url('{"alg":"RS256","typ":"JWT"}')}.${b64url('{"sub":"RECOGNISABLE-id-token-subject"}')}.${b64url('RECOGNISABLE-signature')}`;

/** Every file under `dir`: the vault is encrypted, and copies of a damaged one are scrubbed. */
function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...allFiles(path));
    else out.push(path);
  }
  return out;
}

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, '0');
/** The six ways a server was seen to echo a token (the audit's forms). */
const echoForms = (t: string): string[] => [
  t,
  t.slice(3, 23),
  [...t].map((c) => `%${hex(c, 2)}`).join(''),
  [...t].map((c) => `\\u${hex(c, 4)}`).join(''),
  [...t].map((c) => `&#x${hex(c, 1)};`).join(''),
  [...t.slice(5, 25)].map((c) => `%${hex(c, 2)}`).join(''),
];
/** `text` as it reads after URL, JSON and HTML decoding, so an encoded leak is found too. */
const decodedForms = (text: string): string[] => [
  text,
  text.replace(/(?:%[0-9a-f]{2})+/gi, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  }),
  text.replace(/\\+u([0-9a-f]{4})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
  text.replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16))),
];

/** The secret, and overlapping 16-character pieces of it, so a truncated echo is caught too. */
function fragments(secret: string): string[] {
  const parts = [secret];
  for (let i = 0; i + 16 <= secret.length; i += 8) parts.push(secret.slice(i, i + 16));
  return parts;
}

const env = useMainEnv('pieces-secrets-', { users: 1, seed: 5 });

describe('secret hygiene', () => {
  it('never lets a token reach a log, an error, a snapshot, the tray or any file (vault and backups included)', async () => {
    const results: Result<unknown>[] = [];
    const mains: FakeMain[] = [];
    const call = async (
      main: FakeMain,
      channel: Parameters<FakeMain['invoke']>[0],
      arg?: unknown,
    ) => {
      const r = await main.invoke(channel, arg);
      results.push(r);
      return r;
    };

    const token: OAuthTokenInput = {
      ...env.emulator.mintToken({ email: 'ada@example.com', name: 'Ada Lovelace' }),
      refresh_token: REFRESH,
      id_token: ID_TOKEN,
    };
    const grace = env.emulator.mintToken({ email: 'grace@example.com', name: 'Grace Hopper' });
    const secrets = [token.access_token, REFRESH, ID_TOKEN, grace.access_token];
    const echo = `refused token ${token.access_token} (refresh ${REFRESH}, id ${ID_TOKEN})`;

    // First run: sign in two accounts, switch, a failing switch and sign-in, sign out.
    const main = fakeMain(env.userData);
    mains.push(main);
    env.running = await main.start();
    // A setting, so the settings file exists and is among the files searched.
    expect((await call(main, 'updateSettings', { theme: 'dark' })).ok).toBe(true);
    // A form main refuses comes back with what to fix in each field, never with the token.
    const mistyped = {
      form: { fields: { accessToken: token.access_token, tokenType: 'Basic', expiresIn: '60' } },
    };
    const refusedForm = await call(main, 'signIn', mistyped);
    expect(refusedForm).toMatchObject({
      ok: false,
      error: { fields: { token_type: expect.any(String) } },
    });
    const ada = await call(main, 'signIn', pastedToken(token));
    expect(ada.ok).toBe(true);
    const adaId = (ada as { value: { id: string } }).value.id;
    expect((await call(main, 'signIn', pastedToken(grace))).ok).toBe(true);
    // The (encrypted) vault holding both sign-ins (and the one Pieces OS handed over for the user
    // it had signed in when the app started), searched below too.
    const vaultText = readFileSync(join(env.userData, 'tokens.json'), 'utf8');
    const saved = Object.keys((JSON.parse(vaultText) as { tokens: object }).tokens);
    expect(saved).toEqual(expect.arrayContaining([adaId]));
    expect(saved.length).toBeGreaterThanOrEqual(2);
    expect(vaultText.match(/"safeStorage"/g)).toHaveLength(saved.length);
    expect((await call(main, 'switchTo', { id: adaId })).ok).toBe(true);

    const graceId = env.running.service
      .snapshot()
      .accounts.find((a) => a.displayName === 'Grace Hopper')!.id;
    expect((await call(main, 'switchTo', { id: graceId })).ok).toBe(true);
    // Pieces OS refuses the saved sign-in and quotes it back, in the error text.
    env.emulator.setFaults({ signIn: { status: 401, body: echo } });
    const refusedSwitch = await call(main, 'switchTo', { id: adaId });
    expect(refusedSwitch).toMatchObject({ ok: false, error: { kind: 'needs-sign-in' } });
    env.emulator.setFaults({ signIn: { status: 500, body: echo } });
    const refusedSignIn = await call(main, 'signIn', pastedToken(token));
    expect(refusedSignIn).toMatchObject({ ok: false, error: { kind: 'http', status: 500 } });
    // For a call that carried a token, nothing the server said is quoted.
    expect((refusedSignIn as { error: { message: string } }).error.message).not.toContain(
      'refused token',
    );
    // Another call's error quotes the server, echoes cut out, in every form.
    const forms = secrets.flatMap(echoForms).join(' | ');
    env.emulator.setFaults({ listUsers: { status: 503, body: `busy: ${forms}` } });
    const offline = await call(main, 'retryConnection');
    expect(JSON.stringify(offline)).toContain('busy: [redacted]');
    env.emulator.setFaults({ signIn: { malformedJson: true } });
    expect(await call(main, 'switchTo', { id: adaId })).toMatchObject({
      ok: false,
      error: { kind: 'bad-response' },
    });
    env.emulator.clearFaults();
    env.running.service.stop();
    await env.running.log.settled?.(); // its background log lines land before the next run

    // Second run on the same profile: tokens come back from the vault; another failing switch.
    const again = fakeMain(env.userData);
    mains.push(again);
    env.running = await again.start();
    // (The malformed answer above came after Pieces OS had switched to Ada: go to Grace first.)
    expect((await call(again, 'switchTo', { id: graceId })).ok).toBe(true);
    env.emulator.setFaults({ signIn: { status: 401, body: echo } });
    expect(await call(again, 'switchTo', { id: adaId })).toMatchObject({
      ok: false,
      error: { kind: 'needs-sign-in' },
    });
    env.emulator.clearFaults();
    expect((await call(again, 'signOut', { id: adaId })).ok).toBe(true);
    expect((await call(again, 'signOutAll')).ok).toBe(true);
    env.running.service.stop();
    // This run's log lines are appended in the background: they land before the next run starts.
    await env.running.log.settled?.();

    // Third run: the vault was damaged mid-write (plaintext, cut off inside a token).
    const damaged = JSON.stringify({
      version: 1,
      tokens: { [adaId]: { encoding: 'plain', token } },
    });
    writeFileSync(
      join(env.userData, 'tokens.json'),
      damaged.slice(0, damaged.indexOf(ID_TOKEN) + 30),
    );
    const third = fakeMain(env.userData);
    mains.push(third);
    env.running = await third.start();
    expect(readdirSync(env.userData).some((f) => f.startsWith('tokens.json.bak-'))).toBe(true);

    // Where to look (the app appends its log in the background: let those writes land first).
    await env.running.log.settled?.();
    const files = allFiles(env.userData);
    const logs = files.filter((f) => /\.log$/.test(f));
    const places: [string, string][] = [
      ...files.map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
      ['the vault while it held both sign-ins', vaultText],
      ['IPC results', JSON.stringify(results)],
      ...mains.flatMap((m, i): [string, string][] => [
        [`run ${i + 1}: everything sent to the window`, JSON.stringify(m.sent)],
        [
          `run ${i + 1}: tray menus and tooltips`,
          JSON.stringify(m.tray.trays.map((t) => [t.menus, t.tooltips])),
        ],
        [
          `run ${i + 1}: notifications and dialogs`,
          JSON.stringify([m.tray.notifications, m.tray.dialog.asked]),
        ],
      ]),
    ];

    // Not a vacuous search: the log exists and recorded what happened, the window got snapshots,
    // and the settings file is among the files searched.
    expect(logs.map((f) => f.slice(env.userData.length + 1))).toContain('main.log');
    const log = logs.map((f) => readFileSync(f, 'utf8')).join('');
    expect(log).toMatch(/operation started.*"kind":"sign-in"/);
    expect(log).toMatch(/operation failed.*"kind":"switch".*needs-sign-in/);
    expect(log).toMatch(/operation succeeded.*"kind":"sign-out"/);
    expect(log).toContain('busy: [redacted]');
    expect(files.map((f) => f.slice(env.userData.length + 1))).toContain('settings.json');
    expect(mains[0]!.sent.length).toBeGreaterThan(5);

    const hits: string[] = [];
    for (const [where, text] of places) {
      const readings = decodedForms(text);
      for (const secret of secrets) {
        const found = fragments(secret).find((part) => readings.some((r) => r.includes(part)));
        if (found) hits.push(`${where}: contains ${found.slice(0, 8)}…`);
      }
    }
    console.log(
      `secret hygiene: searched ${places.length} places (${files.length} files, ${logs.length} logs) ` +
        `for ${secrets.length} secrets: ${hits.length} hits`,
    );
    expect(hits).toEqual([]);
  });
});
