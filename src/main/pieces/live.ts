// Follows Pieces OS live through its two WebSocket streams, as Pieces' own clients do (Raycast's
// ConnectorSingleton/UserStream, the Python SDK's HealthWS/AuthWS), instead of polling:
//
// - `ws://…/.well-known/stream/health` says "ok" while Pieces OS runs; its close means Pieces OS
//   went away. Then: 'lost' at once, forget the base URL, and look for Pieces OS again (port file,
//   then the usual discovery, i.e. the resolver) with a short capped backoff (0.25 s doubling to
//   5 s), so a Pieces OS restarted on another port is found within seconds.
// - `ws://…/user/stream` sends the current user on connect and on every change ('user').
// - A Pieces OS without the streams (the upgrade answers 404, or fails while HTTP works) is
//   followed by polling instead: 'polling', and the caller polls that Pieces OS over HTTP.
// - The port file(s) are watched; a change looks for Pieces OS again at once.
//
// Decisions (issue 13, "Bad input and faults"):
// - A health stream that opens but says no "ok" within `healthOkTimeoutMs` (default 5 s) is not
//   trusted as a liveness signal: if HTTP answers, the mode is 'polling' (HTTP health checks still
//   tell whether Pieces OS is there); if not, 'lost'. Streams that open but close before both are
//   up are retried with the backoff 3 times in a row, then count the same way. Polling mode tries the streams again after `pollingRetryMs` (5 min), on
//   a port file change, or on retryNow().
// - A health message that does not start with "ok" after the first one is ignored (one log
//   line): only the close of the stream means Pieces OS went away.
// - User stream messages are coalesced: only the latest one of an event-loop turn is decoded and
//   reported, and one identical to the last reported is dropped, so a burst of 1,000 costs a few
//   decodes. A message that is not a profile is ignored, logged once per kind of problem.
// - The backoff only starts over after a session that stayed up `stableMs` (10 s): a socket that
//   opens then drops every second is retried at a growing, capped interval, and logged once.
// - A user stream that closes while the health stream stays up is reopened alone (with its own
//   backoff) without a 'lost': Pieces OS is still there.
import WebSocket from 'ws';
import type { UserProfile } from '../../shared/domain';
import { nextBackoff } from '../accounts/backoff';
import { isOk, probeHealth } from './health-probe';
import { realTimers, watchPortFiles, type PortFileWatch, type Timers } from './port-file-watch';
import { readUserStreamMessage } from './user-stream-message';

export type { Timers } from './port-file-watch';

export const HEALTH_STREAM_PATH = '/.well-known/stream/health';
export const USER_STREAM_PATH = '/user/stream';

/** What the live module tells its one listener. `url` is always the HTTP base URL. */
export type LiveEvent =
  /** Both streams are open and the health stream said ok: Pieces OS at `url` is followed live. */
  | { type: 'connected'; url: string; mode: 'live' }
  /**
   * The current user at `url` (null: nobody signed in). Sent after 'connected' and on every
   * change; coalesced, so only the latest of a burst arrives. The profile may be one the caller
   * has never seen (another Pieces client signed someone in): it decides what to do.
   */
  | { type: 'user'; url: string; profile: UserProfile | null }
  /**
   * Pieces OS is not reachable (its health stream closed, or nothing answers at `url`); the
   * module is looking for it again. Sent once per outage, not once per retry.
   */
  | { type: 'lost'; url: string; reason: string }
  /**
   * Pieces OS at `url` answers HTTP but its streams are missing or unusable (`reason` says how):
   * the caller polls it over HTTP. The module stays quiet until the port file changes,
   * `retryNow()` is called, or `pollingRetryMs` passes; then it tries the streams again (and may
   * send 'polling' again, or 'connected').
   */
  | { type: 'polling'; url: string; reason: string };

export type LiveMode = 'idle' | 'searching' | 'live' | 'polling' | 'stopped';

export interface LiveStatus {
  mode: LiveMode;
  /** The base URL being followed (live or polling) or tried last. */
  url?: string;
}

