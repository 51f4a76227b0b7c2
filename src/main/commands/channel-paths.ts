// Where the running app listens for the command line, derived from its data folder so that the
// command line and the app (and two profiles side by side) agree without asking anyone.
//
// The socket is not kept in the data folder: that folder holds files only (backups and checks
// read every one of them). It goes in a folder private to the person: Linux's XDG_RUNTIME_DIR
// (made 0700 for them at login), else a folder of ours in the temp folder, 0700 and checked to be
// theirs before use. Windows uses a named pipe. The key file, in the data folder, guards all three.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ChannelPaths {
  /** A Unix socket (macOS, Linux) or a named pipe (Windows). */
  socket: string;
  /** The folder holding the socket, when it must be checked to be private (see privateFolder). */
  folder?: string;
  /** The random key a request must carry; readable by the person only (0600). */
  keyFile: string;
}

export function channelPaths(
  userData: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): ChannelPaths {
  const keyFile = join(userData, 'command-line.key');
  const tag = createHash('sha256').update(userData).digest('hex').slice(0, 16);
  const name = `pieces-account-switcher-${tag}`;
  if (platform === 'win32') return { socket: `\\\\.\\pipe\\${name}`, keyFile };
  const runtime = platform === 'linux' ? env.XDG_RUNTIME_DIR?.trim() : undefined;
  if (runtime) return { socket: join(runtime, `${name}.sock`), keyFile };
  const folder = join(tmpdir(), `pieces-account-switcher-${process.getuid?.() ?? 'user'}`);
  return { socket: join(folder, `${name}.sock`), folder, keyFile };
}

/**
 * Makes sure `folder` exists, is a real folder (not a link), belongs to this user and is closed
 * to everyone else. Anyone can create a name in the temp folder first; then this refuses.
 */
export function privateFolder(folder: string, create: boolean): void {
  if (create) {
    try {
      mkdirSync(folder, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const stat = lstatSync(folder);
  const uid = process.getuid?.();
  if (
    !stat.isDirectory() ||
    stat.isSymbolicLink() ||
    (uid !== undefined && stat.uid !== uid) ||
    (stat.mode & 0o077) !== 0
  ) {
    throw new Error(
      `${folder} is not a folder private to this user, so the command line does not use it.`,
    );
  }
}
