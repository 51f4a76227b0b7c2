// Where the running app listens for the command line, derived from its data folder so that the
// command line and the app (and two profiles side by side) agree without asking anyone.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ChannelPaths {
  /** A Unix socket (macOS, Linux) or a named pipe (Windows). */
  socket: string;
  /** The random key a request must carry; readable by the person only (0600). */
  keyFile: string;
}

/** A Unix socket path longer than this does not fit `sockaddr_un` on every system (104 on macOS). */
const MAX_SOCKET_PATH = 100;

export function channelPaths(
  userData: string,
  platform: NodeJS.Platform = process.platform,
): ChannelPaths {
  const keyFile = join(userData, 'command-line.key');
  const tag = createHash('sha256').update(userData).digest('hex').slice(0, 16);
  if (platform === 'win32')
    return { socket: `\\\\.\\pipe\\pieces-account-switcher-${tag}`, keyFile };
  const inFolder = join(userData, 'command-line.sock');
  // A long profile path gets a socket in the temp folder instead; the key still guards it.
  const socket =
    Buffer.byteLength(inFolder) <= MAX_SOCKET_PATH
      ? inFolder
      : join(tmpdir(), `pieces-account-switcher-${tag}.sock`);
  return { socket, keyFile };
}
