// When a token Pieces OS handed out expires, read from the token itself when it is a JWT.
//
// No signature check, on purpose: the app does not trust the token's claims for any decision about
// who someone is. It only keeps the token to hand it back to the Pieces OS that issued it
// (`POST /users/authenticate/from_token`), which checks it; `exp` only tells the app when that
// would stop working, so it can say so ahead of time. A forged `exp` could at worst make the app
// show a wrong date.

/** A JWT payload is small; anything bigger is not worth decoding. */
const MAX_PAYLOAD_CHARS = 16 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Epoch milliseconds of the JWT's `exp` claim; undefined when `token` is not a JWT with one. */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  // Header, payload, signature (a JWS). A JWE has five parts and an encrypted payload: unknown.
  if (parts.length !== 3) return undefined;
  const payload = parts[1]!;
  if (!payload || payload.length > MAX_PAYLOAD_CHARS || !BASE64URL.test(payload)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const exp = (claims as { exp?: unknown }).exp;
  // NumericDate: seconds since the epoch, possibly fractional (RFC 7519 section 2).
  if (typeof exp !== 'number' || !Number.isFinite(exp) || exp <= 0) return undefined;
  const ms = Math.round(exp * 1000);
  // Beyond what a Date can hold (year 275760): not a real expiry.
  return ms <= 8.64e15 ? ms : undefined;
}
