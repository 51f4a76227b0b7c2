// The command channel on real sockets: who it answers, what it refuses, and what it leaves behind.
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { askRunningApp } from './ask-running-app';
import { channelPaths, privateFolder } from './channel-paths';
import { MAX_REQUEST_BYTES, startCommandServer, type CommandServer } from './command-server';
import { EXIT, output } from './exit-codes';

const posix = process.platform !== 'win32';
let dir: string;
let server: CommandServer | undefined;
let calls: string[][];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pieces-channel-'));
  calls = [];
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const start = async () => {
  server = await startCommandServer({
    userData: dir,
    handle: (args) => {
      calls.push(args);
      return Promise.resolve(output(EXIT.ok, `ran ${args.join(' ')}\n`));
    },
  });
};

/** Sends `text` as it is and returns the reply line. */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const conn = createConnection(channelPaths(dir).socket);
    let got = '';
    conn.setEncoding('utf8');
    conn.on('data', (c: string) => (got += c));
    conn.on('end', () => resolve(got));
    conn.on('error', reject);
    conn.write(text);
  });
}

describe('the command channel', () => {
  it('answers a request carrying the key', async () => {
    await start();
    expect(await askRunningApp(dir, ['--list'])).toEqual(output(EXIT.ok, 'ran --list\n'));
    expect(calls).toEqual([['--list']]);
  });

  it.each([
    ['the wrong key', `{"v":1,"key":"${'0'.repeat(64)}","args":["--list"]}\n`, /key/],
    ['no key', '{"v":1,"args":["--list"]}\n', /not one this app understands/],
    ['not JSON', 'switch ada\n', /not one this app understands/],
    ['another version', `{"v":2,"key":"${'0'.repeat(64)}","args":[]}\n`, /not one/],
    ['an extra field', `{"v":1,"key":"${'0'.repeat(64)}","args":[],"run":"x"}\n`, /not one/],
    ['too much', 'x'.repeat(MAX_REQUEST_BYTES + 10), /too long/],
  ])('refuses %s, running nothing', async (_name, text, message) => {
    await start();
    const reply = JSON.parse(await raw(text)) as { exitCode: number; stderr: string };
    expect(reply.exitCode).toBe(EXIT.failed);
    expect(reply.stderr).toMatch(message);
    expect(calls).toEqual([]);
  });

  it.runIf(posix)('keeps its key and socket to this user, and removes both on close', async () => {
    await start();
    const { socket, keyFile } = channelPaths(dir);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
    await server!.close();
    server = undefined;
    expect(() => statSync(keyFile)).toThrow();
    expect(() => statSync(socket)).toThrow();
    expect(await askRunningApp(dir, ['--list'])).toBeNull();
  });

  it.runIf(posix)(
    'replaces the socket a killed app left behind, and a new key every start',
    async () => {
      const { socket, folder } = channelPaths(dir);
      if (folder) privateFolder(folder, true);
      // A process that listens on the socket, then is killed: its socket file stays behind.
      spawnSync(process.execPath, [
        '-e',
        `require('node:net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`,
      ]);
      expect(statSync(socket).isSocket()).toBe(true);
      await start();
      const first = readFileSync(channelPaths(dir).keyFile, 'utf8');
      expect(await askRunningApp(dir, ['--status'])).toEqual(output(EXIT.ok, 'ran --status\n'));
      await server!.close();
      await start();
      expect(readFileSync(channelPaths(dir).keyFile, 'utf8')).not.toBe(first);
    },
  );
});

describe.runIf(posix)('privateFolder', () => {
  it('accepts a 0700 folder of this user, refuses one open to others or a link', () => {
    const mine = join(dir, 'mine');
    privateFolder(mine, true);
    expect(statSync(mine).mode & 0o777).toBe(0o700);
    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o755);
    expect(() => privateFolder(open, false)).toThrow(/not a folder private to this user/);
    const link = join(dir, 'link');
    symlinkSync(mine, link);
    expect(() => privateFolder(link, false)).toThrow(/not a folder private/);
  });
});

describe('channelPaths', () => {
  it('one socket per data folder; a named pipe on Windows; XDG_RUNTIME_DIR on Linux', () => {
    const a = channelPaths('/home/ada/.config/app', 'linux', { XDG_RUNTIME_DIR: '/run/user/1000' });
    const b = channelPaths('/home/ada/.config/app2', 'linux', {
      XDG_RUNTIME_DIR: '/run/user/1000',
    });
    expect(a.socket).toMatch(/^\/run\/user\/1000\/pieces-account-switcher-[0-9a-f]{16}\.sock$/);
    expect(a.socket).not.toBe(b.socket);
    expect(a.keyFile).toBe(join('/home/ada/.config/app', 'command-line.key'));
    expect(channelPaths('C:\\Users\\ada\\app', 'win32').socket).toMatch(
      /^\\\\\.\\pipe\\pieces-account-switcher-[0-9a-f]{16}$/,
    );
    expect(channelPaths('/Users/ada/app', 'darwin', {}).folder).toBeDefined();
  });
});
