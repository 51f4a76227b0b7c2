// A loopback stand-in for the two Pieces OS WebSocket streams (and its HTTP health check), for
// testing the live module: each stream can be missing (404), silent, or dropped on demand.
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface StreamServerOptions {
  /** 'ok' (default): sends "ok" on connect; 'silent': never speaks; 'missing': upgrade answers 404. */
  health?: 'ok' | 'silent' | 'missing';
  /** 'present' (default) or 'missing' (404). */
  user?: 'present' | 'missing';
  /** The first user stream message on connect; default none. */
  greeting?: () => string | undefined;
  /** Answer GET /.well-known/health with "ok" (default true). */
  httpHealthy?: boolean;
  /** Close each socket of this stream as soon as it opens, before saying anything. */
  dropOnOpen?: 'health' | 'user';
  /** Bind to this port (a restart on the same port); default an ephemeral one. */
  port?: number;
}

export interface StreamServer {
  url: string;
  port: number;
  /** Open sockets per stream. */
  clients(stream: 'health' | 'user'): WebSocket[];
  /** Resolves when the next socket on `stream` has connected. */
  nextConnection(stream: 'health' | 'user'): Promise<WebSocket>;
  /** How many upgrades each stream has accepted so far. */
  connections: { health: number; user: number };
  /** Sends to every open user stream socket. */
  sendUser(text: string): void;
  /**
   * Sends, then resolves once each client answered a ping sent after it: the client has read the
   * message, and anything sent from now on reaches it in a later event-loop turn.
   */
  sendUserAndSync(text: string): Promise<void>;
  /** Closes every health (or user) socket, as a Pieces OS going away would. */
  drop(stream: 'health' | 'user'): void;
  /** Resolves once every socket the server holds has closed. */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

export async function startStreamServer(opts: StreamServerOptions = {}): Promise<StreamServer> {
  const health = opts.health ?? 'ok';
  const userMode = opts.user ?? 'present';
  const events = new EventEmitter();
  const server = http.createServer((req, res) => {
    if (req.url === '/.well-known/health' && opts.httpHealthy !== false) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    }
  });
  const wss = {
    health: new WebSocketServer({ noServer: true }),
    user: new WebSocketServer({ noServer: true }),
  };
  const connections = { health: 0, user: 0 };

  server.on('upgrade', (req, socket, head) => {
    const stream =
      req.url === '/.well-known/stream/health' && health !== 'missing'
        ? 'health'
        : req.url === '/user/stream' && userMode !== 'missing'
          ? 'user'
          : undefined;
    if (!stream) {
      socket.end(
        'HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\ncontent-length: 9\r\n\r\nNot found',
      );
      return;
    }
    wss[stream].handleUpgrade(req, socket, head, (ws) => {
      connections[stream]++;
      if (opts.dropOnOpen === stream) {
        ws.terminate();
        return;
      }
      if (stream === 'health' && health === 'ok') ws.send('ok');
      if (stream === 'user') {
        const greeting = opts.greeting?.();
        if (greeting !== undefined) ws.send(greeting);
      }
      events.emit(stream, ws);
    });
  });

  server.listen(opts.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const clients = (stream: 'health' | 'user') => [...wss[stream].clients];

  const allClosed = async () => {
    const open = [...clients('health'), ...clients('user')].filter(
      (ws) => ws.readyState !== ws.CLOSED,
    );
    await Promise.all(open.map((ws) => once(ws, 'close')));
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    clients,
    connections,
    nextConnection: async (stream) => (await once(events, stream))[0] as WebSocket,
    sendUser(text) {
      for (const ws of clients('user')) ws.send(text);
    },
    async sendUserAndSync(text) {
      await Promise.all(
        clients('user').map((ws) => {
          ws.send(text);
          const pong = once(ws, 'pong');
          ws.ping();
          return pong;
        }),
      );
    },
    drop(stream) {
      for (const ws of clients(stream)) ws.terminate();
    },
    allClosed,
    async close() {
      for (const ws of [...clients('health'), ...clients('user')]) ws.terminate();
      await allClosed();
      wss.health.close();
      wss.user.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
