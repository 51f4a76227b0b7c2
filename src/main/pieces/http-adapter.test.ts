// The lean adapter against a real loopback server: an answer compared with last time's body as it
// arrives (identical: that very Buffer back; different anywhere: exactly the new bytes), and the
// headers the transport's lean axios defaults leave on a request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport, type Transport } from './transport';

interface Plan {
  body: Buffer;
  /** Sizes of the pieces written one after another (the rest in one piece). */
  pieces: number[];
  /** Content-Length declared, or chunked transfer encoding. */
  declared: boolean;
  gzip?: boolean;
}

let plan: Plan = { body: Buffer.alloc(0), pieces: [], declared: true };
const seenHeaders: http.IncomingHttpHeaders[] = [];
let server: http.Server;
let url: string;
let transport: Transport;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seenHeaders.push(req.headers);
    req.resume();
    req.on('end', () => {
      const body = plan.gzip ? gzipSync(plan.body) : plan.body;
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
      if (plan.declared) headers['content-length'] = body.length;
      if (plan.gzip) headers['content-encoding'] = 'gzip';
      res.writeHead(200, headers);
      let at = 0;
      for (const size of plan.pieces) {
        if (at >= body.length) break;
        res.write(body.subarray(at, at + size));
        at += size;
      }
      res.end(body.subarray(at));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  transport = createTransport(5_000);
});

afterAll(async () => {
  transport.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const get = (sameAs?: Buffer) =>
  transport.send({ baseUrl: url, method: 'GET', path: '/users', sameAs });

/** Last time's body, and this time's: the same, or changed in one of the ways a list changes. */
const bodies = fc
  .tuple(
    fc.uint8Array({ minLength: 0, maxLength: 40_000 }),
    fc.constantFrom('same', 'byte', 'shorter', 'longer', 'other'),
    fc.nat(),
    fc.uint8Array({ minLength: 1, maxLength: 300 }),
  )
  .map(([raw, how, where, extra]) => {
    const before = Buffer.from(raw);
    const at = before.length === 0 ? 0 : where % before.length;
    let after: Buffer;
    if (how === 'same') after = Buffer.from(before);
    else if (how === 'byte' && before.length > 0) {
      after = Buffer.from(before);
      after[at] = (after[at]! + 1) % 256;
    } else if (how === 'shorter') after = before.subarray(0, at);
    else if (how === 'longer') after = Buffer.concat([before, extra]);
    else after = Buffer.from(extra);
    return { before, after };
  });

describe('an answer compared with the last body as it arrives', () => {
  it('gives the last body itself when every byte is the same, else exactly the new bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        bodies,
        fc.array(fc.integer({ min: 1, max: 20_000 }), { maxLength: 6 }),
        fc.boolean(),
        async ({ before, after }, pieces, declared) => {
          plan = { body: after, pieces, declared };
          const res = await get(before);
          expect(res.status).toBe(200);
          expect(res.bytes.equals(after)).toBe(true);
          // Identity exactly when nothing changed: the caller skips decoding on it.
          expect(res.bytes === before).toBe(after.equals(before));
          // Last time's body is read, never written.
          expect(res.text).toBe(after.toString('utf8'));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('compares the decompressed bytes of a compressed answer', async () => {
    const before = Buffer.from(JSON.stringify({ iterable: [{ id: 'a' }, { id: 'b' }] }));
    plan = { body: Buffer.from(before), pieces: [3], declared: true, gzip: true };
    expect((await get(before)).bytes).toBe(before);
    plan = {
      body: Buffer.from(before.toString().replace('b', 'c')),
      pieces: [],
      declared: false,
      gzip: true,
    };
    const changed = await get(before);
    expect(changed.bytes).not.toBe(before);
    expect(changed.text).toBe(before.toString().replace('b', 'c'));
  });

  it('reads a body as it is without a last body to compare with', async () => {
    plan = { body: Buffer.from('{"ok":true}'), pieces: [4], declared: true };
    expect((await get()).text).toBe('{"ok":true}');
  });
});

describe('the lean axios defaults', () => {
  it('send only the headers the request names, not axios defaults', async () => {
    plan = { body: Buffer.from('{}'), pieces: [], declared: true };
    seenHeaders.length = 0;
    await get();
    await transport.send({ baseUrl: url, method: 'POST', path: '/x', body: { a: 'é' } });
    const [getHeaders, postHeaders] = seenHeaders;
    expect(getHeaders?.accept).toBe('application/json, text/plain');
    expect(getHeaders?.['content-type']).toBeUndefined();
    expect(postHeaders?.accept).toBe('application/json, text/plain');
    expect(postHeaders?.['content-type']).toBe('application/json');
    expect(postHeaders?.['content-length']).toBe(String(Buffer.byteLength('{"a":"é"}')));
    // Nothing of axios's own: no user agent, no "*/*", no accept-encoding it did not ask for.
    for (const h of [getHeaders, postHeaders]) {
      expect(Object.keys(h ?? {}).sort()).toEqual(
        expect.arrayContaining(['accept', 'connection', 'host']),
      );
      expect(h?.['user-agent']).toBeUndefined();
      expect(h?.['accept-encoding']).toBeUndefined();
    }
  });

  it('answers every status as it is (no status is an error at this level)', async () => {
    const s = http.createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('broken');
    });
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    try {
      const port = (s.address() as AddressInfo).port;
      const res = await transport.send({
        baseUrl: `http://127.0.0.1:${port}`,
        method: 'GET',
        path: '/',
      });
      expect(res.status).toBe(500);
      expect(res.text).toBe('broken');
    } finally {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  });
});
