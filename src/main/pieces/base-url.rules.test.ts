// The resolver's refusals in words and the limits of a port file, one rule at a time. Nothing
// here answers on a port: every probe goes to a closed loopback port, so each case ends in the
// unverified legacy guess and the test reads what was tried and skipped. base-url.test.ts has the
// resolution order against real health servers.
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../../test/support/ports';
import { createBaseUrlResolver, envUrlProblem, portFilePath, portFilePaths } from './base-url';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'pieces-base-url-rules-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('PIECES_OS_URL refused in words that do not repeat it', () => {
  const what = 'The PIECES_OS_URL environment variable';

  it('is not set when absent or blank', () => {
    expect(envUrlProblem({})).toBeUndefined();
    expect(envUrlProblem({ PIECES_OS_URL: '  \n' })).toBeUndefined();
    expect(envUrlProblem({ PIECES_OS_URL: ' http://127.0.0.1:39300/ ' })).toBeUndefined();
  });

  it.each([
    ['not a url', `${what} is not a URL; ignored.`],
    ['ftp://localhost/x', `${what} is not an http(s) URL; ignored.`],
    ['http://secret@localhost:1000', `${what} contains a user name or password; ignored.`],
    ['http://:secret@localhost:1000', `${what} contains a user name or password; ignored.`],
    [
      'http://10.0.0.2:39300',
      `${what} points to another computer; ignored. Pieces OS must be on this computer (localhost or 127.0.0.1).`,
    ],
  ])('%s', (value, reason) => {
    expect(envUrlProblem({ PIECES_OS_URL: value })).toBe(reason);
  });
});

describe('port files', () => {
  it('are under Documents on Linux and Windows, under Library on macOS', () => {
    const config = ['com.pieces.os', 'production', 'Config', '.port.txt'];
    expect(portFilePath('/home/ada', 'linux')).toBe(path.join('/home/ada', 'Documents', ...config));
    expect(portFilePath('/home/ada', 'win32')).toBe(path.join('/home/ada', 'Documents', ...config));
    expect(portFilePath('/Users/ada', 'darwin')).toBe(
      path.join('/Users/ada', 'Library', ...config),
    );
  });

  it('on Windows ignore a blank LOCALAPPDATA', () => {
    expect(portFilePaths('/home/ada', 'win32', { LOCALAPPDATA: '  ' })).toEqual([
      portFilePath('/home/ada', 'win32'),
    ]);
  });
});

