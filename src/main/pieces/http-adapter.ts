// A lean axios adapter over node:http with keep-alive. axios stays the client (config, headers,
// interceptors); this replaces only its Node adapter, which does far more than a loopback call
// needs (proxies, redirects, decompression streams, progress events) and costs for it on every
// request. What it does instead:
// - the deadline is for the whole exchange (a body trickling in still times out), one timer, and
//   no AbortController unless the caller passed a signal;
// - the body is capped while it arrives, collected as bytes (decoded only if someone reads it);
// - given the body it had last time (`sameAs`), it compares each chunk with it as it arrives: an
//   identical answer is never copied, and the caller gets that same Buffer back, so it can tell
//   "unchanged" by identity (a list of 10,000 users is 15 MB, refreshed every few seconds);
// - no proxy, no redirects: a 3xx is returned as it is;
// - a request that carries a secret (`peer`) is written only once its connection's other end has
//   been checked, and that check is made once per connection, not once per request;
// - a GET sent on a reused keep-alive socket that the server had just closed is sent once more on
//   a new connection, so a stale socket never surfaces as "unreachable".
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';

declare module 'axios' {
  interface AxiosRequestConfig {
    /**
     * The body this request answered last time: when the new body has the same bytes, the
     * response's `bytes` is this very Buffer (compared as it arrives, never copied).
     */
    sameAs?: Buffer | undefined;
    /**
     * Checks whom the connection leads to before anything is written on it: the reason not to
     * send, or undefined. Made once per connection (see `PeerCheck`).
     */
    peer?: PeerCheck | undefined;
  }
}

/**
 * Whether this request may be written on a connection, given its two ports: the reason it may not,
 * or undefined. A connected socket talks to the same peer until it closes, so a verdict holds for
 * every later request on a kept-alive socket; it is remembered per socket and per check (a check
 * made once, by whoever sends secrets, keeps its verdicts).
 */
export type PeerCheck = (conn: {
  serverPort: number;
  clientPort: number;
}) => Promise<string | undefined>;

const verdicts = new WeakMap<PeerCheck, WeakMap<Socket, Promise<string | undefined>>>();

function verdictFor(check: PeerCheck, socket: Socket): Promise<string | undefined> {
  let known = verdicts.get(check);
  if (!known) verdicts.set(check, (known = new WeakMap()));
  let verdict = known.get(socket);
  if (!verdict) {
    verdict = check({ serverPort: socket.remotePort ?? 0, clientPort: socket.localPort ?? 0 });
    known.set(socket, verdict);
  }
  return verdict;
}

/** Why the adapter gave up, for the transport to put into words. */
export class AdapterFailure extends Error {
  constructor(
    readonly reason: 'timeout' | 'cancelled' | 'too-large' | 'network' | 'refused',
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'AdapterFailure';
  }
}

export interface LeanAdapterOptions {
  /** Largest body accepted, in bytes. */
  maxBodyBytes: number;
  /**
   * Idle keep-alive sockets are closed after this long, below the usual server keep-alive
   * timeouts (Node's is 5 s), so the client, not the server, ends an idle connection. A
   * `Keep-Alive: timeout=n` hint from the server shortens it further (Node's agent does that).
   */
  idleSocketMs?: number;
}

export interface LeanAdapter {
  adapter: AxiosAdapter;
  /** The keep-alive agents (read by tests that watch their sockets). */
  readonly agents: { http: http.Agent; https: https.Agent };
  /** Closes idle sockets (on quit, or in tests). */
  destroy(): void;
}

/** The body as received: bytes, decoded to text on first use. */
export interface ReceivedBody {
  readonly bytes: Buffer;
  readonly text: string;
}

export function receivedBody(bytes: Buffer): ReceivedBody {
  let text: string | undefined;
  return {
    bytes,
    get text() {
      return (text ??= bytes.toString('utf8'));
    },
  };
}

