// The Pieces OS endpoints. Each returns a Reply or throws an HttpError (answered as text/plain).

import { HttpError, badRequest, isRecord, parseJson } from './errors';
import { json, text, type Reply } from './http';
import { normalizeEmail, userIdForEmail } from './ids';
import type { OidcVerifier } from './oidc';
import type { SignInDesk } from './sign-in-desk';
import type { UserStore } from './store';
import {
  DEFAULT_TOKEN_LIFETIME_S,
  checkExpiresIn,
  checkOAuthToken,
  isEmail,
  type TokenRegistry,
} from './tokens';
import type { EndpointName, SignInIdentity } from './types';

export interface Context {
  store: UserStore;
  tokens: TokenRegistry;
  desk: SignInDesk;
  version: string;
  oidc?: OidcVerifier;
}

/** `signal` aborts when the client leaves (or stop() closes the connection). */
type Handler = (
  ctx: Context,
  param: string,
  body: string,
  signal: AbortSignal,
) => Reply | Promise<Reply>;

export const HANDLERS: Record<EndpointName, Handler> = {
  listUsers: (ctx) => json(ctx.store.usersJson(), 'users'),

  getUser: (ctx, param) => json(connected(ctx.store, param).profile, 'profile'),

  signIn: async (ctx, _param, body) => {
    const parsed = parseJson(body);
    const accessToken = checkOAuthToken(parsed);
    const token = ctx.tokens.check(accessToken, Date.now());
    if (token === 'expired') throw new HttpError(401, 'Unauthorized: this token has expired.');
    let user: { userId: string; email: string; name?: string };
    if (token !== 'unknown') user = token;
    else {
      // Not minted here: a token from the configured OpenID provider, known by its id token.
      const idToken = (parsed as { id_token?: unknown }).id_token;
      if (ctx.oidc === undefined || typeof idToken !== 'string') {
        throw new HttpError(401, 'Unauthorized: this token is not valid.');
      }
      user = await ctx.oidc.verify(idToken);
    }
    const signedIn = ctx.store.signIn(user.userId, user.email, user.name);
    ctx.store.rememberToken(signedIn.id, accessToken);
    return json(signedIn.json, 'profile');
  },

  disconnect: (ctx, param) => {
    ctx.store.disconnect(connected(ctx.store, param).id);
    return json(ctx.store.usersJson(), 'users');
  },

  currentUser: (ctx) => json(ctx.store.currentJson(), 'returned'),
  health: () => text(200, 'ok'),
  version: (ctx) => text(200, ctx.version),

  // Waits for the person to finish in the browser (completeSignIn / cancelSignIn).
  osSignIn: async (ctx, _param, _body, signal) => {
    const result = await ctx.desk.wait(signal);
    if (result === 'cancelled') throw new HttpError(500, 'Sign-in was cancelled in the browser.');
    // Nobody to answer; send() drops it.
    if (result === 'gone') return text(500, 'The client left before the sign-in finished.');
    return json(result.profile, 'profile');
  },

  osSignOut: (ctx) => {
    const current = ctx.store.currentId();
    if (current !== null) ctx.store.disconnect(current);
    return json(ctx.store.usersJson(), 'users');
  },

  accessToken: (ctx) => {
    const current = ctx.store.currentId();
    const profile = ctx.store.currentProfile();
    if (current === null || profile === undefined) {
      throw new HttpError(500, 'No user is signed in to Pieces OS.');
    }
    let token = ctx.store.tokenOf(current);
    if (token === undefined) {
      // Signed in before this emulator kept track (a seeded user): as if by a Pieces sign-in.
      const { email, name } = JSON.parse(profile) as { email?: string; name?: string };
      if (email === undefined) throw new HttpError(500, 'The current user has no email.');
      const subject = { userId: userIdForEmail(email), wireId: current, email, name };
      token = ctx.tokens.mintJwt(subject, DEFAULT_TOKEN_LIFETIME_S, Date.now());
      ctx.store.rememberToken(current, token);
    }
    return text(200, token);
  },
};

/**
 * What finishing the browser sign-in does: signs in a known user (by `id` or `email`) or a new one
 * (by `email`, named `name`), makes them current and records a JWT minted for them as their access
 * token. Returns the profile JSON.
 */
export function signInAs(ctx: Context, input: unknown, nowMs: number): string {
  const identity = checkIdentity(input);
  let email = identity.email;
  let name = identity.name;
  if (identity.id !== undefined) {
    const known = ctx.store.knownJson(identity.id.toLowerCase());
    if (known === undefined) throw new HttpError(404, `No user ${identity.id.slice(0, 80)}.`);
    const profile = JSON.parse(known) as { email?: string; name?: string };
    if (profile.email === undefined) throw badRequest('That user has no email to sign in with.');
    if (email !== undefined && normalizeEmail(email) !== normalizeEmail(profile.email)) {
      throw badRequest('"id" and "email" name different users.');
    }
    email = profile.email;
  }
  if (email === undefined) throw badRequest('Give the "id" or the "email" to sign in as.');
  const uuid = userIdForEmail(email);
  const { id, json: profile } = ctx.store.signIn(uuid, email, name);
  name = (JSON.parse(profile) as { name?: string }).name;
  const subject = { userId: uuid, wireId: id, email: normalizeEmail(email), name };
  const lifetime = identity.expires_in ?? DEFAULT_TOKEN_LIFETIME_S;
  ctx.store.rememberToken(id, ctx.tokens.mintJwt(subject, lifetime, nowMs));
  return profile;
}

function checkIdentity(input: unknown): SignInIdentity {
  if (!isRecord(input)) throw badRequest('Expected a JSON object { id?, email?, name? }.');
  const { id, email, name, expires_in } = input;
  const blank = (v: unknown): boolean => v === undefined || v === '';
  if (!blank(id) && typeof id !== 'string') throw badRequest('"id" must be a string.');
  if (!blank(email) && !isEmail(email)) throw badRequest('"email" must be an email address.');
  if (!blank(name) && typeof name !== 'string') throw badRequest('"name" must be a string.');
  return {
    id: blank(id) ? undefined : (id as string),
    email: blank(email) ? undefined : (email as string).trim(),
    name: blank(name) ? undefined : (name as string),
    expires_in: checkExpiresIn(expires_in),
  };
}

/** A connected user, else 400 not an id, 410 disconnected since the last reset, 404 unknown. */
function connected(store: UserStore, param: string): { id: string; profile: string } {
  if (!store.acceptsId(param)) {
    throw badRequest(`"${param.slice(0, 80)}" is not a user id (a UUID).`);
  }
  const id = param.toLowerCase();
  const profile = store.profileJson(id);
  if (profile !== undefined) return { id, profile };
  if (store.wasDisconnected(id)) throw new HttpError(410, `User ${id} was disconnected.`);
  throw new HttpError(404, `No user ${id}.`);
}
