// Which OS user owns the socket listening on a loopback port (Linux only). Another user of this
// computer can take a Pieces OS port before Pieces OS does; the app must not send that process a
// saved sign-in. Linux says who owns each socket in /proc/net/tcp and /proc/net/tcp6; macOS and
// Windows offer no such file, so there the check answers "unknown" (see the README's Security).
import { readFile } from 'node:fs/promises';
import os from 'node:os';

const LISTEN = '0A';
const ESTABLISHED = '01';

/**
 * The uids of the sockets in `text` (the contents of /proc/net/tcp or tcp6) that LISTEN on `port`
 * at an address a loopback client reaches: 127.0.0.0/8, ::1, an IPv4-mapped loopback, or a
 * wildcard (0.0.0.0, ::). `littleEndian`: how this machine prints IPv4 addresses there.
 */
export function listenerUids(text: string, port: number, littleEndian = true): number[] {
  const wantPort = hexPort(port);
  return uidsWhere(text, littleEndian, (st, local) => st === LISTEN && local === wantPort);
}

/**
 * The uids of the server's end of a loopback connection: the ESTABLISHED sockets in `text` whose
 * local port is `serverPort` and whose peer's port is `clientPort` (our end). The kernel gives an
 * accepted socket the uid of the listener it came from, so this is who holds the other end of
 * that very connection. Other states are left out: a TIME_WAIT leftover of an earlier connection
 * between the same ports belongs to no one (the kernel prints uid 0).
 */
export function peerUids(
  text: string,
  serverPort: number,
  clientPort: number,
  littleEndian = true,
): number[] {
  const local = hexPort(serverPort);
  const remote = hexPort(clientPort);
  return uidsWhere(
    text,
    littleEndian,
    (st, localPort, remotePort) =>
      st === ESTABLISHED && localPort === local && remotePort === remote,
  );
}

const hexPort = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');

/** The uids of the lines `wanted` picks, at local addresses a loopback client reaches. */
function uidsWhere(
  text: string,
  littleEndian: boolean,
  wanted: (state: string, localPort: string, remotePort: string) => boolean,
): number[] {
  const uids: number[] = [];
  for (const line of text.split('\n')) {
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
    const cols = line.trim().split(/\s+/);
    if (cols.length < 8) continue;
    const [address, localPort] = cols[1]!.split(':');
    const remotePort = cols[2]!.split(':')[1]?.toUpperCase() ?? '';
    if (!localPort || !address) continue;
    if (!wanted(cols[3]!, localPort.toUpperCase(), remotePort)) continue;
    if (!reachableFromLoopback(address.toUpperCase(), littleEndian)) continue;
    const uid = Number(cols[7]);
    if (Number.isInteger(uid) && uid >= 0) uids.push(uid);
  }
  return uids;
}

function reachableFromLoopback(hex: string, littleEndian: boolean): boolean {
  if (hex.length === 8) return isLoopbackOrAnyV4(hex, littleEndian);
  if (hex.length !== 32) return false;
  if (/^0{32}$/.test(hex)) return true; // ::
  // ::1, printed as four 32-bit words in host order.
  if (hex === (littleEndian ? '00000000000000000000000001000000' : `${'0'.repeat(31)}1`)) {
    return true;
  }
  // ::ffff:a.b.c.d (a dual-stack socket bound to an IPv4 address).
  const mappedPrefix = littleEndian ? '0000000000000000FFFF0000' : '00000000000000000000FFFF';
  return hex.startsWith(mappedPrefix) && isLoopbackOrAnyV4(hex.slice(24), littleEndian);
}

function isLoopbackOrAnyV4(hex: string, littleEndian: boolean): boolean {
  if (hex === '00000000') return true;
  const firstOctet = littleEndian ? hex.slice(6, 8) : hex.slice(0, 2);
  return firstOctet === '7F';
}

export type ListenerCheck =
  | { kind: 'same-user' }
  | { kind: 'other-user'; uid: number }
  /** Not Linux, /proc not readable, or no listener found: nothing is known either way. */
  | { kind: 'unknown' };

export interface ListenerCheckOptions {
  platform?: NodeJS.Platform;
  /** Default: this process's uid. */
  uid?: number;
  /** Reads /proc files; tests pass fixtures. */
  read?: (path: string) => Promise<string>;
}

/** Whether the listener on loopback `port` belongs to this OS user. */
export function checkListenerOwner(
  port: number,
  opts: ListenerCheckOptions = {},
): Promise<ListenerCheck> {
  return checkOwner((text, le) => listenerUids(text, port, le), opts);
}

/** The two ends of a connection this process made, as its socket tells them. */
export interface Connection {
  /** The server's port (the socket's remotePort). */
  serverPort: number;
  /** Our end's port (the socket's localPort). */
  clientPort: number;
}

/**
 * Whether the server's end of this loopback connection belongs to this OS user. Asked once per
 * connection: a connected socket cannot change whom it talks to, while the listener on a port can
 * change between a check and the connection a kept-alive socket is still using.
 */
export function checkConnectionOwner(
  conn: Connection,
  opts: ListenerCheckOptions = {},
): Promise<ListenerCheck> {
  return checkOwner((text, le) => peerUids(text, conn.serverPort, conn.clientPort, le), opts);
}

async function checkOwner(
  uidsIn: (text: string, littleEndian: boolean) => number[],
  opts: ListenerCheckOptions,
): Promise<ListenerCheck> {
  const platform = opts.platform ?? process.platform;
  const me = opts.uid ?? process.getuid?.();
  if (platform !== 'linux' || me === undefined) return { kind: 'unknown' };
  const read = opts.read ?? ((path: string) => readFile(path, 'utf8'));
  const littleEndian = os.endianness() === 'LE';
  const uids: number[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      uids.push(...uidsIn(await read(file), littleEndian));
    } catch {
      // No IPv6 (tcp6 missing) or /proc hidden: the other file may still tell.
    }
  }
  const other = uids.find((uid) => uid !== me);
  if (other !== undefined) return { kind: 'other-user', uid: other };
  return uids.length > 0 ? { kind: 'same-user' } : { kind: 'unknown' };
}
