// Tokens the emulator minted. Only these sign anyone in: any other token is refused with 401, as
// is a minted one after mint time + expires_in.

import { randomBytes } from 'node:crypto';
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

export class TokenRegistry {
  private readonly tokens = new Map<string, MintedToken>();

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

function checkMintInput(input: unknown): MintTokenInput {
  if (!isRecord(input)) throw badRequest('Expected a JSON object { email, name?, expires_in? }.');
  const { email, name, expires_in } = input;
  if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email.trim())) {
    throw badRequest('"email" must be an email address.');
  }
  if (name !== undefined && typeof name !== 'string') throw badRequest('"name" must be a string.');
  if (
    expires_in !== undefined &&
    !(
      Number.isInteger(expires_in) &&
      Number(expires_in) >= 0 &&
      Number(expires_in) <= MAX_EXPIRES_IN
    )
  ) {
    throw badRequest(`"expires_in" must be a whole number of seconds, 0..${MAX_EXPIRES_IN}.`);
  }
  return { email, name, expires_in: expires_in as number | undefined };
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
