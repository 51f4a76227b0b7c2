// Tokens from a configured OpenID provider: the id token's signature is checked against the keys
// the provider publishes (its JWKS, found through its discovery document), along with its issuer,
// audience and expiry. The user is derived from its claims, the same way as for minted tokens.

import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { HttpError } from './errors';
import { normalizeEmail, userIdForEmail } from './ids';
import type { MintedToken } from './tokens';

export interface OidcOptions {
  /** The provider's issuer URL; its `/.well-known/openid-configuration` names the JWKS. */
  issuer: string;
  /** Expected `aud` of the id token (the app's client id). Any audience when omitted. */
  audience?: string;
}

export class OidcVerifier {
  private keys: Promise<JWTVerifyGetKey> | null = null;

  constructor(private readonly opts: OidcOptions) {
    const url = new URL(opts.issuer); // throws on a bad URL, at start rather than per request
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new RangeError(`Bad OpenID issuer ${opts.issuer}`);
    }
  }

  get issuer(): string {
    return this.opts.issuer;
  }

  /** The signed-in user from a verified id token; throws HttpError 401 (or 503: no keys). */
  async verify(idToken: string): Promise<Omit<MintedToken, 'expiresAtMs'>> {
    const keys = await this.jwks();
    let payload;
    try {
      ({ payload } = await jwtVerify(idToken, keys, {
        issuer: this.opts.issuer,
        ...(this.opts.audience !== undefined ? { audience: this.opts.audience } : {}),
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw new HttpError(401, `Unauthorized: the id token was refused (${reason(error)}).`);
    }
    const { email, name } = payload;
    if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email.trim())) {
      throw new HttpError(401, 'Unauthorized: the id token has no email claim.');
    }
    if (payload.email_verified === false) {
      throw new HttpError(401, 'Unauthorized: the email in the id token is not verified.');
    }
    return {
      email: normalizeEmail(email),
      name: typeof name === 'string' ? name : undefined,
      userId: userIdForEmail(email),
    };
  }

  private jwks(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.discover().catch((error: unknown) => {
      this.keys = null; // try again on the next request
      throw error;
    });
    return this.keys;
  }

  private async discover(): Promise<JWTVerifyGetKey> {
    const base = this.opts.issuer.replace(/\/+$/, '');
    let jwksUri: unknown;
    try {
      const res = await fetch(`${base}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      jwksUri = ((await res.json()) as { jwks_uri?: unknown }).jwks_uri;
    } catch (error) {
      throw new HttpError(
        503,
        `The OpenID provider ${this.opts.issuer} could not be reached: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (typeof jwksUri !== 'string') {
      throw new HttpError(503, `The OpenID provider ${this.opts.issuer} names no jwks_uri.`);
    }
    return createRemoteJWKSet(new URL(jwksUri));
  }
}

/** jose's error code (ERR_JWT_EXPIRED, ERR_JWS_SIGNATURE_VERIFICATION_FAILED, ...): no token text. */
function reason(error: unknown): string {
  if (error instanceof errors.JWTClaimValidationFailed) return `${error.code}: ${error.claim}`;
  if (error instanceof errors.JOSEError) return error.code;
  return 'not a valid JWT';
}
