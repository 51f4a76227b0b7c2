// The command line end to end: `npm run cli`'s entry in a child process against the emulator,
// each command and each exit code, without a running app (the command runs with the app's core on
// its data folder) and with one (a child process running the app's core and command channel).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator, type OAuthTokenWire } from '../emulator/server';
import { createCore } from '../src/main/core';
import { noKeychain } from '../src/main/settings/no-keychain';
import { EXIT } from '../src/main/commands/exit-codes';
import { channelPaths } from '../src/main/commands/channel-paths';
import type { ListJson } from '../src/main/commands/list-json';
import { stopChild } from './support/child-process';
import { closedPort } from './support/ports';
import { startWebPreview } from '../web-preview/server';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const ROOT = join(__dirname, '..');
const NODE_ARGS = ['--import', 'tsx', '--import', './web-preview/register-electron-stub.mjs'];
const CHILD_MS = 90_000;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, file, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const PEOPLE = {
  ada: { email: 'ada@example.com', name: 'Ada Lovelace' },
  grace: { email: 'grace@example.com', name: 'Grace Hopper' },
  sam1: { email: 'sam.lee@example.com', name: 'Sam Lee' },
  sam2: { email: 'sam@work.example', name: 'Sam Lee' },
};

let emulator: Emulator;
const tokens: OAuthTokenWire[] = [];
const ids: Record<string, string> = {};
const folders: string[] = [];

const folder = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'pieces-cli-'));
  folders.push(dir);
  return dir;
};

/** The sign-in a seeded user made elsewhere: the app has no token for it. */
let stranger: { id: string; email: string };

