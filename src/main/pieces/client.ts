// The Pieces OS Users API client the main process uses. Validates inputs before sending and
// every answer before returning it; throws PiecesError (see ./types.ts for the kinds).
import type { OAuthTokenInput, UserProfile } from '../../shared/domain';
import { checkAccessToken } from './access-token';
import { PiecesError } from './errors';
import { isOk } from './health-probe';
import { decodeProfile, decodeReturned, decodeUsers } from './decoding';
import { fastToken } from './fast-path';
import { toUserProfile, toUserProfiles } from './mapping';
import { httpError, parseBody, summarize } from './response';
import type { Warn } from './salvage';
import { sameAnswer } from './same-answer';
import { createTransport, type TransportResponse } from './transport';
import { decodeUsersInSteps, IN_STEPS_ABOVE_BYTES } from './users-in-steps';
import type { BaseUrlResolver, PiecesClient, RequestOptions } from './types';
import { OAuthToken, UserProfile as WireUserProfile, Users, decode, isUserIdShaped } from './wire';

export interface PiecesClientOptions {
  resolver: BaseUrlResolver;
  /** Per request, default 4000. */
  timeoutMs?: number;
  /** Where the client says what it tolerated (a malformed optional field, a repeated id). */
  warn?: (message: string) => void;
  /**
   * Cuts known secrets out of a server's text before an error quotes it (the log's redactor): a
   * server may echo a token it was sent earlier, whole, in part or encoded.
   */
  redact?: (text: string) => string;
  /**
   * How a long decode (a list of many thousands of users) lets the event loop run between its
   * steps; default one turn (setImmediate).
   */
  pause?: () => Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 4000;

export function createPiecesClient(opts: PiecesClientOptions): PiecesClient {
  const { resolver } = opts;
  const transport = createTransport(checkTimeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  const lastList = sameAnswer<UserProfile[]>();
  // Each kind of oddity is told once per run, not once per user or per refresh.
  const told = new Set<string>();
  const warn: Warn = (kind, message) => {
    if (told.has(kind)) return;
    told.add(kind);
    opts.warn?.(message);
  };
  const steps = opts.pause ? { pause: opts.pause } : {};
  /** A list as the body's size calls for: in one go, or in steps (users-in-steps.ts). */
  const users = async (res: TransportResponse & { where: string }, what: string) =>
    res.bytes.length > IN_STEPS_ABOVE_BYTES
      ? decodeUsersInSteps(res.bytes, what, res.where, warn, steps)
      : decodeUsers(res.text, what, res.where, warn);
  const profile = (text: string, what: string, where: string) =>
    decodeProfile(text, what, where, warn);

  /** One round trip; `where` ("GET /users") is what error messages name. */
  async function call(
    method: 'GET' | 'POST',
    path: string,
    ro: RequestOptions | undefined,
    body?: unknown,
    timeoutMs?: number,
    sameAs?: Buffer,
  ): Promise<TransportResponse & { where: string }> {
    const where = `${method} ${path}`;
    if (ro?.signal?.aborted)
      throw new PiecesError('cancelled', `The request was cancelled (${where}).`);
    const baseUrl = ro?.baseUrl ?? (await resolver.resolve());
    try {
      const res = await transport.send({
        baseUrl,
        method,
        path,
        body,
        signal: ro?.signal,
        timeoutMs,
        sameAs,
        peer: ro?.peer,
      });
      // Not a spread: the body's text is decoded only if someone reads it.
      return Object.assign(res, { where });
    } catch (err) {
      // The server moved or stopped: look for it again next time rather than retrying a dead URL.
      // A call with its own long deadline waits for a person, so its timeout says nothing of that.
      const timedOut = err instanceof PiecesError && err.kind === 'timeout' && !timeoutMs;
      if (err instanceof PiecesError && (err.kind === 'unreachable' || timedOut)) {
        resolver.invalidate();
      }
      throw err;
    }
  }

  const ok2xx = (status: number) => status >= 200 && status < 300;
  const scrub = opts.redact ?? ((text: string) => text);
  /** An error status as an error; the server's text quoted only after scrubbing. */
  const failed = (res: TransportResponse & { where: string }) =>
    httpError(res.status, scrub(res.text), res.where);

  return {
    async listUsers(ro) {
      // Fetched on every refresh and rarely changed: the transport compares the answer with the
      // last one as it arrives, and identical bytes give the same array, undecoded.
      const res = await call('GET', '/users', ro, undefined, undefined, lastList.bytes());
      if (!ok2xx(res.status)) throw failed(res);
      if (res.bytes.length > IN_STEPS_ABOVE_BYTES) {
        return lastList.decodeInSteps(res.bytes, () => users(res, 'the user list'), steps.pause);
      }
      return lastList.decode(res.bytes, () =>
        decodeUsers(res.text, 'the user list', res.where, warn),
      );
    },

    async getUser(id, ro) {
      const res = await call('GET', `/users/${userId(id)}`, ro);
      if (!ok2xx(res.status)) throw failed(res);
      return profile(res.text, 'a user', res.where);
    },

    async signInWithToken(token, ro) {
      const body = checkToken(token);
      const res = await call('POST', '/users/authenticate/from_token', ro, body);
      // A server could echo the token in its error text, whole, cut or encoded: for a call that
      // carried a token, nothing it said is quoted, only its status in words.
      if (!ok2xx(res.status)) throw httpError(res.status, '', res.where);
      return profile(res.text, 'the signed-in user', res.where);
    },

    async disconnect(id, ro) {
      const res = await call('POST', `/users/${userId(id)}/disconnect`, ro);
      if (!ok2xx(res.status)) throw failed(res);
      return users(res, 'the remaining users');
    },

    async currentUser(ro) {
      const res = await call('GET', '/user', ro);
      // An older Pieces OS has no GET /user: say "unknown", not "nobody".
      if (res.status === 404) return undefined;
      if (!ok2xx(res.status)) throw failed(res);
      return decodeReturned(res.text, 'the current user', res.where, warn);
    },

    async health(ro) {
      const res = await call('GET', '/.well-known/health', ro);
      if (!ok2xx(res.status)) throw failed(res);
      if (!isOk(res.text)) {
        const said = summarize(scrub(res.text)) || 'nothing';
        throw new PiecesError('bad-response', `Pieces OS is not healthy: it said ${said}.`);
      }
    },

    async version(ro) {
      const res = await call('GET', '/.well-known/version', ro);
      if (res.status === 404) return undefined;
      if (!ok2xx(res.status)) throw failed(res);
      const text = res.text.trim();
      if (text.startsWith('<')) {
        throw new PiecesError(
          'bad-response',
          `Pieces OS sent HTML instead of its version (${res.where}).`,
        );
      }
      return text || undefined;
    },

    baseUrl: () => resolver.resolve(),
    triedUrls: () => resolver.tried(),
    invalidate: () => resolver.invalidate(),
    setTimeout(ms) {
      transport.timeoutMs = checkTimeout(ms);
    },

    async signInWithPieces(o) {
      const timeoutMs = checkTimeout(o?.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS);
      const res = await call('POST', '/os/sign_in', o, undefined, timeoutMs);
      if (!ok2xx(res.status)) throw httpError(res.status, res.text, res.where);
      return toUserProfile(parseBody(res.text, WireUserProfile, 'the signed-in user', res.where));
    },

    async signOutOfOs(ro) {
      const res = await call('POST', '/os/sign_out', ro);
      // An older Pieces OS: the caller disconnects the user instead.
      if (res.status === 404) return undefined;
      if (!ok2xx(res.status)) throw httpError(res.status, res.text, res.where);
      return toUserProfiles(parseBody(res.text, Users, 'the remaining users', res.where));
    },

    async accessToken(ro) {
      const res = await call('GET', '/user/access_token', ro);
      // An older Pieces OS: the caller says it cannot switch back without a new sign-in.
      if (res.status === 404) return undefined;
      if (!ok2xx(res.status)) throw httpError(res.status, res.text, res.where);
      return checkAccessToken(res.text, res.where);
    },
  };
}

/** Pieces' Python SDK waits 120 s; the app's sign-in time limit setting defaults to 3 minutes. */
export const DEFAULT_SIGN_IN_TIMEOUT_MS = 180_000;

/** A user id as one URL path segment: encoded, so "a/b" or "?" cannot change the request. */
function userId(id: unknown): string {
  if (isUserIdShaped(id)) return encodeURIComponent(id);
  throw new PiecesError(
    'invalid-input',
    'A Pieces OS user id must be 1 to 256 characters without control characters.',
    { path: 'id' },
  );
}

/** Only the documented keys are sent, whatever else the caller's object carries. */
function checkToken(token: OAuthTokenInput) {
  const fast = fastToken(token);
  if (fast) return fast;
  const result = decode(OAuthToken, token);
  if (result.ok) return result.value;
  // The zod message names the expected type, never the value, so the token cannot leak here.
  const message = `The token is not valid: ${result.path}: ${result.message}.`;
  throw new PiecesError('invalid-input', message, { path: result.path });
}

function checkTimeout(ms: number): number {
  if (Number.isFinite(ms) && ms > 0) return ms;
  const message = 'The request timeout must be a positive number of milliseconds.';
  throw new PiecesError('invalid-input', message);
}
