// The two WebSocket streams Pieces OS offers, on the HTTP server's port:
//   /user/stream              the current UserProfile as JSON, or an empty message for nobody;
//                             sent on connect and whenever it changes
//   /.well-known/stream/health `ok` on connect (and every healthIntervalMs when set)
// A stream that is switched off answers the upgrade with 404, as an older Pieces OS does.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { badRequest, isRecord } from './errors';
import type { StreamFault, StreamFaults, StreamName } from './types';

const PATHS: Record<string, StreamName> = {
  '/user/stream': 'user',
  '/.well-known/stream/health': 'health',
};

export const streamForPath = (pathname: string): StreamName | undefined =>
  Object.hasOwn(PATHS, pathname) ? PATHS[pathname] : undefined;

export interface StreamSource {
  /** The user stream message for the current state: profile JSON or ''. */
  userMessage(): string;
  isOn(stream: StreamName): boolean;
  faults(): StreamFaults;
}

export class Streams {
  private readonly servers: Record<StreamName, WebSocketServer> = {
    user: new WebSocketServer({ noServer: true }),
    health: new WebSocketServer({ noServer: true }),
  };
  /** Sockets that said nothing on connect because of a `silent` fault stay silent. */
  private readonly silenced = new WeakSet<WebSocket>();
  private lastUserMessage: string;
  private healthTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: StreamSource,
    private readonly healthIntervalMs: number,
  ) {
    this.lastUserMessage = source.userMessage();
  }

  /** Handles an HTTP upgrade on the emulator's server. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { pathname } = new URL(req.url ?? '/', 'http://emulator');
    const stream = streamForPath(pathname);
    if (stream === undefined || !this.source.isOn(stream) || req.method !== 'GET') {
      refuse(socket, `Not found: ${req.method ?? 'GET'} ${pathname}`);
      return;
    }
    this.servers[stream].handleUpgrade(req, socket, head, (ws) => this.opened(stream, ws));
  }

  private opened(stream: StreamName, ws: WebSocket): void {
    ws.on('error', () => ws.terminate());
    const fault: StreamFault = this.source.faults()[stream] ?? {};
    const first = stream === 'user' ? this.source.userMessage() : 'ok';
    if (fault.silent) this.silenced.add(ws);
    if (fault.dropAfterOpen) {
      if (fault.silent) ws.terminate();
      else ws.send(first, () => ws.terminate());
      return;
    }
    if (!fault.silent) ws.send(first);
  }

  /** Sends the user stream message if the current user (or their profile) changed. */
  notify(): void {
    const message = this.source.userMessage();
    if (message === this.lastUserMessage) return;
    this.lastUserMessage = message;
    this.broadcast('user', message, 1);
  }

  /** Sends `message` `times` times to every open socket of `stream`; returns the socket count. */
  broadcast(stream: StreamName, message: string, times: number): number {
    let sockets = 0;
    for (const ws of this.servers[stream].clients) {
      if (this.silenced.has(ws) || ws.readyState !== ws.OPEN) continue;
      for (let i = 0; i < times; i++) ws.send(message);
      sockets++;
    }
    return sockets;
  }

  count(stream: StreamName): number {
    return this.servers[stream].clients.size;
  }

  /** Closes sockets at once (no close handshake), as when the Pieces OS process goes away. */
  drop(stream?: StreamName): void {
    for (const name of stream === undefined ? (['user', 'health'] as const) : [stream]) {
      for (const ws of this.servers[name].clients) ws.terminate();
    }
  }

  /** Called on start(): resume periodic health messages and forget what the user stream said. */
  started(): void {
    this.lastUserMessage = this.source.userMessage();
    if (this.healthIntervalMs > 0 && this.healthTimer === undefined) {
      this.healthTimer = setInterval(
        () => this.broadcast('health', 'ok', 1),
        this.healthIntervalMs,
      );
      this.healthTimer.unref();
    }
  }

  /** Called on stop(): every socket closes now, so clients see Pieces OS go away at once. */
  stopped(): void {
    clearInterval(this.healthTimer);
    this.healthTimer = undefined;
    this.drop();
  }
}

function refuse(socket: Duplex, message: string): void {
  const body = Buffer.from(message);
  socket.end(
    `HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${message}`,
  );
}

const FAULT_KEYS = new Set(['silent', 'dropAfterOpen']);

/** Returns a validated copy; throws a 400 HttpError naming the bad key. */
export function parseStreamFaults(input: unknown): StreamFaults {
  if (!isRecord(input)) throw badRequest('Stream faults must be an object { user?, health? }.');
  const faults: StreamFaults = {};
  for (const [stream, fault] of Object.entries(input)) {
    if (stream !== 'user' && stream !== 'health') {
      throw badRequest(`Unknown stream "${stream}"; use user or health.`);
    }
    if (fault === undefined) continue;
    if (!isRecord(fault)) throw badRequest(`Stream fault "${stream}" must be an object.`);
    const copy: StreamFault = {};
    for (const [key, value] of Object.entries(fault)) {
      if (!FAULT_KEYS.has(key)) throw badRequest(`Unknown stream fault "${stream}.${key}".`);
      if (value === undefined) continue;
      if (typeof value !== 'boolean') throw badRequest(`"${stream}.${key}" must be a boolean.`);
      copy[key as keyof StreamFault] = value;
    }
    faults[stream] = copy;
  }
  return faults;
}