beforeAll(async () => {
  emulator = await startEmulator({ users: 1, seed: 3, healthIntervalMs: 0 });
  stranger = emulator.users()[0] as { id: string; email: string };
  for (const [key, person] of Object.entries(PEOPLE)) {
    const token = emulator.mintToken(person);
    tokens.push(token);
    const res = await fetch(`${emulator.url}/users/authenticate/from_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(token),
    });
    ids[key] = ((await res.json()) as { id: string }).id;
  }
});

afterAll(async () => {
  await emulator.close();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/**
 * A data folder as the app leaves it for a person who opted in to plaintext storage (Settings),
 * made by the app's own core: the only kind of saved sign-in plain Node can read.
 */
async function plaintextProfile(): Promise<string> {
  const dir = folder();
  const core = await createCore({
    dataDir: dir,
    safeStorage: noKeychain('this test'),
    allowLoopbackIssuer: false,
    openExternal: () => undefined,
    live: false,
    piecesOsUrl: emulator.url,
  });
  core.handlers.updateSettings({ allowPlaintextTokens: true });
  for (const token of tokens) {
    const result = await core.service.signIn(token);
    if (!result.ok) throw new Error(result.error.message);
  }
  core.service.stop();
  return dir;
}

const cli = (dir: string, args: string[], url = emulator.url): Promise<Ran> =>
  run('scripts/cli.ts', args, { PIECES_SWITCHER_USER_DATA: dir, PIECES_OS_URL: url });

describe('npm run cli without a running app', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await plaintextProfile();
  });

  it(
    '--list and --list --json show every account, active first, and never a token',
    async () => {
      const [text, json] = await Promise.all([
        cli(dir, ['--list']),
        cli(dir, ['--list', '--json']),
      ]);
      expect(text.code).toBe(EXIT.ok);
      expect(text.stdout).toContain(`Ada Lovelace <ada@example.com> (${ids.ada})  Ready`);
      expect(text.stdout).toContain(`${stranger.email}`);
      expect(text.stdout).toMatch(/Sign-in needed/);

      expect(json.code).toBe(EXIT.ok);
      const doc = JSON.parse(json.stdout) as ListJson;
      expect(doc.version).toBe(1);
      expect(doc.piecesOs).toEqual({
        status: 'online',
        url: emulator.url,
        version: '12.0.0',
        error: null,
      });
      expect(doc.accounts).toHaveLength(5);
      expect(doc.accounts[0]).toMatchObject({ id: doc.activeId, active: true, state: 'active' });
      expect(doc.accounts.find((a) => a.id === ids.grace)).toEqual({
        id: ids.grace,
        name: 'Grace Hopper',
        email: 'grace@example.com',
        username: expect.any(String) as string,
        state: expect.stringMatching(/^(ready|active)$/) as string,
        active: doc.activeId === ids.grace,
      });
      for (const token of tokens) {
        expect(json.stdout + text.stdout + json.stderr).not.toContain(
          token.access_token.slice(0, 16),
        );
      }
    },
    CHILD_MS,
  );

  it(
    '--switch <email> switches the emulator current user and says so; --status then names it',
    async () => {
      const ran = await cli(dir, ['--switch', 'GRACE@example.com']);
      expect(ran).toMatchObject({ code: EXIT.ok, stderr: '' });
      expect(ran.stdout).toBe(`Switched to Grace Hopper <grace@example.com> (${ids.grace}).\n`);
      expect(emulator.currentUserId()).toBe(ids.grace);

      const status = await cli(dir, ['--status']);
      expect(status.code).toBe(EXIT.ok);
      expect(status.stdout).toContain(`Pieces OS: connected at ${emulator.url}`);
      expect(status.stdout).toContain(`Active account: Grace Hopper <grace@example.com>`);
    },
    CHILD_MS,
  );

  it(
    'a name that fits two accounts lists both (4); a query that fits none says so (3)',
    async () => {
      const [both, none] = await Promise.all([
        cli(dir, ['--switch', 'sam lee']),
        cli(dir, ['--switch', 'nobody@example.com']),
      ]);
      expect(both.code).toBe(EXIT.ambiguous);
      expect(both.stderr).toContain('"sam lee" matches 2 accounts');
      expect(both.stderr).toContain(`sam.lee@example.com> (${ids.sam1})`);
      expect(both.stderr).toContain(`sam@work.example> (${ids.sam2})`);
      expect(none.code).toBe(EXIT.noMatch);
      expect(none.stderr).toContain('No account matches "nobody@example.com"');
      expect(emulator.currentUserId()).toBe(ids.grace);
    },
    CHILD_MS,
  );

  it(
    'an account without a saved sign-in needs one (5), and the message says how',
    async () => {
      const ran = await cli(dir, ['--switch', stranger.email]);
      expect(ran.code).toBe(EXIT.needsSignIn);
      expect(ran.stderr).toContain('no saved sign-in');
      expect(ran.stderr).toContain('start the app');
      expect(emulator.currentUserId()).toBe(ids.grace);
    },
    CHILD_MS,
  );

  it(
    'Pieces OS refusing the switch fails (1) with its reason; Pieces OS away is 6',
    async () => {
      emulator.setFaults({ signIn: { status: 500, body: 'database locked' } });
      try {
        const refused = await cli(dir, ['--switch', 'ada@example.com']);
        expect(refused.code).toBe(EXIT.failed);
        expect(refused.stderr).not.toBe('');
      } finally {
        emulator.clearFaults();
      }
      expect(emulator.currentUserId()).toBe(ids.grace);

      const away = `http://127.0.0.1:${await closedPort()}`;
      const [list, status] = await Promise.all([
        cli(dir, ['--list'], away),
        cli(dir, ['--status', '--json'], away),
      ]);
      expect(list.code).toBe(EXIT.unreachable);
      expect(list.stderr).toContain('not reachable');
      expect(status.code).toBe(EXIT.unreachable);
      expect(JSON.parse(status.stdout)).toMatchObject({
        version: 1,
        piecesOs: { status: 'offline' },
      });
    },
    CHILD_MS,
  );

  it(
    'usage errors exit 2 with the usage; --help exits 0',
    async () => {
      const [bad, help] = await Promise.all([cli(dir, ['--swich', 'ada']), cli(dir, ['--help'])]);
      expect(bad.code).toBe(EXIT.usage);
      expect(bad.stderr).toContain("Unknown option '--swich'");
      expect(bad.stderr).toContain('Usage:');
      expect(help.code).toBe(EXIT.ok);
      expect(help.stdout).toContain('--switch <email|name|id>');
    },
    CHILD_MS,
  );

  it(
    '--sign-out signs the account out of Pieces OS',
    async () => {
      const ran = await cli(dir, ['--sign-out', ids.sam2!]);
      expect(ran.code).toBe(EXIT.ok);
      expect(ran.stdout).toContain(`Signed out Sam Lee <sam@work.example>`);
      expect((emulator.users() as { id: string }[]).map((u) => u.id)).not.toContain(ids.sam2);
    },
    CHILD_MS,
  );
});

