// The command line's end of the channel (see command-server.ts): hands the arguments to the
// running app and returns its answer, or null when no app answers.
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { z } from 'zod';
import { channelPaths, privateFolder } from './channel-paths';
import { PROTOCOL_VERSION } from './command-server';
import { EXIT, output, type CommandOutput } from './exit-codes';

const replySchema = z.object({
  v: z.literal(PROTOCOL_VERSION),
  exitCode: z.union(Object.values(EXIT).map((code) => z.literal(code))),
  stdout: z.string(),
  stderr: z.string(),
});

/** Longer than any switch takes; after it the caller is told instead of waiting forever. */
const DEFAULT_REPLY_TIMEOUT_MS = 60_000;
/** An answer this big is not one (the list of 100,000 accounts is about 15 MB). */
const MAX_REPLY_BYTES = 256 * 1024 * 1024;

const NOT_RUNNING = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EACCES', 'EPERM']);

function readKey(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null; // no key: the app is not running (or never ran with this profile)
  }
}

export function askRunningApp(
  userData: string,
  args: readonly string[],
  opts: { timeoutMs?: number; platform?: NodeJS.Platform } = {},
): Promise<CommandOutput | null> {
  const { socket, folder, keyFile } = channelPaths(userData, opts.platform);
  const key = readKey(keyFile);
  if (key === null) return Promise.resolve(null);
  try {
    // The key goes only to a socket in a folder nobody else controls.
    if (folder) privateFolder(folder, false);
  } catch {
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    const conn = createConnection(socket);
    let connected = false;
    let received = '';
    const timer = setTimeout(() => {
      conn.destroy();
      resolve(output(EXIT.failed, '', 'The running app did not answer in time.\n'));
    }, opts.timeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS);
    const finish = (result: CommandOutput | null): void => {
      clearTimeout(timer);
      conn.destroy();
      resolve(result);
    };
    conn.setEncoding('utf8');
    conn.once('connect', () => {
      connected = true;
      conn.write(`${JSON.stringify({ v: PROTOCOL_VERSION, key, args })}\n`);
    });
    conn.on('data', (chunk: string) => {
      received += chunk;
      if (received.length > MAX_REPLY_BYTES)
        finish(output(EXIT.failed, '', 'The running app’s answer is too long.\n'));
    });
    conn.once('end', () => {
      const parsed = replySchema.safeParse(safeJson(received.trim()));
      finish(
        parsed.success
          ? output(parsed.data.exitCode, parsed.data.stdout, parsed.data.stderr)
          : output(
              EXIT.failed,
              '',
              'The running app answered with something that is not a reply.\n',
            ),
      );
    });
    conn.once('error', (err: NodeJS.ErrnoException) => {
      // Before connecting, an error means nobody listens there (a key file left behind).
      if (!connected && NOT_RUNNING.has(err.code ?? '')) finish(null);
      else
        finish(
          output(EXIT.failed, '', `The connection to the running app failed: ${err.message}\n`),
        );
    });
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
