// The Pieces OS endpoints. Each returns a Reply or throws an HttpError (answered as text/plain).

import { HttpError, badRequest, parseJson } from './errors';
import { json, text, type Reply } from './http';
import { UUID_RE } from './ids';
import type { OidcVerifier } from './oidc';
import type { UserStore } from './store';
import { checkOAuthToken, type TokenRegistry } from './tokens';
import type { EndpointName } from './types';

export interface Context {
  store: UserStore;
  tokens: TokenRegistry;
  version: string;
  oidc?: OidcVerifier;
}

type Handler = (ctx: Context, param: string, body: string) => Reply | Promise<Reply>;

export const HANDLERS: Record<EndpointName, Handler> = {
  listUsers: (ctx) => json(ctx.store.usersJson(), 'users'),

  getUser: (ctx, param) => json(connected(ctx.store, param).profile, 'profile'),

  signIn: async (ctx, _param, body) => {
    const parsed = parseJson(body);
    const accessToken = checkOAuthToken(parsed);
    const token = ctx.tokens.check(accessToken, Date.now());
    if (token === 'expired') throw new HttpError(401, 'Unauthorized: this token has expired.');
    if (token !== 'unknown') {
      return json(ctx.store.signIn(token.userId, token.email, token.name, Date.now()), 'profile');
    }
    // Not minted here: a token from the configured OpenID provider, known by its id token.
    const idToken = (parsed as { id_token?: unknown }).id_token;
    if (ctx.oidc === undefined || typeof idToken !== 'string') {
      throw new HttpError(401, 'Unauthorized: this token is not valid.');
    }
    const user = await ctx.oidc.verify(idToken);
    return json(ctx.store.signIn(user.userId, user.email, user.name, Date.now()), 'profile');
  },

  disconnect: (ctx, param) => {
    ctx.store.disconnect(connected(ctx.store, param).id);
    return json(ctx.store.usersJson(), 'users');
  },

  currentUser: (ctx) => json(ctx.store.currentJson(), 'returned'),
  health: () => text(200, 'ok'),
  version: (ctx) => text(200, ctx.version),
};

/** A connected user, else 400 not a UUID, 410 disconnected since the last reset, 404 unknown. */
function connected(store: UserStore, param: string): { id: string; profile: string } {
  if (!UUID_RE.test(param)) throw badRequest(`"${param.slice(0, 80)}" is not a user id (a UUID).`);
  const id = param.toLowerCase();
  const profile = store.profileJson(id);
  if (profile !== undefined) return { id, profile };
  if (store.wasDisconnected(id)) throw new HttpError(410, `User ${id} was disconnected.`);
  throw new HttpError(404, `No user ${id}.`);
}
