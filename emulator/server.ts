// The emulator's HTTP server and library entry point: routing, fault pipeline and lifecycle.
// The state lives in UserStore / TokenRegistry / FaultBook; this file only wires them to HTTP.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { control, type Controllable } from './control';
import { HttpError } from './errors';
import { FaultBook, corrupt, replacement } from './faults';
import { HANDLERS, type Context } from './handlers';
import { readBody, send, sleep, text, type Reply } from './http';
import { OidcVerifier } from './oidc';
import { matchRoute } from './routes';
import { UserStore } from './store';
import { TokenRegistry } from './tokens';
import type { Emulator, EmulatorOptions, EndpointName, FaultConfig, MintTokenInput } from './types';

export * from './types';

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = new PiecesOsEmulator(opts);
  await emulator.start();
  return emulator;
}

/** What the fault pipeline decided: a reply to send (maybe trickled), or reset the connection. */
type Outcome = { reply: Reply; trickleMs?: number } | 'drop';

class PiecesOsEmulator implements Emulator, Controllable {
  private readonly host: string;
  private boundPort: number;
  private server: Server | null = null;
  private closed = false;
  private readonly ctx: Context;
  private readonly faultBook: FaultBook;
  private readonly counts = new Map<EndpointName, number>();

  constructor(opts: EmulatorOptions) {
    const { port = 0, host = '127.0.0.1', users = 3, seed = 1, version = '12.0.0' } = opts;
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new RangeError(`Bad port ${port}`);
    if (!Number.isInteger(users) || users < 0) throw new RangeError(`Bad user count ${users}`);
    if (!Number.isInteger(seed)) throw new RangeError(`Bad seed ${seed}`);
    this.host = host;
    this.boundPort = port;
    this.ctx = { store: new UserStore(users, seed), tokens: new TokenRegistry(), version };
    if (opts.oidc) this.ctx.oidc = new OidcVerifier(opts.oidc);
    this.faultBook = new FaultBook(seed);
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.boundPort}`;
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
    this.ctx.store.reset();
    this.clearFaults();
    this.counts.clear();
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
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
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
    try {
      outcome = await this.route(req);
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

  private async route(req: IncomingMessage): Promise<Outcome> {
    const method = req.method ?? 'GET';
    const { pathname } = new URL(req.url ?? '/', 'http://emulator');
    const match = matchRoute(method, pathname);
    if (match === undefined) return { reply: text(404, `Not found: ${method} ${pathname}`) };
    if ('allow' in match) {
      return {
        reply: text(405, `${method} is not allowed here; use ${match.allow}.`, match.allow),
      };
    }
    if ('control' in match) return { reply: control(match.control, this, await readBody(req)) };

    const name = match.endpoint;
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    const body = name === 'signIn' ? await readBody(req) : '';
    const fault = this.faultBook.take(name);
    if (fault === undefined) return { reply: await this.run(name, match.param, body) };
    if (fault.latencyMs) await sleep(fault.latencyMs);
    // Gone while we waited (client aborted, or stop()): do not change state for nobody.
    if (req.socket.destroyed) return 'drop';
    const replaced = replacement(fault);
    if (replaced !== undefined) return replaced === 'drop' ? 'drop' : { reply: replaced };
    const reply = corrupt(fault, await this.run(name, match.param, body));
    return { reply, trickleMs: fault.trickleMs };
  }

  /** Runs an endpoint, turning its HttpError into a reply so body faults still see it. */
  private async run(name: EndpointName, param: string, body: string): Promise<Reply> {
    try {
      return await HANDLERS[name](this.ctx, param, body);
    } catch (error) {
      if (error instanceof HttpError) return text(error.status, error.message);
      throw error;
    }
  }
}
