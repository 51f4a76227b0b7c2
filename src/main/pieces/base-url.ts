// Finds where Pieces OS listens: setting, then PIECES_OS_URL, then .port.txt, then a probe of the
// Pieces OS 11+ ports, then the legacy port. See /work/shared/pieces-os/README.md "Where Pieces OS
// listens".
import { setMaxListeners } from 'node:events';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { probeHealth } from './health-probe';
import { isOnThisComputer } from './local-url';
import type { BaseUrlResolver, BaseUrlSource } from './types';

export interface BaseUrlResolverOptions {
  /** The user's setting; read on every resolution so a changed setting applies after invalidate(). */
  setting?: () => string | null | undefined;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  platform?: NodeJS.Platform;
  /** Default 39300..39333. */
  probePorts?: number[];
  /** Default 127.0.0.1. */
  probeHost?: string;
  /** Default [1000]; on Linux [5323, 1000]. */
  legacyPorts?: number[];
  /** Per health check. Default 800 ms. */
  probeTimeoutMs?: number;
}

export const ENV_VAR = 'PIECES_OS_URL';

/** Why PIECES_OS_URL in `env` is ignored (another computer, not http, a password), if it is. */
export function envUrlProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return explicitUrl(env[ENV_VAR], `The ${ENV_VAR} environment variable`).reason;
}
export const DEFAULT_PROBE_PORTS: readonly number[] = Array.from(
  { length: 34 },
  (_, i) => 39300 + i,
);
const DEFAULT_PROBE_TIMEOUT_MS = 800;

/**
 * Pieces OS up to 10 listened on 1000 (macOS, Windows) or 5323 (Linux). On Linux 5323 comes first
 * because it is the port an old Linux Pieces OS actually used; 1000 stays as a second guess.
 */
export function defaultLegacyPorts(platform: NodeJS.Platform): number[] {
  return platform === 'linux' ? [5323, 1000] : [1000];
}

/** Where Pieces OS 11+ writes the port it chose. */
export function portFilePath(homeDir: string, platform: NodeJS.Platform): string {
  const root = platform === 'darwin' ? 'Library' : 'Documents';
  return path.join(homeDir, root, 'com.pieces.os', 'production', 'Config', '.port.txt');
}

/**
 * Every port file to read, in order. On Windows Pieces OS may write it under %LOCALAPPDATA%
 * (pieces-app/support#993) or under Documents (what the C# SDK reads): the first is read first.
 */
export function portFilePaths(
  homeDir: string,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv = {},
): string[] {
  const documents = portFilePath(homeDir, platform);
  const localAppData = env.LOCALAPPDATA?.trim();
  if (platform !== 'win32' || !localAppData) return [documents];
  const config = ['com.pieces.os', 'production', 'Config', '.port.txt'];
  const vendor = ['Mesh Intelligent Technologies, Inc', 'Pieces OS'];
  return [path.join(localAppData, ...vendor, ...config), documents];
}

interface Resolution {
  url: string;
  source: BaseUrlSource;
  tried: string[];
  skipped: string[];
}

export function createBaseUrlResolver(opts: BaseUrlResolverOptions = {}): BaseUrlResolver {
  let cached: Resolution | undefined;
  let last: Resolution | undefined;
  let inflight: Promise<string> | undefined;
  // Bumped by invalidate(), so a resolution that was running when the caller invalidated does
  // not cache a URL the caller just declared stale.
  let generation = 0;

  return {
    resolve() {
      if (cached) return Promise.resolve(cached.url);
      if (!inflight) {
        const mine = generation;
        inflight = findBaseUrl(opts).then((r) => {
          if (mine === generation) {
            cached = r;
            last = r;
            inflight = undefined;
          }
          return r.url;
        });
      }
      return inflight;
    },
    invalidate() {
      generation++;
      cached = undefined;
      inflight = undefined;
    },
    tried: () => [...(last?.tried ?? [])],
    source: () => cached?.source,
    skipped: () => [...(last?.skipped ?? [])],
  };
}

