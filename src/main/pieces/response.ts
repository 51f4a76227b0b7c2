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

/** Parses a JSON body and checks it against `schema`; `what` names it for people ("the user list"). */
export function parseBody<T>(text: string, schema: z.ZodType<T>, what: string, where: string): T {
  const trimmed = text.trim();
  if (!trimmed) throw badResponse(`Pieces OS sent an empty body instead of ${what} (${where}).`);
  if (trimmed.startsWith('<')) {
    throw badResponse(`Pieces OS sent HTML instead of ${what} (${where}).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    // JSON.parse's own message quotes the input, so it is not repeated.
    throw badResponse(`Pieces OS sent ${what} that is not valid JSON (${where}).`);
  }
  const result = decode(schema, json);
  if (result.ok) return result.value;
  throw badResponse(
    `Pieces OS sent ${what} in an unexpected shape: ${result.path}: ${result.message} (${where}).`,
    result.path,
  );
}

export function httpError(
  status: number,
  text: string,
  where: string,
  secrets?: readonly string[],
): PiecesError {
  const summary = summarize(text, secrets);
  const said = summary ? `: ${summary}` : '.';
  return new PiecesError('http', `Pieces OS answered ${status} to ${where}${said}`, { status });
}

const badResponse = (message: string, path?: string) =>
  new PiecesError('bad-response', message, path === undefined ? {} : { path });
