// Transport helpers: the Reply value handlers return, and writing it (optionally trickled).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './errors';

/** Which profiles a JSON body holds, so faults can find them. */
export type BodyShape = 'users' | 'profile' | 'returned';

export interface Reply {
  status: number;
  type: string;
  body: string | Buffer;
  shape?: BodyShape;
  /** For 405: the methods the path accepts. */
  allow?: string;
}

export const text = (status: number, body: string, allow?: string): Reply => ({
  status,
  type: 'text/plain; charset=utf-8',
  body,
  allow,
});

export const json = (body: string | Buffer, shape?: BodyShape): Reply => ({
  status: 200,
  type: 'application/json',
  body,
  shape,
});

const MAX_BODY_BYTES = 1 << 20;
/** Small enough that a few-KB body takes dozens of chunks. */
const TRICKLE_BYTES = 64;

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, 'The request body is over 1 MiB.'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The client left, or stop() closed the connection, while a fault delayed us. */
const gone = (res: ServerResponse): boolean => res.destroyed || res.req.socket.destroyed;

export function send(res: ServerResponse, reply: Reply, trickleMs?: number): void {
  if (gone(res)) return;
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  res.writeHead(reply.status, {
    'Content-Type': reply.type,
    'Content-Length': body.length,
    ...(reply.allow === undefined ? {} : { Allow: reply.allow }),
  });
  if (trickleMs === undefined) {
    res.end(body);
    return;
  }
  let offset = 0;
  const tick = (): void => {
    if (gone(res)) return;
    const chunk = body.subarray(offset, (offset += TRICKLE_BYTES));
    if (offset >= body.length) res.end(chunk);
    else {
      res.write(chunk);
      setTimeout(tick, trickleMs).unref();
    }
  };
  tick();
}

/** Unref'd: a long latency fault must not keep a test run or the CLI alive after close(). */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());
