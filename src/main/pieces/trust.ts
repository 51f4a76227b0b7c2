// Saved sign-ins go only to a Pieces OS the person trusts. Whatever answers on a local port is not
// enough: a compromised window could point the address setting at its own listener, and any local
// process (another OS user's too) can take a scanned port before Pieces OS does.
//
// Trusted: the port Pieces OS itself wrote to the port file in the person's home folder, the
// person's own PIECES_OS_URL, an address the app was started with (the web preview's emulator),
// or an address the person confirmed in a main-process dialog that named it. An address from the
// Settings form or from the port scan is not trusted until confirmed. On Linux, a listener owned
// by another OS user is refused whatever its source.
//
// Enforced below the account service, on every client call that carries a token, so no code path
// above (switch, sign-in, renewal, a future one) can forget it. The address is checked on every
// call; who holds the other end, once per connection, before the request is written on it (a
// kept-alive connection keeps talking to the process that was checked).
import { PiecesError } from './errors';
import {
  checkConnectionOwner,
  checkListenerOwner,
  type Connection,
  type ListenerCheck,
} from './listener-owner';
import type { PeerCheck } from './http-adapter';
import type { BaseUrlSource, PiecesClient } from './types';

/**
 * The kind of the error a refused send throws: the window shows main's words (which name the
 * address and say why) with a "Trust this address…" button that asks main for the dialog.
 */
export const UNTRUSTED_KIND = 'untrusted' as const;

/** Sources whose address Pieces OS or the person named, not the window or a port scan. */
const TRUSTED_SOURCES: ReadonlySet<BaseUrlSource> = new Set(['env', 'port-file']);

/** The form addresses are compared in: origin plus path, no trailing slash. */
export function addressKey(url: string): string | undefined {
  // Asked for the same few addresses on every sign-in: parsed once each.
  if (keys.has(url)) return keys.get(url);
  let key: string | undefined;
  try {
    const u = new URL(url);
    key = `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    key = undefined;
  }
  if (keys.size >= 64) keys.clear();
  keys.set(url, key);
  return key;
}

const keys = new Map<string, string | undefined>();

export interface TrustOptions {
  /** Where the resolved address came from (the resolver's `source()`). */
  source(): BaseUrlSource | undefined;
  /** Addresses the person confirmed (kept in settings). */
  confirmed(): readonly string[];
  /** Addresses given to the app by whoever started it (the web preview's emulator). */
  given?: readonly string[];
  /** Who owns the listener on a port; default reads /proc on Linux. */
  listenerOwner?: (port: number) => Promise<ListenerCheck>;
  /** Who owns the server's end of a connection; default reads /proc on Linux. */
  connectionOwner?: (conn: Connection) => Promise<ListenerCheck>;
}

export type TrustVerdict = { trusted: true } | { trusted: false; reason: string };

/**
 * Why nothing may be sent to `url` whatever the person says: on Linux, a listener that belongs
 * to another OS user. Undefined when no such reason is known.
 */
export async function ownerProblem(url: string, opts: TrustOptions): Promise<string | undefined> {
  const owner = await (opts.listenerOwner ?? checkListenerOwner)(portOf(url));
  return owner.kind === 'other-user' ? otherUser(url, owner.uid) : undefined;
}

const otherUser = (url: string, uid: number) =>
  `The server at ${addressKey(url) ?? url} belongs to another user of this computer (user id ${uid}), so sign-ins are not sent to it. Make sure Pieces OS is running for you, or quit the program holding that port.`;

/** Whether a token may go to `url`, which is the address currently resolved when `current`. */
export async function trustVerdict(
  url: string,
  current: boolean,
  opts: TrustOptions,
): Promise<TrustVerdict> {
  const verdict = addressVerdict(url, current, opts);
  if (!verdict.trusted) return verdict;
  // Trusted by where it came from; on Linux, also who holds the port right now.
  const problem = await ownerProblem(url, opts);
  return problem ? { trusted: false, reason: problem } : { trusted: true };
}

/** Whether `url` is trusted by where it came from (who holds its port is not asked here). */
function addressVerdict(url: string, current: boolean, opts: TrustOptions): TrustVerdict {
  const key = addressKey(url);
  if (!key)
    return { trusted: false, reason: 'Sign-ins are not sent to an address that is not a URL.' };
  const source = current ? opts.source() : undefined;
  const known = [...(opts.given ?? []), ...opts.confirmed()].map(addressKey);
  if ((source && TRUSTED_SOURCES.has(source)) || known.includes(key)) return { trusted: true };
  const how =
    source === 'setting'
      ? 'it was set in Settings'
      : source === 'probe' || source === 'legacy'
        ? 'the app found it by scanning local ports, and Pieces OS did not announce it'
        : 'it is not the address Pieces OS announced';
  return {
    trusted: false,
    reason: `Sign-ins are not sent to ${key} yet: ${how}. Choose "Trust this address…" to confirm that ${key} is your Pieces OS, or let the app find the Pieces OS that announces itself.`,
  };
}

function portOf(url: string): number {
  const u = new URL(url);
  return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
}

/**
 * The client with every call that carries a token checked first: it goes to the address it was
 * checked for, or is refused with PiecesError(UNTRUSTED_KIND) and sends nothing.
 */
export function trustingClient(client: PiecesClient, opts: TrustOptions): PiecesClient {
  const owner = opts.connectionOwner ?? checkConnectionOwner;
  /** One check per address, so the transport keeps its verdict per connection (PeerCheck). */
  const peers = new Map<string, PeerCheck>();
  const peerCheck = (url: string): PeerCheck => {
    let check = peers.get(url);
    if (!check) {
      check = async (conn) => {
        const found = await owner(conn);
        return found.kind === 'other-user' ? otherUser(url, found.uid) : undefined;
      };
      if (peers.size >= 8) peers.clear();
      peers.set(url, check);
    }
    return check;
  };
  return {
    ...client,
    async signInWithToken(token, ro) {
      const current = await client.baseUrl();
      const url = ro?.baseUrl ?? current;
      const verdict = addressVerdict(url, url === current, opts);
      if (!verdict.trusted) throw new PiecesError(UNTRUSTED_KIND, verdict.reason);
      // Pinned: a resolution that changes meanwhile cannot redirect this token. And written only
      // on a connection whose other end is not another user's (asked once per connection).
      return client.signInWithToken(token, { ...ro, baseUrl: url, peer: peerCheck(url) });
    },
  };
}
