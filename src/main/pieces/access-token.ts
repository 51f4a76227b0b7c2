// The answer of `GET /user/access_token` (text/plain), checked before the app keeps it in the
// vault. The body is a secret: no message here ever quotes any of it.
import { PiecesError } from './errors';

/** Far above any real token (a JWT with many claims is a few KB), and keeps the vault small. */
export const MAX_ACCESS_TOKEN_BYTES = 16 * 1024;

/** Visible ASCII/Unicode only: whitespace or control characters inside mean it is not one token. */
const WHITESPACE_OR_CONTROL = /[\s\p{Cc}\p{Cf}]/u;

/** The trimmed token, or PiecesError 'bad-response' saying what is wrong with it. */
export function checkAccessToken(text: string, where: string): string {
  const token = text.trim();
  const bad = (what: string) =>
    new PiecesError('bad-response', `Pieces OS sent an access token that ${what} (${where}).`);
  if (!token) throw bad('is empty');
  if (Buffer.byteLength(token, 'utf8') > MAX_ACCESS_TOKEN_BYTES) {
    throw bad(`is larger than ${MAX_ACCESS_TOKEN_BYTES / 1024} KB`);
  }
  if (WHITESPACE_OR_CONTROL.test(token)) throw bad('contains spaces or control characters');
  return token;
}