describe('npm run cli with a running app', () => {
  let dir: string;
  let app: ChildProcess;

  beforeAll(async () => {
    dir = folder();
    const tokenFile = join(folder(), 'tokens.json');
    writeFileSync(tokenFile, JSON.stringify(tokens.slice(0, 2))); // Ada and Grace
    app = spawn(process.execPath, [...NODE_ARGS, 'test/support/command-line-app.ts'], {
      cwd: ROOT,
      env: { ...process.env, APP_DATA: dir, APP_TOKENS: tokenFile, PIECES_OS_URL: emulator.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      app.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('ready\n')) resolve();
      });
      app.once('exit', (code) => reject(new Error(`the test app exited (${code})`)));
    });
  }, CHILD_MS);

  afterAll(async () => {
    await stopChild(app, 5_000);
    // The killed app's socket (outside the data folder, see channel-paths.ts).
    rmSync(channelPaths(dir).socket, { force: true });
  });

  it(
    'switches with the app’s sign-ins, which exist only in the app’s memory',
    async () => {
      const ran = await cli(dir, ['--switch', 'Ada Lovelace']);
      expect(ran).toMatchObject({ code: EXIT.ok, stderr: '' });
      expect(ran.stdout).toContain('Switched to Ada Lovelace <ada@example.com>');
      expect(emulator.currentUserId()).toBe(ids.ada);

      const again = await cli(dir, ['--switch', 'ada@example.com']);
      expect(again.stdout).toContain('is already active');
      expect(again.code).toBe(EXIT.ok);
    },
    CHILD_MS,
  );

  it(
    'answers every exit code the same as without it',
    async () => {
      const results = await Promise.all([
        cli(dir, ['--list', '--json']),
        cli(dir, ['--switch', 'no-such-person']),
        cli(dir, ['--switch', 'Sam Lee', '--list']),
        cli(dir, ['--switch', stranger.email]),
      ]);
      expect(results.map((r) => r.code)).toEqual([
        EXIT.ok,
        EXIT.noMatch,
        EXIT.usage,
        EXIT.needsSignIn,
      ]);
      const doc = JSON.parse(results[0]!.stdout) as ListJson;
      expect(doc.activeId).toBe(ids.ada);
      // Without the app, this folder holds no sign-in (the app keeps them in memory only).
      expect(results[3]!.stderr).not.toContain('without the system keychain');
    },
    CHILD_MS,
  );

  it(
    'after the app is gone (even killed, leaving its key behind) the command runs by itself',
    async () => {
      app.kill('SIGKILL');
      await new Promise((resolve) => app.once('exit', resolve));
      expect(existsSync(channelPaths(dir).keyFile)).toBe(true);
      const ran = await cli(dir, ['--switch', 'grace@example.com']);
      expect(ran.code).toBe(EXIT.needsSignIn);
      expect(ran.stderr).toContain('without the system keychain');
      expect(emulator.currentUserId()).toBe(ids.ada);
    },
    CHILD_MS,
  );
});

describe('npm run cli through a running web preview', () => {
  it(
    'switches with the preview’s sign-ins, as the preview prints how',
    async () => {
      const renderer = folder();
      writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>x</title>');
      const preview = await startWebPreview({ rendererDir: renderer, piecesOsUrl: emulator.url });
      try {
        for (const token of tokens.slice(0, 2)) {
          const result = await preview.service.signIn(token);
          expect(result.ok).toBe(true);
        }
        const ran = await cli(preview.dataDir, ['--switch', 'ada@example.com']);
        expect(ran).toMatchObject({ code: EXIT.ok, stderr: '' });
        expect(emulator.currentUserId()).toBe(ids.ada);
      } finally {
        await preview.close();
      }
    },
    CHILD_MS,
  );
});
