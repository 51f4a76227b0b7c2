// Secret hygiene: sign in, switch, a failing switch (with a server that echoes the token back),
// a failing sign-in and a sign-out with a recognisable token, then look for it everywhere it must
// never be: log files, error messages, every snapshot sent to the window, the tray, and every
// file in the profile outside the encrypted token vault.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { OAuthTokenInput, Result } from '../src/shared/domain';
import { fakeMain, type FakeMain } from './support/fake-main';
import { useMainEnv } from './support/main-env';

vi.mock('electron', () => ({ default: {} }));

const b64url = (s: string) => Buffer.from(s).toString('base64url');
/** Unmistakable values: a refresh token and a JWT-shaped id token carrying a marker. */
const REFRESH = 'RECOGNISABLE-refresh-7f3k2m9q1zx8c4v6';
const ID_TOKEN = `${b64url('{"alg":"RS256","typ":"JWT"}')}.${b64url('{"sub":"RECOGNISABLE-id-token-subject"}')}.${b64url('RECOGNISABLE-signature')}`;

/** Every file under `dir`, except the token vault (encrypted) and copies of it. */
function filesOutsideVault(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesOutsideVault(path));
    else if (!name.startsWith('tokens.json')) out.push(path);
  }
  return out;
}

/** The secret, and overlapping 16-character pieces of it, so a truncated echo is caught too. */
function fragments(secret: string): string[] {
  const parts = [secret];
  for (let i = 0; i + 16 <= secret.length; i += 8) parts.push(secret.slice(i, i + 16));
  return parts;
}

const env = useMainEnv('pieces-secrets-', { users: 1, seed: 5 });

describe('secret hygiene', () => {
  it('never lets a token reach a log, an error, a snapshot, the tray or a file outside the vault', async () => {
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
    const ada = await call(main, 'signIn', { token });
    expect(ada.ok).toBe(true);
    const adaId = (ada as { value: { id: string } }).value.id;
    expect((await call(main, 'signIn', { token: grace })).ok).toBe(true);
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
    const refusedSignIn = await call(main, 'signIn', { token });
    expect(refusedSignIn).toMatchObject({ ok: false, error: { kind: 'http', status: 500 } });
    // The echo did reach the app, and was cut out where it arrived.
    expect((refusedSignIn as { error: { message: string } }).error.message).toContain(
      'refused token [redacted]',
    );
    env.emulator.setFaults({ signIn: { malformedJson: true } });
    expect(await call(main, 'switchTo', { id: adaId })).toMatchObject({
      ok: false,
      error: { kind: 'bad-response' },
    });
    env.emulator.clearFaults();
    env.running.service.stop();

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

    // Where to look.
    const files = filesOutsideVault(env.userData);
    const logs = files.filter((f) => /\.log$/.test(f));
    const places: [string, string][] = [
      ...files.map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
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
    expect(log).toContain('refused token [redacted]');
    expect(files.map((f) => f.slice(env.userData.length + 1))).toContain('settings.json');
    expect(mains[0]!.sent.length).toBeGreaterThan(5);

    const hits: string[] = [];
    for (const [where, text] of places) {
      for (const secret of secrets) {
        const found = fragments(secret).find((part) => text.includes(part));
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
