// Tokens the emulator minted. Only these sign anyone in: any other token is refused with 401, as
// is a minted one after mint time + expires_in.

import { createHmac, randomBytes } from 'node:crypto';
import { badRequest, isRecord } from './errors';
import { normalizeEmail, userIdForEmail } from './ids';
import type { MintTokenInput, OAuthTokenWire } from './types';

export interface MintedToken {
  email: string;
  name?: string;
  userId: string;
  expiresAtMs: number;
}

const DEFAULT_EXPIRES_IN = 3600;
const MAX_EXPIRES_IN = 10 * 365 * 86_400;
const SCOPE = 'openid profile email offline_access';

/** What a JWT minted for a Pieces sign-in says about its user. */
export interface JwtSubject {
  /** Canonical id (from the email), what `UserStore.signIn` takes. */
  userId: string;
  /** The id clients see (`sub`). */
  wireId: string;
  email: string;
  name?: string;
}

export class TokenRegistry {
  private readonly tokens = new Map<string, MintedToken>();
  /** Signs the JWTs. Nobody checks the signature (the token only comes back to us), but a
   *  real-looking one keeps JWT parsers honest. */
  private readonly key = randomBytes(32);

  /**
   * A JWT-shaped access token (header.payload.signature, base64url, HS256) like the ones Pieces
   * OS hands out after its own sign-in, registered so that `from_token` accepts it until `exp`.
   */
  mintJwt(subject: JwtSubject, expiresIn: number, nowMs: number): string {
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + expiresIn;
    const part = (value: object): string =>
      Buffer.from(JSON.stringify(value)).toString('base64url');
    const payload = {
      iss: 'https://pieces-os-emulator.invalid/',
      sub: subject.wireId,
      email: subject.email,
      ...(subject.name === undefined ? {} : { name: subject.name }),
      iat,
      exp,
      // Unique per mint even within one second, as with minted opaque tokens.
      jti: randomBytes(9).toString('base64url'),
    };
    const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
    const signature = createHmac('sha256', this.key).update(unsigned).digest('base64url');
    const token = `${unsigned}.${signature}`;
    this.tokens.set(token, {
      email: normalizeEmail(subject.email),
      name: subject.name,
      userId: subject.userId,
      expiresAtMs: exp * 1000,
    });
    return token;
  }

  mint(input: unknown, nowMs: number): OAuthTokenWire {
    const { email, name, expires_in = DEFAULT_EXPIRES_IN } = checkMintInput(input);
    // Random, not derived: two mints for one email are two distinct tokens, like a real IdP's.
    const access_token = `emu_${randomBytes(24).toString('base64url')}`;
    this.tokens.set(access_token, {
      email: normalizeEmail(email),
      name,
      userId: userIdForEmail(email),
      expiresAtMs: nowMs + expires_in * 1000,
    });
    return { access_token, token_type: 'Bearer', expires_in, scope: SCOPE };
  }

  /** The token's record, or why it cannot be accepted. */
  check(accessToken: string, nowMs: number): MintedToken | 'unknown' | 'expired' {
    const token = this.tokens.get(accessToken);
    if (token === undefined) return 'unknown';
    return nowMs >= token.expiresAtMs ? 'expired' : token;
  }
}

export function checkExpiresIn(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (Number.isInteger(value) && Number(value) >= 0 && Number(value) <= MAX_EXPIRES_IN) {
    return value as number;
  }
  throw badRequest(`"expires_in" must be a whole number of seconds, 0..${MAX_EXPIRES_IN}.`);
}

export const isEmail = (value: unknown): value is string =>
  typeof value === 'string' && /^[^\s@]+@[^\s@]+$/.test(value.trim());

export const DEFAULT_TOKEN_LIFETIME_S = DEFAULT_EXPIRES_IN;

function checkMintInput(input: unknown): MintTokenInput {
  if (!isRecord(input)) throw badRequest('Expected a JSON object { email, name?, expires_in? }.');
  const { email, name, expires_in } = input;
  if (!isEmail(email)) {
    throw badRequest('"email" must be an email address.');
  }
  if (name !== undefined && typeof name !== 'string') throw badRequest('"name" must be a string.');
  return { email, name, expires_in: checkExpiresIn(expires_in) };
}

/** Checks an `OAuthToken` request body; returns its access token. */
export function checkOAuthToken(body: unknown): string {
  if (!isRecord(body)) throw badRequest('Expected an OAuthToken JSON object.');
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw badRequest('"access_token" is required and must be a non-empty string.');
  }
  if (body.token_type !== 'Bearer' && body.token_type !== 'UNKNOWN') {
    throw badRequest('"token_type" is required and must be "Bearer".');
  }
  if (!Number.isInteger(body.expires_in)) {
    throw badRequest('"expires_in" is required and must be an integer.');
  }
  for (const key of ['scope', 'refresh_token', 'id_token']) {
    if (body[key] != null && typeof body[key] !== 'string') {
      throw badRequest(`"${key}" must be a string when present.`);
    }
  }
  return body.access_token;
}
