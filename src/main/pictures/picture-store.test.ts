import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PNG,
  serve,
  startPictureServer,
  type PictureServer,
} from '../../../test/support/picture-server';
import { createPictureFetcher } from './fetch-picture';
import { cacheFileName, openPictureCache } from './picture-cache';
import { createPictureStore } from './picture-store';

const DATA_URL = `data:image/png;base64,${PNG.toString('base64')}`;
const HOUR = 3_600_000;

let server: PictureServer;
let dir: string;
let clock: number;
let warnings: string[];

beforeEach(async () => {
  server = await startPictureServer({
    '/a.png': serve('image/png', PNG),
    '/b.png': serve('image/png', PNG),
    '/c.png': serve('image/png', PNG),
  });
  dir = mkdtempSync(join(tmpdir(), 'pictures-'));
  clock = Date.now();
  warnings = [];
});

afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function store(maxCacheBytes?: number) {
  return createPictureStore({
    cache: openPictureCache({ dir, ...(maxCacheBytes ? { maxBytes: maxCacheBytes } : {}) }),
    fetch: createPictureFetcher({ ca: server.ca, lookup: server.lookup }),
    now: () => clock,
    log: { warn: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields)}`) },
  });
}

describe('the picture store', () => {
  it('fetches once, keeps the picture in a file named by the URL hash, and serves it from there', async () => {
    const url = `${server.origin()}/a.png`;
    const pictures = store();
    expect(await pictures(url)).toBe(DATA_URL);
    expect(readdirSync(dir)).toEqual([cacheFileName(url)]);
    expect(readFileSync(join(dir, cacheFileName(url))).equals(PNG)).toBe(true);
    // A new store (the next start of the app) reads the file without asking the server.
    expect(await store()(url)).toBe(DATA_URL);
    expect(server.count('/a.png')).toBe(1);
  });

  it('shares one fetch between rows asking at the same time', async () => {
    const url = `${server.origin()}/a.png`;
    const pictures = store();
    const answers = await Promise.all([pictures(url), pictures(url), pictures(url)]);
    expect(answers).toEqual([DATA_URL, DATA_URL, DATA_URL]);
    expect(server.count('/a.png')).toBe(1);
  });

  it('asks the server again after a day, and while offline shows the cached picture however old', async () => {
    const url = `${server.origin()}/a.png`;
    await store()(url);
    clock += 25 * HOUR;
    expect(await store()(url)).toBe(DATA_URL);
    expect(server.count('/a.png')).toBe(2);
    await server.close();
    clock += 25 * HOUR;
    expect(await store()(url)).toBe(DATA_URL);
    expect(warnings.join('\n')).toMatch(/A profile picture was not fetched/);
  });

  it('without a cached copy answers null, and does not ask a failing server on every call', async () => {
    const url = `${server.origin()}/missing.png`;
    const pictures = store();
    expect(await pictures(url)).toBeNull();
    expect(await pictures(url)).toBeNull();
    expect(server.count('/missing.png')).toBe(1);
    clock += HOUR; // past the retry pause
    expect(await pictures(url)).toBeNull();
    expect(server.count('/missing.png')).toBe(2);
    // Said once in the log, in words, without the picture's bytes or a stack.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/answered 404/);
  });

  it('refuses a URL it would never fetch, without a request or a cache file', async () => {
    expect(await store()(`http://127.0.0.1:${new URL(server.origin()).port}/a.png`)).toBeNull();
    expect(server.requests).toHaveLength(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the cache under its size, dropping the oldest first', async () => {
    const pictures = store(PNG.length * 2);
    const urls = ['/a.png', '/b.png', '/c.png'].map((p) => `${server.origin()}${p}`);
    for (const [i, url] of urls.entries()) {
      await pictures(url);
      // Distinct write times, oldest first, whatever the file system's time resolution.
      const when = new Date(Date.UTC(2026, 0, 1, 0, i));
      utimesSync(join(dir, cacheFileName(url)), when, when);
    }
    expect(readdirSync(dir).sort()).toEqual(urls.slice(1).map(cacheFileName).sort());
  });

  it('drops a damaged cache file and fetches the picture again', async () => {
    const url = `${server.origin()}/a.png`;
    writeFileSync(join(dir, cacheFileName(url)), '<html>not a picture</html>');
    expect(await store()(url)).toBe(DATA_URL);
    expect(readFileSync(join(dir, cacheFileName(url))).equals(PNG)).toBe(true);
  });

  it('deletes temp files a killed write left behind, and writes without leaving any', async () => {
    const url = `${server.origin()}/a.png`;
    const leftover = `${cacheFileName(url)}.0a1b2c.tmp`;
    writeFileSync(join(dir, leftover), 'half a picture');
    await store()(url);
    expect(readdirSync(dir)).toEqual([cacheFileName(url)]);
  });
});
