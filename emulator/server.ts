// The emulator's HTTP server and library entry point: routing, fault pipeline and lifecycle.
// The state lives in UserStore / TokenRegistry / FaultBook; this file only wires them to HTTP.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { control, type Controllable } from './control';
import { HttpError } from './errors';
import { FaultBook, corrupt, replacement } from './faults';
import { ALL_ON, ENDPOINT_FEATURES, STREAM_FEATURES, parseFeatures } from './features';
import { HANDLERS, signInAs, type Context } from './handlers';
import { readBody, send, sleep, text, type Reply } from './http';
import { applyOddities, hasOddities, parseOddities } from './oddities';
import { OidcVerifier } from './oidc';
import { matchRoute } from './routes';
import { SignInDesk } from './sign-in-desk';
import type { KnownUser } from './sign-in-page';
import { UserStore } from './store';
import { Streams, parseStreamFaults, streamForPath } from './streams';
import { TokenRegistry } from './tokens';
import {
  type Emulator,
  type EmulatorOptions,
  type EndpointName,
  type FaultConfig,
  type FeatureName,
  type Features,
  type MintTokenInput,
  type Oddities,
  type SignInIdentity,
  type StreamFaults,
  type StreamName,
} from './types';

export * from './types';

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new PiecesOsEmulator(opts);
  await emulator.start();
  return emulator;
}

/** What the fault pipeline decided: a reply to send (maybe trickled), or reset the connection. */
type Outcome = { reply: Reply; trickleMs?: number } | 'drop';

/** A browser's form post comes with an Origin; it must be the emulator itself (same host:port). */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Waits until the client leaves (or stop() closes the connection). */
const gone = (signal: AbortSignal): Promise<void> =>
  signal.aborted
    ? Promise.resolve()
    : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

class PiecesOsEmulator implements Emulator, Controllable {
  private readonly host: string;
  private boundPort: number;
  private server: Server | null = null;
  private closed = false;
  private readonly ctx: Context;
  private readonly faultBook: FaultBook;
  private readonly counts = new Map<EndpointName, number>();
  private readonly streams: Streams;
  /** What reset() goes back to: the start options. */
  private readonly initial: { features: Features; oddities: Oddities; streamFaults: StreamFaults };
  private featureSet: Features;
  private odd: Oddities;
  private streamFaultSet: StreamFaults;

