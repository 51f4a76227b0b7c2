// The Pieces OS Users API client the main process uses. Validates inputs before sending and
// every answer before returning it; throws PiecesError (see ./types.ts for the kinds).
import type { OAuthTokenInput, UserProfile } from '../../shared/domain';
import { PiecesError } from './errors';
import { isOk } from './health-probe';
import { toUserProfile, toUserProfiles } from './mapping';
import { httpError, parseBody, summarize } from './response';
import { sameAnswer } from './same-answer';
import { createTransport, type TransportResponse } from './transport';
import type { BaseUrlResolver, PiecesClient, RequestOptions } from './types';
import {
  OAuthToken,
  ReturnedUserProfile,
  UserProfile as WireUserProfile,
  Users,
  decode,
  isUuidShaped,
} from './wire';

export interface PiecesClientOptions {
  resolver: BaseUrlResolver;
  /** Per request, default 4000. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 4000;

export function createPiecesClient(opts: PiecesClientOptions): PiecesClient {
  const { resolver } = opts;
  const transport = createTransport(checkTimeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  // The list is fetched on every refresh and rarely changes: identical bytes, same value.
  const lastList = sameAnswer<UserProfile[]>();

  /** One round trip; `where` ("GET /users") is what error messages name. */
  async function call(
    method: 'GET' | 'POST',
    path: string,
    ro: RequestOptions | undefined,
    body?: unknown,
  ): Promise<{ res: TransportResponse; where: string }> {
    const where = `${method} ${path}`;
    if (ro?.signal?.aborted)
      throw new PiecesError('cancelled', `The request was cancelled (${where}).`);
    const baseUrl = ro?.baseUrl ?? (await resolver.resolve());
    try {
      const res = await transport.send({ baseUrl, method, path, body, signal: ro?.signal });
      return { res, where };
    } catch (err) {
      // The server moved or stopped: look for it again next time rather than retrying a dead URL.
      if (err instanceof PiecesError && (err.kind === 'unreachable' || err.kind === 'timeout')) {
        resolver.invalidate();
      }
      throw err;
    }
  }

  const ok2xx = (status: number) => status >= 200 && status < 300;

  return {
    async listUsers(ro) {
      const { res, where } = await call('GET', '/users', ro);
      if (!ok2xx(res.status)) throw httpError(res.status, res.text, where);
      return lastList.decode(res.bytes, () =>
        toUserProfiles(parseBody(res.text, Users, 'the user list', where)),
      );
    },

    async getUser(id, ro) {
      const { res, where } = await call('GET', `/users/${userId(id)}`, ro);
      if (!ok2xx(res.status)) throw httpError(res.status, res.text, where);
      return toUserProfile(parseBody(res.text, WireUserProfile, 'a user', where));
    },

    async signInWithToken(token, ro) {
      const body = checkToken(token);
      const { res, where } = await call('POST', '/users/authenticate/from_token', ro, body);
      if (!ok2xx(res.status)) {
        // A server could echo the token in its error text; it must not reach a message.
        const secrets = [body.access_token, body.refresh_token ?? '', body.id_token ?? ''];
        throw httpError(res.status, res.text, where, secrets);
      }
      return toUserProfile(parseBody(res.text, WireUserProfile, 'the signed-in user', where));
    },

    async disconnect(id, ro) {
      const { res, where } = await call('POST', `/users/${userId(id)}/disconnect`, ro);
      if (!ok2xx(res.status)) throw httpError(res.status, res.text, where);
      return toUserProfiles(parseBody(res.text, Users, 'the remaining users', where));
    },

    async currentUser(ro) {
      const { res, where } = await call('GET', '/user', ro);
      // An older Pieces OS has no GET /user: say "unknown", not "nobody".
      if (res.status === 404) return undefined;
      if (!ok2xx(res.status)) throw httpError(res.status, res.text, where);
      const wire = parseBody(res.text, ReturnedUserProfile, 'the current user', where);
      return wire.user ? toUserProfile(wire.user) : null;
    },

    async health(ro) {
      const { res, where } = await call('GET', '/.well-known/health', ro);
      if (!ok2xx(res.status)) throw httpError(res.status, res.text, where);
      if (!isOk(res.text)) {
        const said = summarize(res.text) || 'nothing';
        throw new PiecesError('bad-response', `Pieces OS is not healthy: it said ${said}.`);
      }
    },

    async version(ro) {
      const { res, where } = await call('GET', '/.well-known/version', ro);
      if (res.status === 404) return undefined;
      if (!ok2xx(res.status)) throw httpError(res.status, res.text, where);
      const text = res.text.trim();
      if (text.startsWith('<')) {
        throw new PiecesError(
          'bad-response',
          `Pieces OS sent HTML instead of its version (${where}).`,
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
  };
}

/** Refused before sending: a non-UUID would otherwise reach the URL path as-is. */
function userId(id: unknown): string {
  if (isUuidShaped(id)) return id;
  throw new PiecesError('invalid-input', 'A Pieces OS user id must be a UUID.', { path: 'id' });
}

/** Only the documented keys are sent, whatever else the caller's object carries. */
function checkToken(token: OAuthTokenInput) {
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
