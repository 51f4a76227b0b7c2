// Turning a response body into a value or into an error a person can read.
import type { z } from 'zod';
import { PiecesError } from './errors';
import { decode } from './wire';

const MAX_SUMMARY = 200;

/**
 * A server's error text cut down for a message: tags stripped, whitespace collapsed, about 200
 * characters. `secrets` are replaced first, in case a server echoes what it was sent.
 */
export function summarize(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  out = out
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return out.length > MAX_SUMMARY ? `${out.slice(0, MAX_SUMMARY - 1).trimEnd()}…` : out;
}

/**
 * Parses a JSON body and checks it against `schema`; `what` names it for people ("the user list").
 * When the strict check fails, `salvage` may still make a value of it (see salvage.ts).
 */
export function parseBody<T>(
  text: string,
  schema: z.ZodType<T>,
  what: string,
  where: string,
  salvage?: (json: unknown) => T | undefined,
): T {
  return checkJson(parseJson(text, what, where), schema, what, where, salvage);
}

/** A body as JSON, or a clear error: empty, HTML (a proxy's or a web server's page), not JSON. */
export function parseJson(text: string, what: string, where: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) throw badResponse(`Pieces OS sent an empty body instead of ${what} (${where}).`);
  if (trimmed.startsWith('<')) {
    throw badResponse(`Pieces OS sent HTML instead of ${what} (${where}).`);
  }
  try {
    return JSON.parse(trimmed);
  } catch {
    // JSON.parse's own message quotes the input, so it is not repeated.
    throw badResponse(`Pieces OS sent ${what} that is not valid JSON (${where}).`);
  }
}

/** Parsed JSON checked against `schema`, else salvaged, else an error naming the bad field. */
export function checkJson<T>(
  json: unknown,
  schema: z.ZodType<T>,
  what: string,
  where: string,
  salvage?: (json: unknown) => T | undefined,
): T {
  const result = decode(schema, json);
  if (result.ok) return result.value;
  const saved = salvage?.(json);
  if (saved !== undefined) return saved;
  throw badResponse(
    `Pieces OS sent ${what} in an unexpected shape: ${result.path}: ${result.message} (${where}).`,
    result.path,
  );
}

const SIGN_IN = 'POST /users/authenticate/from_token';
/** `GET /users/{id}` and `POST /users/{id}/disconnect`: requests about one user. */
const ONE_USER = /^(GET|POST) \/users\/[^/]+(\/disconnect)?$/;

/**
 * What a status Pieces OS documents means (shared README, "Errors": 401 bad token or not
 * authenticated, 404/410 not found/gone, 500 server error, 511 sign in to Pieces OS first), in
 * words for `where`; undefined for any other status.
 */
function meaning(status: number, where: string): string | undefined {
  switch (status) {
    case 401:
      return where === SIGN_IN
        ? 'Pieces OS did not accept this token (401): it may have expired or belong to another sign-in provider.'
        : `Pieces OS refused ${where} because it is not authenticated (401).`;
    case 404:
      return ONE_USER.test(where)
        ? `Pieces OS does not know this user (404, ${where}).`
        : undefined;
    case 410:
      return ONE_USER.test(where)
        ? `This user is no longer connected to Pieces OS (410, ${where}).`
        : undefined;
    case 500:
      return `Pieces OS ran into an internal error (500, ${where}).`;
    case 511:
      return `Pieces OS needs you to sign in to Pieces OS itself first (511, ${where}).`;
    default:
      return undefined;
  }
}

/**
 * An error status as kind 'http' with the status kept: a documented one in words, then what
 * Pieces OS said, so the person sees both.
 */
export function httpError(
  status: number,
  text: string,
  where: string,
  secrets?: readonly string[],
): PiecesError {
  const summary = summarize(text, secrets);
  const words = meaning(status, where);
  if (words === undefined) {
    const said = summary ? `: ${summary}` : '.';
    return new PiecesError('http', `Pieces OS answered ${status} to ${where}${said}`, { status });
  }
  const said = summary ? ` Pieces OS said: ${summary}` : '';
  return new PiecesError('http', `${words}${said}`, { status });
}

const badResponse = (message: string, path?: string) =>
  new PiecesError('bad-response', message, path === undefined ? {} : { path });