  constructor(opts: EmulatorOptions) {
    const { port = 0, host = '127.0.0.1', users = 3, seed = 1, version = '12.0.0' } = opts;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new RangeError(`Bad port ${port}`);
    if (!Number.isInteger(users) || users < 0) throw new RangeError(`Bad user count ${users}`);
    if (!Number.isInteger(seed)) throw new RangeError(`Bad seed ${seed}`);
    const { healthIntervalMs = 0, idStyle = 'uuid' } = opts;
    if (!(Number.isFinite(healthIntervalMs) && healthIntervalMs >= 0)) {
      throw new RangeError(`Bad health interval ${healthIntervalMs}`);
    }
    if (idStyle !== 'uuid' && idStyle !== 'opaque' && idStyle !== 'awkward')
      throw new RangeError(`Bad id style ${idStyle}`);
    this.host = host;
    this.boundPort = port;
    this.ctx = {
      store: new UserStore(users, seed, idStyle),
      tokens: new TokenRegistry(),
      desk: new SignInDesk(),
      version,
    };
    if (opts.oidc) this.ctx.oidc = new OidcVerifier(opts.oidc);
    this.faultBook = new FaultBook(seed);
    this.initial = {
      features: { ...ALL_ON, ...parseFeatures(opts.features ?? {}) },
      oddities: parseOddities(opts.oddities ?? {}),
      streamFaults: parseStreamFaults(opts.streamFaults ?? {}),
    };
    this.featureSet = { ...this.initial.features };
    this.odd = structuredClone(this.initial.oddities);
    this.streamFaultSet = structuredClone(this.initial.streamFaults);
    this.streams = new Streams(
      {
        userMessage: () => this.userStreamMessage(),
        isOn: (stream) => this.featureSet[STREAM_FEATURES[stream]],
        faults: () => this.streamFaultSet,
      },
      healthIntervalMs,
    );
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.boundPort}`;
  }

  get signInPageUrl(): string {
    return `${this.url}/__emulator/sign_in`;
  }

  setFaults(faults: FaultConfig): void {
    this.faultBook.set(faults);
  }

  clearFaults(): void {
    this.faultBook.set({});
  }

  faults(): FaultConfig {
    return this.faultBook.snapshot();
  }

  reset(): void {
    this.ctx.desk.settleAll('cancelled');
    this.ctx.store.reset();
    this.clearFaults();
    this.counts.clear();
    this.setFeatures(this.initial.features);
    this.odd = structuredClone(this.initial.oddities);
    this.streamFaultSet = structuredClone(this.initial.streamFaults);
    this.streams.notify();
  }

  setFeatures(features: Partial<Features>): void {
    const changes = parseFeatures(features);
    this.featureSet = { ...this.featureSet, ...changes };
    // An older Pieces OS has no such socket: the ones open now go away too.
    for (const [stream, feature] of Object.entries(STREAM_FEATURES) as [
      StreamName,
      FeatureName,
    ][]) {
      if (!this.featureSet[feature]) this.streams.drop(stream);
    }
  }

  features(): Features {
    return { ...this.featureSet };
  }

  setOddities(oddities: Oddities): void {
    this.odd = parseOddities(oddities);
    this.streams.notify();
  }

  oddities(): Oddities {
    return structuredClone(this.odd);
  }

  setStreamFaults(faults: StreamFaults): void {
    this.streamFaultSet = parseStreamFaults(faults);
  }

  streamFaults(): StreamFaults {
    return structuredClone(this.streamFaultSet);
  }

  sendToStream(stream: StreamName, message: string, times = 1): number {
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`Bad times ${times}`);
    return this.streams.broadcast(stream, message, times);
  }

  dropStreams(stream?: StreamName): void {
    this.streams.drop(stream);
  }

  streamClients(stream: StreamName): number {
    return this.streams.count(stream);
  }

  pendingSignIns(): number {
    return this.ctx.desk.count();
  }

  whenSignInPending(): Promise<void> {
    return this.ctx.desk.whenPending();
  }

  completeSignIn(identity: SignInIdentity): unknown {
    if (this.ctx.desk.count() === 0) {
      throw new HttpError(409, 'No sign-in is waiting: nothing called POST /os/sign_in.');
    }
    const profile = signInAs(this.ctx, identity, Date.now());
    this.streams.notify();
    this.ctx.desk.settleAll({ profile });
    return JSON.parse(profile) as unknown;
  }

  cancelSignIn(): number {
    return this.ctx.desk.settleAll('cancelled');
  }

  knownUsers(): KnownUser[] {
    return this.ctx.store.knownProfiles().map((json) => {
      const { id, email, name } = JSON.parse(json) as KnownUser;
      return { id, email, name };
    });
  }

  /** The current profile as the user stream sends it (with oddities), or '' for nobody. */
  private userStreamMessage(): string {
    const profile = this.ctx.store.currentProfile();
    if (profile === undefined) return '';
    return hasOddities(this.odd) ? applyOddities(profile, 'profile', this.odd) : profile;
  }

  mintToken(input: MintTokenInput) {
    return this.ctx.tokens.mint(input, Date.now());
  }

  users(): unknown[] {
    return this.ctx.store.profiles().map((json) => JSON.parse(json) as unknown);
  }

  currentUserId(): string | null {
    return this.ctx.store.currentId();
  }

  requestCount(endpoint?: EndpointName): number {
    if (endpoint !== undefined) return this.counts.get(endpoint) ?? 0;
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  async start(): Promise<void> {
    if (this.closed) throw new Error('This emulator was closed; start a new one.');
    if (this.server !== null) return;
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('upgrade', (req, socket, head) => this.streams.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // Port 0 binds an ephemeral port once; restarts reuse it so the URL stays valid.
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
    this.streams.started();
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    this.streams.stopped();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Clients keep connections alive; without this, close() would wait for them to leave.
      server.closeAllConnections();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let outcome: Outcome;
    const left = new AbortController();
    res.once('close', () => left.abort());
    try {
      outcome = await this.route(req, left.signal);
    } catch (error) {
      const reply =
        error instanceof HttpError
          ? text(error.status, error.message)
          : text(500, `Emulator error: ${error instanceof Error ? error.message : String(error)}`);
      outcome = { reply };
    }
    if (outcome === 'drop') req.socket.resetAndDestroy();
    else send(res, outcome.reply, outcome.trickleMs);
  }

  private async route(req: IncomingMessage, signal: AbortSignal): Promise<Outcome> {
    const method = req.method ?? 'GET';
    const { pathname } = new URL(req.url ?? '/', 'http://emulator');
    const notFound = { reply: text(404, `Not found: ${method} ${pathname}`) };
    const stream = streamForPath(pathname);
    if (stream !== undefined) {
      // A plain request on a stream path (upgrades never reach here).
      if (!this.featureSet[STREAM_FEATURES[stream]]) return notFound;
      return { reply: text(426, 'Upgrade Required: this is a WebSocket endpoint.') };
    }
    const match = matchRoute(method, pathname);
    if (match === undefined) return notFound;
    if ('allow' in match) {
      return {
        reply: text(405, `${method} is not allowed here; use ${match.allow}.`, match.allow),
      };
    }
    if ('control' in match) {
      const form = /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');
      // Only the emulator's own page may send its forms: another site open in the same browser
      // must not finish a waiting sign-in as someone of its choosing.
      if (form && !sameOrigin(req)) {
        return { reply: text(403, 'Forbidden: this form may only be sent from the sign-in page.') };
      }
      const reply = control(match.control, this, { body: await readBody(req), form });
      this.streams.notify();
      return { reply };
    }

    const name = match.endpoint;
    const feature = ENDPOINT_FEATURES[name];
    if (feature !== undefined && !this.featureSet[feature]) return notFound;
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    const body = name === 'signIn' ? await readBody(req) : '';
    const fault = this.faultBook.take(name);
    if (fault === undefined) return { reply: await this.run(name, match.param, body, signal) };
    if (fault.latencyMs) await sleep(fault.latencyMs);
    // Gone while we waited (client aborted, or stop()): do not change state for nobody.
    if (req.socket.destroyed) return 'drop';
    if (fault.hang) {
      await gone(signal);
      return 'drop';
    }
    const replaced = replacement(fault);
    if (replaced !== undefined) return replaced === 'drop' ? 'drop' : { reply: replaced };
    const reply = corrupt(fault, await this.run(name, match.param, body, signal));
    return { reply, trickleMs: fault.trickleMs };
  }

  /** Runs an endpoint, turning its HttpError into a reply so body faults still see it; adds the
   *  oddities to what it answers and tells the user stream when the current user changed. */
  private async run(
    name: EndpointName,
    param: string,
    body: string,
    signal: AbortSignal,
  ): Promise<Reply> {
    let reply: Reply;
    try {
      reply = await HANDLERS[name](this.ctx, param, body, signal);
    } catch (error) {
      if (error instanceof HttpError) return text(error.status, error.message);
      throw error;
    } finally {
      this.streams.notify();
    }
    if (reply.shape === undefined || !hasOddities(this.odd)) return reply;
    return { ...reply, body: applyOddities(reply.body.toString(), reply.shape, this.odd) };
  }
}
