// The quick health probe against real loopback servers that answer in the ways a port can.
import http from 'node:http';
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isOk, probeHealth } from './health-probe';
import { useLoopbackServers } from '../../../test/support/loopback-servers';

const servers = useLoopbackServers();
/** A loopback server answering with `handle`; resolves with its base URL. */
const serve = async (handle: http.RequestListener): Promise<string> =>
  (await servers.serve(handle)).url;

/** Generous: a probe below resolves on what it reads, never by running out of time. */
const LONG = 60_000;

describe('probeHealth', () => {
  it('is true for 200 "ok..." and asks for plain text at /.well-known/health', async () => {
    let seen: http.IncomingHttpHeaders | undefined;
    let path: string | undefined;
    const url = await serve((req, res) => {
      seen = req.headers;
      path = req.url;
      res.end('ok 12.3.4');
    });
    expect(await probeHealth(url, LONG)).toBe(true);
    expect(path).toBe('/.well-known/health');
    expect(seen?.accept).toBe('text/plain');
  });

  it('is false for an answer that does not start with ok', async () => {
    const url = await serve((_req, res) => res.end('not ok'));
    expect(await probeHealth(url, LONG)).toBe(false);
  });

  it('decides after 64 characters of a body that does not end, without waiting for the rest', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('ok'.padEnd(64, '.'));
      // Never ended: only the probe closing its socket finishes this answer.
    });
    expect(await probeHealth(url, LONG)).toBe(true);
  });

  it('reads the whole of a short body, however it is split, before deciding', async () => {
    const url = await serve((_req, res) => {
      // Chunked: the probe receives the blanks and the "ok" as separate pieces.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('  ');
      res.end('ok');
    });
    expect(await probeHealth(url, LONG)).toBe(true);
  });

  it('is false, at once, when the body breaks off', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
      res.write('o', () => res.socket?.destroy());
    });
    expect(await probeHealth(url, LONG)).toBe(false);
  });

  it('is false without asking when the signal has already stopped it', async () => {
    let asked = 0;
    const url = await serve((_req, res) => {
      asked++;
      res.end('ok');
    });
    expect(await probeHealth(url, LONG, AbortSignal.abort())).toBe(false);
    expect(await probeHealth(url, LONG)).toBe(true);
    expect(asked).toBe(1);
  });

  it('leaves no listener on a signal shared by many probes', async () => {
    const url = await serve((_req, res) => res.end('ok'));
    const shared = new AbortController().signal;
    expect(await probeHealth(url, LONG, shared)).toBe(true);
    expect(await probeHealth(url, LONG, shared)).toBe(true);
    expect(getEventListeners(shared, 'abort')).toHaveLength(0);
  });
});

describe('isOk', () => {
  it('reads "ok" at the start, after blanks, in any case; not later in the text', () => {
    expect(isOk('ok')).toBe(true);
    expect(isOk('  OK 1.2')).toBe(true);
    expect(isOk('not ok')).toBe(false);
    expect(isOk('status: ok')).toBe(false);
  });
});