/** The subset of the app's Log the module writes to. */
export interface LiveLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface LiveUpdatesOptions {
  /** The base URL (http://host:port), e.g. the resolver's `resolve`. Should not reject. */
  resolve: () => Promise<string>;
  /** Forget the base URL so the next resolve() looks again (the resolver's `invalidate`). */
  invalidate: () => void;
  /** The one listener; start(listener) may give it instead. */
  onEvent?: (event: LiveEvent) => void;
  /** Port files to watch (the paths base-url.ts reads); none: no watching. */
  portFiles?: readonly string[];
  log?: LiveLog;
  /** Reconnect backoff. Default 250 ms doubling to 5 s. */
  backoff?: { initialMs: number; maxMs: number };
  /** A session that lasted this long starts the backoff over. Default 10 s. */
  stableMs?: number;
  /** How long an open health stream may stay silent before it is not trusted. Default 5 s. */
  healthOkTimeoutMs?: number;
  /** WebSocket opening handshake limit. Default 3 s. */
  handshakeTimeoutMs?: number;
  /** In polling mode, try the streams again after this long. Default 5 min. */
  pollingRetryMs?: number;
  /** Port file change debounce. Default 100 ms. */
  debounceMs?: number;
  /** Largest stream message accepted; a larger one closes that stream. Default 1 MiB. */
  maxMessageBytes?: number;
  /** Whether HTTP answers at `url` (tells 'polling' from 'lost'). Default: GET /.well-known/health. */
  probe?: (url: string, signal: AbortSignal) => Promise<boolean>;
  timers?: Timers;
  now?: () => number;
}

export interface LiveUpdates {
  /**
   * Starts following Pieces OS, reporting to `listener` (else `onEvent`). Calling it again does
   * nothing. Fits the account service's `LiveLink`.
   */
  start(listener?: (event: LiveEvent) => void): void;
  /**
   * Looks for Pieces OS again now (forgetting the base URL) unless the streams are up: for a
   * caller that noticed Pieces OS is unreachable, or that wants another try at the streams.
   */
  retryNow(): void;
  status(): LiveStatus;
  /** Closes both sockets, the watchers and every timer; resolves when the sockets are closed. */
  stop(): Promise<void>;
}

const MAX_WARNING_KINDS = 50;

/** Streams that open then close before they are up this many times in a row mean 'polling'. */
export const EARLY_CLOSES_BEFORE_POLLING = 3;

export const DEFAULT_LIVE_BACKOFF = Object.freeze({ initialMs: 250, maxMs: 5000 });

type Stream = 'health' | 'user';

interface Session {
  url: string;
  health: WebSocket;
  user: WebSocket;
  open: Record<Stream, boolean>;
  healthOk: boolean;
  connected: boolean;
  connectedAt: number;
  ended: boolean;
  /** Why the first socket failed, for the 'lost'/'polling' reason. */
  failure?: string;
  okTimer?: unknown;
  /** Latest user stream message not yet reported. */
  pendingUser?: string;
  flush?: NodeJS.Immediate;
  /** The last user message reported, to drop repeats. */
  lastUser?: string;
  /** When the user socket last opened, its reopen backoff, and the pending reopen. */
  userOpenedAt: number;
  userDelay: number;
  userTimer?: unknown;
  /** The session's sockets not closed yet, reopened user sockets too. */
  sockets: Set<WebSocket>;
}

type Ending =
  | { kind: 'health-closed' }
  /** `retry`: a stream opened, then closed before both were up: worth a few more tries. */
  | { kind: 'failed'; reason: string; retry: boolean }
  | { kind: 'superseded' }
  | { kind: 'stopped' };

