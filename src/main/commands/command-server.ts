// The running app's end of the command line: a local socket (a named pipe on Windows) that takes
// one request per connection and answers with what to print and exit with.
//
// Why not Electron's second-instance event alone: it is one-way (the caller gets no answer) and
// Chromium may rewrite argv on the way. The socket carries the request and the reply, and the
// same channel serves `npm run cli` in development, which runs on plain Node without Electron's
// single-instance lock. Who may ask: only someone who can read the random key the app writes into
// its data folder (0600) at every start; the socket itself is 0600, in a folder private to the
// person (see channel-paths.ts).
//
// Wire format, one JSON line each way:
//   request  {"v":1,"key":"<hex>","args":["--switch","ada@example.com"]}
//   reply    {"v":1,"exitCode":0,"stdout":"…","stderr":"…"}
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { z } from 'zod';
import type { Log } from '../log/logger';
import { channelPaths, privateFolder } from './channel-paths';
import { EXIT, output, type CommandOutput } from './exit-codes';

export const PROTOCOL_VERSION = 1;
/** Far more than any real request; a caller sending more is cut off. */
export const MAX_REQUEST_BYTES = 16 * 1024;

export const requestSchema = z.strictObject({
  v: z.literal(PROTOCOL_VERSION),
  key: z.string().regex(/^[0-9a-f]{64}$/),
  args: z.array(z.string().max(1024)).max(16),
});

export interface CommandServer {
  close(): Promise<void>;
}

export interface CommandServerOptions {
  userData: string;
  /** Runs the command line `args` (unparsed: the app parses them itself). */
  handle(args: string[]): Promise<CommandOutput>;
  log?: Log;
  platform?: NodeJS.Platform;
}

/** Sockets this process listens on, removed when it exits without closing them (app.exit()). */
const openSockets = new Set<string>();
let removingOnExit = false;
function removeOnExit(socket: string): void {
  openSockets.add(socket);
  if (removingOnExit) return;
  removingOnExit = true;
  process.once('exit', () => {
    for (const path of openSockets) rmSync(path, { force: true });
  });
}

const refuse = (message: string): CommandOutput => output(EXIT.failed, '', `${message}\n`);

/** Whether something already answers on `socket` (a live app), as opposed to a stale file. */
function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(socket);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

function listen(server: Server, socket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startCommandServer(opts: CommandServerOptions): Promise<CommandServer> {
  const platform = opts.platform ?? process.platform;
  const { socket, folder, keyFile } = channelPaths(opts.userData, platform);
  if (folder) privateFolder(folder, true);
  const key = randomBytes(32).toString('hex');
  const expected = Buffer.from(key);

  const serve = (conn: Socket): void => {
    let received = '';
    let done = false;
    const reply = (out: CommandOutput): void => {
      done = true;
      conn.end(`${JSON.stringify({ v: PROTOCOL_VERSION, ...out })}\n`);
    };
    conn.setEncoding('utf8');
    conn.on('error', () => conn.destroy());
    conn.on('data', (chunk: string) => {
      if (done) return;
      received += chunk;
      if (received.length > MAX_REQUEST_BYTES) {
        opts.log?.warn('Command line: refused a request that is too long');
        reply(refuse('The request is too long.'));
        return;
      }
      const end = received.indexOf('\n');
      if (end === -1) return;
      let parsed: z.infer<typeof requestSchema>;
      try {
        parsed = requestSchema.parse(JSON.parse(received.slice(0, end)));
      } catch {
        opts.log?.warn('Command line: refused a request that is not one');
        reply(refuse('The request is not one this app understands.'));
        return;
      }
      const given = Buffer.from(parsed.key);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        opts.log?.warn('Command line: refused a request with the wrong key');
        reply(refuse('The request did not carry this app’s key.'));
        return;
      }
      done = true;
      opts
        .handle(parsed.args)
        .catch((err: unknown) =>
          refuse(
            `The app could not run the command: ${err instanceof Error ? err.message : String(err)}`,
          ),
        )
        .then(reply, () => conn.destroy());
    });
  };

  const server = createServer(serve);
  if (platform !== 'win32') {
    try {
      await listen(server, socket);
    } catch (err) {
      // A socket file left by an app that did not quit cleanly: nobody answers it, so replace it.
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || (await answers(socket)))
        throw err;
      rmSync(socket, { force: true });
      await listen(server, socket);
    }
    chmodSync(socket, 0o600);
    removeOnExit(socket);
  } else {
    await listen(server, socket);
  }
  // The app's life does not hang on the command line.
  server.unref();

  // A new key every start: a key read from an earlier run is worth nothing now.
  mkdirSync(opts.userData, { recursive: true });
  rmSync(keyFile, { force: true });
  writeFileSync(keyFile, key, { mode: 0o600, flag: 'wx' });

  return {
    close: () =>
      new Promise<void>((resolve) => {
        rmSync(keyFile, { force: true });
        server.close(() => resolve());
        if (platform !== 'win32') {
          openSockets.delete(socket);
          rmSync(socket, { force: true });
        }
      }),
  };
}