describe('resolution without any answer', () => {
  async function resolverWith(extra: Parameters<typeof createBaseUrlResolver>[0] = {}) {
    const dead = await closedPort();
    const resolver = createBaseUrlResolver({
      env: {},
      homeDir: home,
      platform: 'linux',
      probePorts: [dead],
      legacyPorts: [dead],
      probeTimeoutMs: 2000,
      ...extra,
    });
    return { resolver, dead };
  }

  async function portFile(content: string) {
    const file = portFilePath(home, 'linux');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    return file;
  }

  it('keeps the path of an explicit URL but not its query or hash', async () => {
    const { resolver } = await resolverWith({ setting: () => 'http://localhost:4000/p//?a=1#b' });
    expect(await resolver.resolve()).toBe('http://localhost:4000/p');
    expect(resolver.tried()).toEqual(['http://localhost:4000/p']);
    expect(resolver.source()).toBe('setting');
  });

  it.each([['0'], ['65536'], ['123456'], ['39300.5'], ['1e3'], ['0x10'], ['']])(
    'skips a port file holding %j',
    async (content) => {
      const file = await portFile(content);
      const { resolver, dead } = await resolverWith();
      expect(await resolver.resolve()).toBe(`http://127.0.0.1:${dead}`);
      expect(resolver.source()).toBe('legacy');
      expect(resolver.skipped?.()).toEqual([`${file} does not hold a port number.`]);
      expect(resolver.tried()).toEqual([`http://127.0.0.1:${dead}`]);
    },
  );

  // 65535: the highest port, outside Linux's ephemeral range, so nothing of this machine's
  // answers there. (Port 1, the lowest, is a well-known port no test here owns: not knocked on.)
  it.each([['65535']])(
    'tries the port %s from a port file, and says it did not answer',
    async (port) => {
      const file = await portFile(`${port}\n`);
      const { resolver, dead } = await resolverWith();
      expect(await resolver.resolve()).toBe(`http://127.0.0.1:${dead}`);
      expect(resolver.tried()[0]).toBe(`http://127.0.0.1:${port}`);
      expect(resolver.skipped?.()).toEqual([
        `http://127.0.0.1:${port} from ${file} did not answer the health check.`,
      ]);
    },
  );

  it('says a port file that cannot be read could not be read, with its code', async () => {
    const file = portFilePath(home, 'linux');
    await mkdir(file, { recursive: true }); // a folder where the file should be
    const { resolver } = await resolverWith();
    await resolver.resolve();
    expect(resolver.skipped?.()).toEqual([`${file} could not be read (EISDIR).`]);
  });

  it('says nothing about a port file that does not exist', async () => {
    const { resolver } = await resolverWith();
    await resolver.resolve();
    expect(resolver.skipped?.()).toEqual([]);
  });

  it('puts an IPv6 probe host in brackets', async () => {
    const { resolver, dead } = await resolverWith({ probeHost: '::1' });
    expect(await resolver.resolve()).toBe(`http://[::1]:${dead}`);
    expect(resolver.tried()).toEqual([`http://[::1]:${dead}`]);
  });

  it('guesses port 1000 when no legacy port is given', async () => {
    const { resolver, dead } = await resolverWith({ legacyPorts: [] });
    expect(await resolver.resolve()).toBe('http://127.0.0.1:1000');
    expect(resolver.tried()).toEqual([`http://127.0.0.1:${dead}`]);
    expect(resolver.source()).toBe('legacy');
  });

  it('probes a port given as both a probe and a legacy port once', async () => {
    const { resolver, dead } = await resolverWith();
    await resolver.resolve();
    expect(resolver.tried()).toEqual([`http://127.0.0.1:${dead}`]);
  });

  it('has tried and skipped nothing before its first resolution', async () => {
    const { resolver } = await resolverWith();
    expect(resolver.tried()).toEqual([]);
    expect(resolver.skipped?.()).toEqual([]);
    expect(resolver.source()).toBeUndefined();
  });

  it('gives copies of what it tried and skipped', async () => {
    const { resolver } = await resolverWith({ setting: () => 'not a url' });
    await resolver.resolve();
    resolver.tried().push('x');
    resolver.skipped?.().push('x');
    expect(resolver.tried()).not.toContain('x');
    expect(resolver.skipped?.()).toEqual(['The Pieces OS URL setting is not a URL; ignored.']);
  });
});

describe('the port scan', () => {
  it('cuts the other probes short once the lowest port that answers is known', async () => {
    // Two loopback servers; the lower port answers "ok", the higher one never answers. The
    // higher probe must be hung up on as soon as the lower one answered, not at its time limit.
    let hungUp!: () => void;
    const hungUpOn = new Promise<void>((resolve) => (hungUp = resolve));
    const servers = [http.createServer(), http.createServer()];
    try {
      for (const s of servers) {
        s.listen(0, '127.0.0.1');
        await once(s, 'listening');
      }
      const portOf = (s: http.Server) => (s.address() as AddressInfo).port;
      const [low, high] = [...servers].sort((a, b) => portOf(a) - portOf(b)) as [
        http.Server,
        http.Server,
      ];
      // The lower one answers only once the higher probe has arrived, so there is one to cut.
      let arrived!: () => void;
      const highAsked = new Promise<void>((resolve) => (arrived = resolve));
      low.on('request', (_req, res) => void highAsked.then(() => res.end('ok')));
      high.on('request', (req) => {
        req.socket.once('close', hungUp);
        arrived();
      });
      const resolver = createBaseUrlResolver({
        env: {},
        homeDir: home,
        probePorts: [portOf(high), portOf(low)],
        legacyPorts: [],
        // Far beyond the test's own time limit: only the cut can end the higher probe in time.
        probeTimeoutMs: 600_000,
      });
      expect(await resolver.resolve()).toBe(`http://127.0.0.1:${portOf(low)}`);
      await hungUpOn;
    } finally {
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    }
  });
});