export function createLiveUpdates(opts: LiveUpdatesOptions): LiveUpdates {
  const timers = opts.timers ?? realTimers;
  const now = opts.now ?? Date.now;
  const backoff = opts.backoff ?? DEFAULT_LIVE_BACKOFF;
  const stableMs = opts.stableMs ?? 10_000;
  const healthOkTimeoutMs = opts.healthOkTimeoutMs ?? 5000;
  const handshakeTimeoutMs = opts.handshakeTimeoutMs ?? 3000;
  const pollingRetryMs = opts.pollingRetryMs ?? 5 * 60_000;
  const maxPayload = opts.maxMessageBytes ?? 1024 * 1024;
  const probe = opts.probe ?? ((url, signal) => probeHealth(url, 800, signal));
  const log = opts.log;

  let mode: LiveMode = 'idle';
  let url: string | undefined;
  let session: Session | undefined;
  /** Bumped by every new search and by stop(): an older async step that sees a change gives up. */
  let generation = 0;
  let retryTimer: unknown;
  let previousDelay = 0;
  /** The last connectivity event sent, so 'lost' is sent once per outage. */
  let lastSent: 'connected' | 'lost' | 'polling' | undefined;
  /** Sessions that closed before they were stable, since the last stable one. */
  let flaps = 0;
  /** Sessions whose streams opened but closed before they were up, in a row. */
  let earlyCloses = 0;
  const warned = new Set<string>();
  let probeAbort: AbortController | undefined;
  let watcher: PortFileWatch | undefined;
  /** Sockets of ended sessions that have not closed yet; stop() waits for them. */
  const closing = new Set<Promise<void>>();

  let listener = opts.onEvent;
  const emit = (event: LiveEvent) => {
    try {
      listener?.(event);
    } catch (err) {
      warnOnce('listener', `The live update listener failed: ${(err as Error)?.message ?? err}`);
    }
  };

  /** One log line per key until the key is forgotten: a fault repeating cannot flood the log. */
  function warnOnce(key: string, message: string) {
    // Bounded too: a stream inventing a new problem per message must not grow this forever.
    if (warned.has(key) || warned.size >= MAX_WARNING_KINDS) return;
    warned.add(key);
    log?.warn(message);
  }

  function clearRetry() {
    if (retryTimer !== undefined) timers.clearTimeout(retryTimer);
    retryTimer = undefined;
  }

  function schedule(ms: number, reason: 'backoff' | 'polling') {
    clearRetry();
    retryTimer = timers.setTimeout(() => {
      retryTimer = undefined;
      void search(reason === 'polling');
    }, ms);
  }

  function scheduleBackoff() {
    previousDelay = nextBackoff(previousDelay, backoff);
    schedule(previousDelay, 'backoff');
  }

  /** Resolve the base URL and open both streams there. */
  async function search(fresh: boolean) {
    if (mode === 'stopped') return;
    clearRetry();
    if (session) end(session, { kind: 'superseded' });
    const mine = ++generation;
    mode = 'searching';
    if (fresh) opts.invalidate();
    watcher?.rearm();
    let found: string;
    try {
      found = await opts.resolve();
    } catch (err) {
      if (mine !== generation) return;
      lose(url ?? 'Pieces OS', `Pieces OS could not be looked for: ${(err as Error)?.message}`);
      return;
    }
    if (mine !== generation) return;
    url = found;
    try {
      session = openSession(found);
    } catch (err) {
      // A base URL ws cannot use (the resolver only hands out http(s) URLs, so this is a bug).
      lose(found, `Pieces OS streams cannot be opened at ${found}: ${(err as Error)?.message}`);
    }
  }

  function openSession(base: string): Session {
    const s: Session = {
      url: base,
      // Set just below: openStream needs the session its handlers report to.
      health: undefined as unknown as WebSocket,
      user: undefined as unknown as WebSocket,
      open: { health: false, user: false },
      healthOk: false,
      connected: false,
      connectedAt: 0,
      ended: false,
      userOpenedAt: 0,
      userDelay: 0,
      sockets: new Set(),
    };
    s.health = openStream(s, 'health');
    s.user = openStream(s, 'user');
    return s;
  }

  function openStream(s: Session, name: Stream): WebSocket {
    const path = name === 'health' ? HEALTH_STREAM_PATH : USER_STREAM_PATH;
    const ws = new WebSocket(s.url.replace(/^http/i, 'ws') + path, {
      handshakeTimeout: handshakeTimeoutMs,
      maxPayload,
      perMessageDeflate: false,
      followRedirects: false,
    });
    s.sockets.add(ws);
    ws.on('error', (err) => {
      s.failure ??= describeFailure(name, err);
    });
    ws.on('close', (code) => {
      s.sockets.delete(ws);
      closed(s, name, ws, code);
    });
    ws.on('open', () => {
      if (s.ended) return;
      s.open[name] = true;
      if (name === 'user') s.userOpenedAt = now();
      if (name === 'health' && !s.healthOk) {
        s.okTimer = timers.setTimeout(() => {
          s.okTimer = undefined;
          const secs = +(healthOkTimeoutMs / 1000).toFixed(1);
          end(s, {
            kind: 'failed',
            reason: `its health stream said nothing within ${secs} s`,
            retry: false,
          });
        }, healthOkTimeoutMs);
      }
      ready(s);
    });
    if (name === 'health') {
      ws.on('message', (data) => {
        if (s.ended) return;
        if (isOk(textOf(data, 64))) {
          if (!s.healthOk) {
            s.healthOk = true;
            if (s.okTimer !== undefined) timers.clearTimeout(s.okTimer);
            s.okTimer = undefined;
            ready(s);
          }
        } else {
          warnOnce(
            'health-not-ok',
            'The Pieces OS health stream sent a message other than "ok"; ignored.',
          );
        }
      });
    } else {
      ws.on('message', (data) => {
        if (s.ended) return;
        // Keep only the latest; decoding waits for the end of this event-loop turn.
        s.pendingUser = textOf(data);
        s.flush ??= setImmediate(() => {
          s.flush = undefined;
          flushUser(s);
        });
      });
    }
    return ws;
  }

  function ready(s: Session) {
    if (s.ended || s.connected || !s.healthOk || !s.open.user) return;
    s.connected = true;
    s.connectedAt = now();
    earlyCloses = 0;
    mode = 'live';
    lastSent = 'connected';
    if (flaps === 0) log?.info(`Following Pieces OS at ${s.url} live (WebSocket streams).`);
    emit({ type: 'connected', url: s.url, mode: 'live' });
    flushUser(s);
  }

  function flushUser(s: Session) {
    if (s.ended || !s.connected) return;
    const text = s.pendingUser;
    s.pendingUser = undefined;
    if (text === undefined || text === s.lastUser) return;
    s.lastUser = text;
    const message = readUserStreamMessage(text);
    if (message.kind === 'not-a-profile') {
      warnOnce(
        `user:${message.problem}`,
        `Pieces OS sent a user stream message that is not a user profile (${message.problem}); such messages are ignored.`,
      );
      return;
    }
    emit({
      type: 'user',
      url: s.url,
      profile: message.kind === 'user' ? message.profile : null,
    });
  }

  function closed(s: Session, stream: Stream, ws: WebSocket, code: number) {
    // A user socket replaced by a reopened one says nothing any more.
    if (s.ended || ws !== s[stream]) return;
    if (!s.connected) {
      const reason = s.failure ?? `its ${stream} stream closed (code ${code}) before it was up`;
      end(s, { kind: 'failed', reason, retry: s.open.health || s.open.user });
    } else if (stream === 'health') {
      end(s, { kind: 'health-closed' });
    } else {
      userDropped(s);
    }
  }

  /**
   * The user stream closed while the health stream stays open: Pieces OS is still there, so only
   * the user stream is reopened, with its own backoff. Its first message is the current user.
   */
  function userDropped(s: Session) {
    s.open.user = false;
    if (now() - s.userOpenedAt >= stableMs) {
      s.userDelay = 0;
    } else if (s.userDelay === 0) {
      warnOnce(
        'user-flap',
        `The Pieces OS user stream at ${s.url} closed soon after opening; reopening it with a backoff.`,
      );
    }
    s.userDelay = nextBackoff(s.userDelay, backoff);
    s.userTimer = timers.setTimeout(() => {
      s.userTimer = undefined;
      if (!s.ended) s.user = openStream(s, 'user');
    }, s.userDelay);
  }

  function end(s: Session, how: Ending) {
    if (s.ended) return;
    s.ended = true;
    if (session === s) session = undefined;
    if (s.okTimer !== undefined) timers.clearTimeout(s.okTimer);
    if (s.userTimer !== undefined) timers.clearTimeout(s.userTimer);
    if (s.flush) clearImmediate(s.flush);
    for (const ws of s.sockets) {
      const done = closedOf(ws);
      closing.add(done);
      void done.then(() => closing.delete(done));
      ws.terminate();
    }

    if (how.kind === 'stopped' || how.kind === 'superseded') return;
    if (how.kind === 'failed') {
      void classify(s.url, how.reason, how.retry);
      return;
    }
    const lasted = now() - s.connectedAt;
    if (lasted >= stableMs) {
      flaps = 0;
      previousDelay = 0;
    } else if (flaps++ === 0) {
      log?.info(
        `The Pieces OS streams at ${s.url} closed soon after opening; retrying with a backoff up to ${backoff.maxMs / 1000} s.`,
      );
    }
    lose(s.url, 'Pieces OS closed its health stream.');
  }

  /** A session failed before it was up: is Pieces OS there without streams, or not there at all? */
  async function classify(base: string, reason: string, retry: boolean) {
    const mine = ++generation;
    mode = 'searching';
    probeAbort = new AbortController();
    const answers = await probe(base, probeAbort.signal).catch(() => false);
    probeAbort = undefined;
    // stop() and any newer search bump the generation.
    if (mine !== generation) return;
    if (answers && retry && earlyCloses < EARLY_CLOSES_BEFORE_POLLING) {
      // The streams exist but closed at once: maybe Pieces OS is starting or stopping. Retry a
      // few times with the backoff before settling for polling.
      earlyCloses++;
      scheduleBackoff();
    } else if (answers) {
      earlyCloses = 0;
      mode = 'polling';
      if (lastSent !== 'polling') {
        log?.info(`Pieces OS at ${base} has no usable WebSocket streams (${reason}); polling it.`);
      }
      lastSent = 'polling';
      previousDelay = 0;
      emit({ type: 'polling', url: base, reason: `Pieces OS at ${base}: ${reason}.` });
      schedule(pollingRetryMs, 'polling');
    } else {
      lose(base, `Pieces OS is not reachable at ${base}.`);
    }
  }

  function lose(base: string, reason: string) {
    mode = 'searching';
    opts.invalidate();
    if (lastSent !== 'lost') {
      lastSent = 'lost';
      if (flaps <= 1) log?.info(`${reason} Looking for it again.`);
      emit({ type: 'lost', url: base, reason });
    }
    scheduleBackoff();
  }

  async function portFileChanged() {
    if (mode === 'stopped' || mode === 'idle') return;
    const s = session;
    if (!s?.connected) {
      previousDelay = 0;
      void search(true);
      return;
    }
    // Live already: only move if the port file now points elsewhere.
    opts.invalidate();
    const found = await opts.resolve().catch(() => undefined);
    if (found === undefined || session !== s || s.ended || found === s.url) return;
    log?.info(`Pieces OS moved to ${found}.`);
    lastSent = 'lost';
    emit({ type: 'lost', url: s.url, reason: `Pieces OS moved to ${found}.` });
    previousDelay = 0;
    void search(false);
  }

  return {
    start(onEvent) {
      if (mode !== 'idle') return;
      if (onEvent) listener = onEvent;
      mode = 'searching';
      if (opts.portFiles?.length) {
        watcher = watchPortFiles(opts.portFiles, () => void portFileChanged(), {
          timers,
          ...(opts.debounceMs === undefined ? {} : { debounceMs: opts.debounceMs }),
        });
      }
      void search(false);
    },
    retryNow() {
      if (mode === 'idle' || mode === 'stopped' || session?.connected) return;
      previousDelay = 0;
      void search(true);
    },
    status: () => (url === undefined ? { mode } : { mode, url }),
    async stop() {
      mode = 'stopped';
      generation++;
      clearRetry();
      probeAbort?.abort();
      watcher?.close();
      watcher = undefined;
      if (session) end(session, { kind: 'stopped' });
      await Promise.all([...closing]);
    },
  };
}

function closedOf(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => ws.once('close', () => resolve()));
}

function textOf(data: WebSocket.RawData, limit?: number): string {
  const buffer = Array.isArray(data)
    ? Buffer.concat(data)
    : Buffer.isBuffer(data)
      ? data
      : Buffer.from(data);
  return buffer.toString('utf8', 0, limit ?? buffer.length);
}

/** Why a stream failed, in words; the 404 of an older Pieces OS is named as such. */
function describeFailure(stream: Stream, err: Error): string {
  const status = /Unexpected server response: (\d{3})/.exec(err.message)?.[1];
  if (status === '404') return `it has no ${stream} stream (the WebSocket upgrade answered 404)`;
  if (status) return `its ${stream} stream refused the WebSocket upgrade (${status})`;
  const code = (err as NodeJS.ErrnoException).code;
  return `its ${stream} stream failed (${code ?? err.message})`;
}
