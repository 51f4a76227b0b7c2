import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPort, closedPorts } from '../../../test/support/ports';
import {
  DEFAULT_PROBE_PORTS,
  createBaseUrlResolver,
  defaultLegacyPorts,
  portFilePath,
  portFilePaths,
} from './base-url';
import { useLoopbackServers } from '../../../test/support/loopback-servers';

interface TestServer {
  port: number;
  url: string;
  /** Requests to /.well-known/health so far. */
  hits: () => number;
  /** Delay later answers by this much. */
  setDelay: (ms: number) => void;
}

const servers = useLoopbackServers();
let home: string;

beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'pieces-base-url-'));
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** A loopback server whose health endpoint answers `status` with `body`, after `delayMs`. */
async function healthServer(status = 200, body = 'ok', delayMs = 0): Promise<TestServer> {
  let hits = 0;
  let delay = delayMs;
  const { port, url } = await servers.serve((req, res) => {
    if (req.url === '/.well-known/health') hits++;
    setTimeout(() => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    }, delay);
  });
  return {
    port,
    url,
    hits: () => hits,
    setDelay: (ms) => (delay = ms),
  };
}

async function writePortFile(content: string, platform: NodeJS.Platform = 'linux') {
  const file = portFilePath(home, platform);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

/** Options that keep every probe on ports this test controls. */
async function isolated(extra: Parameters<typeof createBaseUrlResolver>[0] = {}) {
  const dead = await closedPort();
  return {
    env: {},
    homeDir: home,
    platform: 'linux' as const,
    probePorts: [dead],
    legacyPorts: [dead],
    probeTimeoutMs: 500,
    ...extra,
  };
}

describe('base URL resolution order', () => {
  it('uses the setting first, unverified, without a trailing slash', async () => {
    const resolver = createBaseUrlResolver(
      await isolated({
        setting: () => ' http://localhost:4000/ ',
        env: { PIECES_OS_URL: 'http://127.0.0.1:1' },
      }),
    );
    expect(await resolver.resolve()).toBe('http://localhost:4000');
    expect(resolver.source()).toBe('setting');
    expect(resolver.tried()).toEqual(['http://localhost:4000']);
  });

  it('uses PIECES_OS_URL when there is no setting', async () => {
    const resolver = createBaseUrlResolver(
      await isolated({
        setting: () => null,
        env: { PIECES_OS_URL: 'https://LOCALHOST/api/' },
      }),
    );
    expect(await resolver.resolve()).toBe('https://localhost/api');
    expect(resolver.source()).toBe('env');
  });

  it.each([['not a url'], ['ftp://pieces.example'], ['http://user:secret@pieces.example']])(
    'skips a setting %j with a reason that does not repeat it, and goes on to the env',
    async (bad) => {
      const resolver = createBaseUrlResolver(
        await isolated({ setting: () => bad, env: { PIECES_OS_URL: 'http://127.0.0.1:4000' } }),
      );
      expect(await resolver.resolve()).toBe('http://127.0.0.1:4000');
      expect(resolver.source()).toBe('env');
      const skipped = resolver.skipped?.() ?? [];
      expect(skipped).toHaveLength(1);
      expect(skipped[0]).toMatch(/setting/);
      expect(skipped[0]).not.toContain('secret');
    },
  );

  it('survives a setting reader that throws', async () => {
    const resolver = createBaseUrlResolver(
      await isolated({
        setting: () => {
          throw new Error('store corrupted');
        },
        env: { PIECES_OS_URL: 'http://127.0.0.1:4000' },
      }),
    );
    expect(await resolver.resolve()).toBe('http://127.0.0.1:4000');
    expect(resolver.skipped?.()).toEqual(['The Pieces OS URL setting could not be read.']);
  });

  it('skips a bad PIECES_OS_URL and goes on to the port file', async () => {
    const live = await healthServer();
    await writePortFile(`${live.port}`);
    const resolver = createBaseUrlResolver(
      await isolated({ env: { PIECES_OS_URL: 'javascript:alert(1)' } }),
    );
    expect(await resolver.resolve()).toBe(live.url);
    expect(resolver.source()).toBe('port-file');
    expect(resolver.skipped?.()[0]).toMatch(/PIECES_OS_URL/);
  });

  // Saved tokens are sent to this address. These hosts are never contacted: they are refused first.
  const ELSEWHERE = [
    'http://pieces.example:39300',
    'https://192.168.1.20:39300/',
    'http://127.0.0.1.example:39300',
    'http://[::ffff:7f00:1]:39300',
    'http://localhost.example/',
  ];

  it.each(ELSEWHERE)(
    'ignores a setting on another computer (%s), saying why, and goes on to PIECES_OS_URL',
    async (remote) => {
      const resolver = createBaseUrlResolver(
        await isolated({ setting: () => remote, env: { PIECES_OS_URL: 'http://127.0.0.1:4000' } }),
      );
      expect(await resolver.resolve()).toBe('http://127.0.0.1:4000');
      expect(resolver.source()).toBe('env');
      expect(resolver.tried()).toEqual(['http://127.0.0.1:4000']);
      expect(resolver.skipped?.()).toEqual([
        'The Pieces OS URL setting points to another computer; ignored. Pieces OS must be on this computer (localhost or 127.0.0.1).',
      ]);
    },
  );

  it.each(ELSEWHERE)(
    'ignores PIECES_OS_URL on another computer (%s), saying why, and finds Pieces OS on this one',
    async (remote) => {
      const live = await healthServer();
      await writePortFile(`${live.port}`);
      const resolver = createBaseUrlResolver(await isolated({ env: { PIECES_OS_URL: remote } }));
      expect(await resolver.resolve()).toBe(live.url);
      expect(resolver.source()).toBe('port-file');
      expect(resolver.tried().every((u) => u.startsWith('http://127.0.0.1:'))).toBe(true);
      expect(resolver.skipped?.()).toEqual([
        'The PIECES_OS_URL environment variable points to another computer; ignored. Pieces OS must be on this computer (localhost or 127.0.0.1).',
      ]);
    },
  );

  it.each([
    ['http://127.0.0.1:4000', 'http://127.0.0.1:4000'],
    ['http://127.45.6.7:4000/', 'http://127.45.6.7:4000'],
    ['http://[::1]:4000', 'http://[::1]:4000'],
    ['https://LocalHost:4000/pieces/', 'https://localhost:4000/pieces'],
  ])('accepts PIECES_OS_URL on this computer: %s', async (local, expected) => {
    const resolver = createBaseUrlResolver(await isolated({ env: { PIECES_OS_URL: local } }));
    expect(await resolver.resolve()).toBe(expected);
    expect(resolver.source()).toBe('env');
    expect(resolver.skipped?.()).toEqual([]);
  });

  it.each(['linux', 'win32'] as const)(
    'reads ~/Documents/.../.port.txt on %s (whitespace around the port is fine)',
    async (platform) => {
      const live = await healthServer();
      await writePortFile(`  ${live.port}\r\n`, platform);
      const resolver = createBaseUrlResolver(await isolated({ platform }));
      expect(await resolver.resolve()).toBe(live.url);
      expect(resolver.source()).toBe('port-file');
      expect(live.hits()).toBe(1);
    },
  );

  it('reads ~/Library/.../.port.txt on macOS', async () => {
    const live = await healthServer();
    await writePortFile(`${live.port}`, 'darwin');
    expect(portFilePath(home, 'darwin')).toBe(
      path.join(home, 'Library', 'com.pieces.os', 'production', 'Config', '.port.txt'),
    );
    const resolver = createBaseUrlResolver(await isolated({ platform: 'darwin' }));
    expect(await resolver.resolve()).toBe(live.url);
  });

  it('on Windows reads the %LOCALAPPDATA% port file before the Documents one', async () => {
    const local = await healthServer();
    const documents = await healthServer();
    await writePortFile(`${documents.port}`, 'win32');
    const localAppData = path.join(home, 'AppData', 'Local');
    const [first, second] = portFilePaths(home, 'win32', { LOCALAPPDATA: localAppData });
    expect(first).toBe(
      path.join(
        localAppData,
        'Mesh Intelligent Technologies, Inc',
        'Pieces OS',
        'com.pieces.os',
        'production',
        'Config',
        '.port.txt',
      ),
    );
    expect(second).toBe(portFilePath(home, 'win32'));
    await mkdir(path.dirname(first!), { recursive: true });
    await writeFile(first!, `${local.port}\n`);
    const env = { LOCALAPPDATA: localAppData };
    const resolver = createBaseUrlResolver(await isolated({ platform: 'win32', env }));
    expect(await resolver.resolve()).toBe(local.url);
    expect(resolver.source()).toBe('port-file');
    // Without that file, the Documents one still counts.
    await rm(first!);
    resolver.invalidate();
    expect(await resolver.resolve()).toBe(documents.url);
    expect(portFilePaths(home, 'linux', { LOCALAPPDATA: localAppData })).toEqual([
      portFilePath(home, 'linux'),
    ]);
  });

  it('moves on to the probe when the port file names a port that does not answer health', async () => {
    const stale = await closedPort();
    const live = await healthServer();
    await writePortFile(`${stale}`);
    const resolver = createBaseUrlResolver(await isolated({ probePorts: [live.port] }));
    expect(await resolver.resolve()).toBe(live.url);
    expect(resolver.source()).toBe('probe');
    expect(resolver.tried()[0]).toBe(`http://127.0.0.1:${stale}`);
    expect(resolver.skipped?.()[0]).toMatch(/did not answer/);
  });

  it('moves on when the port file does not hold a port number', async () => {
    const live = await healthServer();
    await writePortFile('port=39300');
    const resolver = createBaseUrlResolver(await isolated({ probePorts: [live.port] }));
    expect(await resolver.resolve()).toBe(live.url);
    expect(resolver.skipped?.()[0]).toMatch(/does not hold a port number/);
  });

  it('probes all ports in parallel and picks the lowest port that answers ok', async () => {
    const a = await healthServer(200, 'OK\n');
    const b = await healthServer(200, 'ok');
    const sick = await healthServer(500, 'ok');
    const liar = await healthServer(200, 'not ok');
    const dead = await closedPort();
    const [low, high] = a.port < b.port ? [a, b] : [b, a];
    // The lowest port answers last: it must still win over the first to answer.
    low.setDelay(150);
    const resolver = createBaseUrlResolver(
      await isolated({ probePorts: [high.port, sick.port, dead, liar.port, low.port] }),
    );
    expect(await resolver.resolve()).toBe(low.url);
    expect(resolver.source()).toBe('probe');
    // Parallel: every candidate was asked, not only those up to the winner.
    expect([high, sick, liar, low].every((s) => s.hits() === 1)).toBe(true);
  });

  it('does not accept a healthy answer slower than the probe timeout', async () => {
    const slow = await healthServer(200, 'ok', 1000);
    const resolver = createBaseUrlResolver(
      await isolated({ probePorts: [slow.port], probeTimeoutMs: 100 }),
    );
    expect(resolver.source()).toBeUndefined();
    await resolver.resolve();
    expect(resolver.source()).toBe('legacy');
  });

  it('falls back to the first legacy port, unverified, when nothing answers', async () => {
    const [dead, alsoDead] = await closedPorts(2);
    const resolver = createBaseUrlResolver(
      await isolated({ probePorts: [dead!], legacyPorts: [dead!, alsoDead!] }),
    );
    expect(await resolver.resolve()).toBe(`http://127.0.0.1:${dead}`);
    expect(resolver.source()).toBe('legacy');
    expect(resolver.tried()).toEqual([`http://127.0.0.1:${dead}`, `http://127.0.0.1:${alsoDead}`]);
  });

  it('finds an old Pieces OS on a later legacy port that answers', async () => {
    const dead = await closedPort();
    const old = await healthServer();
    const resolver = createBaseUrlResolver(
      await isolated({ probePorts: [dead], legacyPorts: [dead, old.port] }),
    );
    expect(await resolver.resolve()).toBe(old.url);
    expect(resolver.source()).toBe('legacy');
  });

  // The defaults are checked as constants, not by a resolve() with no ports given: that would
  // send real requests to 39300..39333, 5323 and 1000, ports this test does not own.
  it('probes 39300..39333 by default', () => {
    expect(DEFAULT_PROBE_PORTS).toEqual(Array.from({ length: 34 }, (_, i) => 39300 + i));
  });

  it('has 1000 as the legacy port, and 5323 first on Linux', () => {
    expect(defaultLegacyPorts('darwin')).toEqual([1000]);
    expect(defaultLegacyPorts('win32')).toEqual([1000]);
    expect(defaultLegacyPorts('linux')).toEqual([5323, 1000]);
  });
});

describe('base URL caching', () => {
  it('resolves once and serves the cached URL after', async () => {
    const live = await healthServer();
    const resolver = createBaseUrlResolver(await isolated({ probePorts: [live.port] }));
    await resolver.resolve();
    await resolver.resolve();
    expect(live.hits()).toBe(1);
  });

  it('resolves again after invalidate(), picking up a changed setting', async () => {
    const live = await healthServer();
    let setting: string | null = null;
    const resolver = createBaseUrlResolver(
      await isolated({ setting: () => setting, probePorts: [live.port] }),
    );
    expect(await resolver.resolve()).toBe(live.url);
    setting = 'http://127.0.0.1:4000';
    expect(await resolver.resolve()).toBe(live.url);
    resolver.invalidate();
    expect(resolver.source()).toBeUndefined();
    expect(await resolver.resolve()).toBe('http://127.0.0.1:4000');
    expect(resolver.source()).toBe('setting');
  });

  it('shares one in-flight resolution between concurrent callers', async () => {
    const live = await healthServer(200, 'ok', 50);
    const resolver = createBaseUrlResolver(await isolated({ probePorts: [live.port] }));
    const urls = await Promise.all([1, 2, 3, 4, 5].map(() => resolver.resolve()));
    expect(new Set(urls)).toEqual(new Set([live.url]));
    expect(live.hits()).toBe(1);
  });

  it('does not cache a resolution that was invalidated while it ran', async () => {
    const live = await healthServer(200, 'ok', 100);
    const resolver = createBaseUrlResolver(await isolated({ probePorts: [live.port] }));
    const first = resolver.resolve();
    resolver.invalidate();
    await first;
    expect(resolver.source()).toBeUndefined();
    await resolver.resolve();
    expect(live.hits()).toBe(2);
  });
});