export function createLeanAdapter(opts: LeanAdapterOptions): LeanAdapter {
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    timeout: opts.idleSocketMs ?? 4_000,
    // Loopback calls are few and mostly sequential; a small pool is plenty.
    maxSockets: 16,
    maxFreeSockets: 4,
    scheduling: 'lifo',
  };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  /** When the last exchange ended; see `fresh` below. */
  let lastDone = 0;

  const adapter: AxiosAdapter = (config) =>
    new Promise<AxiosResponse>((resolve, reject) => {
      const url = target(config.baseURL, config.url ?? '');
      const secure = url.protocol === 'https:';
      if (!secure && url.protocol !== 'http:') {
        reject(new AdapterFailure('network', `Unsupported protocol ${url.protocol}`, 'EPROTO'));
        return;
      }
      const method = (config.method ?? 'get').toUpperCase();
      const body = typeof config.data === 'string' ? config.data : undefined;
      // AxiosHeaders keeps each header as an own property: read them as they are (what toJSON
      // would give, without building an object to build this one from).
      const headers: http.OutgoingHttpHeaders = {};
      const given = config.headers as unknown as Record<string, unknown>;
      for (const k of Object.keys(given)) {
        const v = given[k];
        if (v !== undefined && v !== null && v !== false) {
          headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
        }
      }
      if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
      const signal = config.signal as AbortSignal | undefined;
      const deadlineMs = config.timeout ?? 0;

      let settled = false;
      let current: http.ClientRequest | undefined;
      let timer: NodeJS.Timeout | undefined;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        lastDone = performance.now();
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const fail = (err: AdapterFailure) => {
        finish(() => reject(err));
        current?.destroy();
      };
      function onAbort() {
        fail(new AdapterFailure('cancelled', 'The request was cancelled.'));
      }
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      if (deadlineMs > 0) {
        timer = setTimeout(
          () => fail(new AdapterFailure('timeout', `No answer within ${deadlineMs} ms.`)),
          deadlineMs,
        );
      }

      // A POST is never sent twice, so it must not go out on an idle socket the server may have
      // closed meanwhile (its close can go unnoticed while this thread was busy, say decoding a
      // large list): after an idle second it gets a connection of its own.
      const fresh = method !== 'GET' && performance.now() - lastDone > STALE_AFTER_MS;
      const send = (retried: boolean) => {
        const req = (secure ? https : http).request({
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          path: url.path,
          method,
          headers,
          agent: fresh ? false : secure ? agents.https : agents.http,
        });
        current = req;
        req.on('error', (err: NodeJS.ErrnoException) => {
          if (settled) return;
          // The server closed this idle socket as we reused it: nothing was processed, so an
          // idempotent request goes once more, on a new connection.
          if (
            !retried &&
            req.reusedSocket &&
            method === 'GET' &&
            (err.code === 'ECONNRESET' || err.code === 'EPIPE')
          ) {
            send(true);
            return;
          }
          fail(new AdapterFailure('network', err.message, err.code));
        });
        req.on('response', (res) => {
          const declared = Number(res.headers['content-length']);
          if (declared > opts.maxBodyBytes) {
            fail(tooLarge(opts.maxBodyBytes));
            return;
          }
          const encoding = res.headers['content-encoding'];
          const stream =
            encoding === 'gzip' || encoding === 'deflate' || encoding === 'br'
              ? res.pipe(encoding === 'br' ? zlib.createBrotliDecompress() : zlib.createUnzip())
              : res;
          const known = Number.isInteger(declared) && declared >= 0;
          // With a declared length (and no compression), one buffer of that size: no second copy.
          const allocate = () =>
            stream === res && known ? Buffer.allocUnsafe(declared) : undefined;
          // While every byte so far equals `sameAs`, nothing is kept: those bytes are in `sameAs`.
          const sameAs = config.sameAs;
          let same =
            sameAs && (!known || stream !== res || declared === sameAs.length) ? sameAs : undefined;
          let exact = same ? undefined : allocate();
          const chunks: Buffer[] = [];
          let received = 0;
          /** Not the same body after all: its first bytes (those of `same`) go where the rest goes. */
          const notSame = (from: Buffer) => {
            same = undefined;
            exact = allocate();
            if (received === 0) return;
            if (exact) from.copy(exact, 0, 0, received);
            else chunks.push(from.subarray(0, received));
          };
          stream.on('data', (chunk: Buffer) => {
            if (settled) return;
            if (received + chunk.length > opts.maxBodyBytes) {
              fail(tooLarge(opts.maxBodyBytes));
              return;
            }
            if (same) {
              const end = received + chunk.length;
              // memcmp of the chunk against the same range of last time's body, no copy.
              if (end <= same.length && same.compare(chunk, 0, chunk.length, received, end) === 0) {
                received = end;
                return;
              }
              notSame(same);
            }
            if (exact && received + chunk.length <= exact.length) chunk.copy(exact, received);
            else chunks.push(chunk);
            received += chunk.length;
          });
          stream.on('error', (err: NodeJS.ErrnoException) =>
            fail(new AdapterFailure('network', err.message, err.code)),
          );
          // A response cut short never reaches 'end'.
          res.on('close', () => {
            if (!res.complete) {
              fail(new AdapterFailure('network', 'The server aborted the response.', 'ECONNRESET'));
            }
          });
          stream.on('end', () => {
            // Shorter than last time (no declared length): a different body after all.
            if (same && received !== same.length) notSame(same);
            const bytes = same
              ? same
              : exact && chunks.length === 0
                ? exact.subarray(0, received)
                : Buffer.concat(exact ? [exact.subarray(0, received), ...chunks] : chunks);
            finish(() =>
              resolve({
                data: receivedBody(bytes),
                status: res.statusCode ?? 0,
                statusText: res.statusMessage ?? '',
                headers: res.headers as AxiosResponse['headers'],
                config: config as InternalAxiosRequestConfig,
                request: req,
              }),
            );
          });
        });
        const check = config.peer;
        if (!check) {
          req.end(body);
          return;
        }
        // Nothing (not even the headers) is written before the check: node:http sends them with
        // the first write or end.
        req.on('socket', (socket: Socket) => {
          const checkThenSend = () => {
            verdictFor(check, socket).then(
              (refusal) => {
                if (settled || current !== req) return;
                if (refusal !== undefined) fail(new AdapterFailure('refused', refusal));
                else req.end(body);
              },
              (err: unknown) =>
                fail(
                  new AdapterFailure(
                    'refused',
                    `Could not tell who answers on this connection: ${err instanceof Error ? err.message : String(err)}`,
                  ),
                ),
            );
          };
          if (socket.connecting) socket.once('connect', checkThenSend);
          else checkThenSend();
        });
      };
      send(false);
    });

  return {
    adapter,
    agents,
    destroy() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

interface Target {
  protocol: string;
  /** Without IPv6 brackets, as node:http wants it. */
  hostname: string;
  port: string;
  path: string;
}

/** Parsed base URLs: a client talks to one Pieces OS, so this stays tiny. */
const bases = new Map<string, Omit<Target, 'path'> & { basePath: string }>();

/** Where to send: `baseURL` + `url` when both are given (parsed once per base), else `url`. */
function target(baseURL: string | undefined, url: string): Target {
  if (baseURL === undefined || /^[a-z][a-z\d+.-]*:/i.test(url)) {
    const u = new URL(url, baseURL);
    const hostname = u.hostname.replace(/^\[|\]$/g, '');
    return { protocol: u.protocol, hostname, port: u.port, path: u.pathname + u.search };
  }
  let base = bases.get(baseURL);
  if (!base) {
    const u = new URL(baseURL);
    const hostname = u.hostname.replace(/^\[|\]$/g, '');
    base = {
      protocol: u.protocol,
      hostname,
      port: u.port,
      basePath: u.pathname.replace(/\/$/, ''),
    };
    if (bases.size >= 16) bases.clear();
    bases.set(baseURL, base);
  }
  const { basePath, ...rest } = base;
  return { ...rest, path: basePath + (url.startsWith('/') ? url : `/${url}`) };
}

/** Idle time after which a kept-alive socket is not trusted with a request that is not retried. */
const STALE_AFTER_MS = 1_000;

const tooLarge = (max: number) =>
  new AdapterFailure('too-large', `The body is larger than ${max} bytes.`);