async function findBaseUrl(opts: BaseUrlResolverOptions): Promise<Resolution> {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const homeDir = opts.homeDir ?? os.homedir();
  const host = opts.probeHost ?? '127.0.0.1';
  const timeoutMs = opts.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const tried: string[] = [];
  const skipped: string[] = [];
  const done = (url: string, source: BaseUrlSource): Resolution => ({
    url,
    source,
    tried,
    skipped,
  });

  // An explicit URL is used even if nothing answers there: the person asked for it, and the
  // client's "not reachable at <url>" says exactly what is wrong.
  const setting = explicitUrl(readSetting(opts.setting, skipped), 'The Pieces OS URL setting');
  if (setting.reason) skipped.push(setting.reason);
  if (setting.url) {
    tried.push(setting.url);
    return done(setting.url, 'setting');
  }
  const fromEnv = explicitUrl(env[ENV_VAR], `The ${ENV_VAR} environment variable`);
  if (fromEnv.reason) skipped.push(fromEnv.reason);
  if (fromEnv.url) {
    tried.push(fromEnv.url);
    return done(fromEnv.url, 'env');
  }

  // 127.0.0.1 rather than the README's "localhost": localhost may resolve to ::1 first, where a
  // server bound to IPv4 is not found. It also keeps every probe on loopback whatever /etc/hosts
  // says.
  const loopback = (port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  for (const filePath of portFilePaths(homeDir, platform, env)) {
    const port = await readPortFile(filePath, skipped);
    if (port === undefined) continue;
    const url = loopback(port);
    tried.push(url);
    if (await probeHealth(url, timeoutMs)) return done(url, 'port-file');
    skipped.push(`${url} from ${filePath} did not answer the health check.`);
  }

  const probePorts = [...(opts.probePorts ?? DEFAULT_PROBE_PORTS)].sort((a, b) => a - b);
  const legacyPorts = opts.legacyPorts ?? defaultLegacyPorts(platform);
  // Legacy ports join the same parallel probe (after the 11+ ports in priority) so an old Pieces
  // OS on its second legacy port is still found; if nothing answers, the first one is the guess.
  const ports = unique([...probePorts, ...legacyPorts]);
  const candidates = ports.map(loopback);
  tried.push(...candidates);
  const found = await firstHealthy(candidates, timeoutMs);
  if (found !== undefined) {
    return done(candidates[found]!, probePorts.includes(ports[found]!) ? 'probe' : 'legacy');
  }
  const legacy = legacyPorts[0] ?? 1000;
  return done(loopback(legacy), 'legacy');
}

/** Probes every URL at once; returns the index of the earliest that answers, cutting the rest short. */
async function firstHealthy(urls: string[], timeoutMs: number): Promise<number | undefined> {
  const stop = new AbortController();
  // One abort listener per probe on this signal is by design, not a leak.
  setMaxListeners(urls.length + 1, stop.signal);
  const probes = urls.map((url) => probeHealth(url, timeoutMs, stop.signal));
  try {
    for (let index = 0; index < urls.length; index++) {
      if (await probes[index]) return index;
    }
    return undefined;
  } finally {
    stop.abort();
  }
}

function readSetting(
  setting: BaseUrlResolverOptions['setting'],
  skipped: string[],
): string | null | undefined {
  try {
    return setting?.();
  } catch {
    skipped.push('The Pieces OS URL setting could not be read.');
    return undefined;
  }
}

/**
 * An absent or blank value is "not set". A present one must be an http(s) URL on this computer
 * without credentials; otherwise it is skipped with a reason that does not repeat the value (it
 * may hold a password, and the reason is shown in the UI). Another host is refused because saved
 * tokens are sent to this address.
 */
function explicitUrl(
  raw: string | null | undefined,
  what: string,
): { url?: string; reason?: string } {
  const value = raw?.trim();
  if (!value) return {};
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return { reason: `${what} is not a URL; ignored.` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { reason: `${what} is not an http(s) URL; ignored.` };
  }
  if (parsed.username || parsed.password) {
    return { reason: `${what} contains a user name or password; ignored.` };
  }
  if (!isOnThisComputer(parsed)) {
    return {
      reason: `${what} points to another computer; ignored. Pieces OS must be on this computer (localhost or 127.0.0.1).`,
    };
  }
  // Keep a path prefix (a reverse proxy may need one), drop the trailing slash, query and hash.
  return { url: parsed.origin + parsed.pathname.replace(/\/+$/, '') };
}

async function readPortFile(filePath: string, skipped: string[]): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') skipped.push(`${filePath} could not be read (${code ?? 'error'}).`);
    return undefined;
  }
  const trimmed = text.trim();
  const port = /^\d{1,5}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (port >= 1 && port <= 65535) return port;
  skipped.push(`${filePath} does not hold a port number.`);
  return undefined;
}

const unique = (ports: number[]) => [...new Set(ports)];
