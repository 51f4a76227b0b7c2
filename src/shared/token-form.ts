// Validation of the Add account form, before anything is sent to Pieces OS. Main runs it on signIn,
// which takes the form as typed (so this code stays out of the window's bundle, and the token
// crosses from the window once): the tidied token stays in main and never goes back to the window;
// a refusal goes back as a message for each field.
import type { OAuthTokenInput } from './domain';

export type TokenField =
  'json' | 'access_token' | 'token_type' | 'expires_in' | 'scope' | 'refresh_token' | 'id_token';

export type TokenFormErrors = Partial<Record<TokenField, string>>;

export type TokenFormResult =
  { ok: true; token: OAuthTokenInput } | { ok: false; errors: TokenFormErrors };

/** What the form holds in its mode: the pasted JSON, or the text of each field. */
export type TokenForm = { json: string } | { fields: TokenFields };

/** What the "Enter fields" mode holds: the raw text of each input. */
export interface TokenFields {
  accessToken: string;
  tokenType: string;
  expiresIn: string;
}

export const TOKEN_TYPES = [
  'Bearer',
  'UNKNOWN',
] as const satisfies readonly OAuthTokenInput['token_type'][];

const OPTIONAL_STRINGS = ['scope', 'refresh_token', 'id_token'] as const;

function tokenType(value: string): OAuthTokenInput['token_type'] | null {
  const v = value.trim();
  if (v.toLowerCase() === 'bearer') return 'Bearer';
  return v === 'UNKNOWN' ? 'UNKNOWN' : null;
}

function accessTokenError(value: string, name: string): string | null {
  const v = value.trim();
  if (v === '') return `${name} is required.`;
  if (/\s/.test(v)) {
    return /^bearer\s/i.test(v)
      ? `${name} is only the token itself: leave out the word “Bearer”.`
      : `${name} cannot contain spaces or line breaks.`;
  }
  return null;
}

/**
 * A JWT access token whose `exp` has passed: say it expired, in words, before Pieces OS refuses it
 * with a bare 401. Tokens that are not JWTs are left to Pieces OS.
 */
export function expiredTokenError(accessToken: string, nowMs = Date.now()): string | null {
  const parts = accessToken.trim().split('.');
  if (parts.length !== 3) return null;
  try {
    const json = atob(parts[1]!.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    if (typeof exp !== 'number' || exp * 1000 > nowMs) return null;
    const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    return `This token expired on ${when.format(new Date(exp * 1000))}. Get a new one and paste it again.`;
  } catch {
    return null;
  }
}

function expiryError(seconds: number, name: string): string | null {
  if (!Number.isFinite(seconds)) return `${name} must be a number of seconds, for example 3600.`;
  if (seconds < 0) return `${name} cannot be negative.`;
  if (!Number.isInteger(seconds)) return `${name} must be a whole number of seconds.`;
  if (seconds === 0) return `${name} must be at least 1 second.`;
  return null;
}

/** Validates the "Enter fields" mode. */
export function validateTokenFields(fields: TokenFields): TokenFormResult {
  const errors: TokenFormErrors = {};
  const accessError =
    accessTokenError(fields.accessToken, 'Access token') ?? expiredTokenError(fields.accessToken);
  if (accessError) errors.access_token = accessError;

  const type = tokenType(fields.tokenType);
  if (!type) errors.token_type = 'Token type must be Bearer.';

  const expiresText = fields.expiresIn.trim();
  if (expiresText === '') {
    errors.expires_in = 'Expiry is required: the number of seconds the token is valid, e.g. 3600.';
  } else {
    const seconds = /^[-+]?\d+(?:\.\d+)?$/.test(expiresText) ? Number(expiresText) : NaN;
    const expiry = expiryError(seconds, 'Expiry');
    if (expiry) errors.expires_in = expiry;
  }

  if (Object.keys(errors).length > 0 || !type) return { ok: false, errors };
  return {
    ok: true,
    token: {
      access_token: fields.accessToken.trim(),
      token_type: type,
      expires_in: Number(expiresText),
    },
  };
}

/** Validates a pasted token JSON, e.g. `{"access_token": "…", "token_type": "Bearer", "expires_in": 3600}`. */
export function parseTokenJson(text: string): TokenFormResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, errors: { json: 'Paste the OAuth token JSON.' } };

  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    const bare = !trimmed.startsWith('{') && !/\s/.test(trimmed);
    return {
      ok: false,
      errors: {
        json: bare
          ? 'This looks like a bare access token, not JSON. Choose “Enter fields” and paste it as the access token.'
          : 'This is not valid JSON. Paste the whole token, from { to }.',
      },
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      errors: { json: 'The token must be a JSON object, like {"access_token": "…", …}.' },
    };
  }

  const raw = parsed as Record<string, unknown>;
  const errors: TokenFormErrors = {};

  const access = raw.access_token;
  if (access === undefined || access === null) {
    errors.access_token = 'The token has no access_token.';
  } else if (typeof access !== 'string') {
    errors.access_token = 'access_token must be a string.';
  } else {
    const e = accessTokenError(access, 'access_token') ?? expiredTokenError(access);
    if (e) errors.access_token = e;
  }

  let type: OAuthTokenInput['token_type'] | null = 'Bearer';
  if (raw.token_type !== undefined) {
    type = typeof raw.token_type === 'string' ? tokenType(raw.token_type) : null;
    if (!type) errors.token_type = 'token_type must be "Bearer".';
  }

  const rawExpiry = raw.expires_in;
  let expiresIn = NaN;
  if (rawExpiry === undefined || rawExpiry === null) {
    errors.expires_in = 'The token has no expires_in (seconds until it expires).';
  } else {
    expiresIn =
      typeof rawExpiry === 'number'
        ? rawExpiry
        : typeof rawExpiry === 'string' && rawExpiry.trim() !== ''
          ? Number(rawExpiry)
          : NaN;
    const e = expiryError(expiresIn, 'expires_in');
    if (e) errors.expires_in = e;
  }

  const extras: Partial<Pick<OAuthTokenInput, (typeof OPTIONAL_STRINGS)[number]>> = {};
  for (const field of OPTIONAL_STRINGS) {
    const value = raw[field];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'string') extras[field] = value;
    else errors[field] = `${field} must be a string.`;
  }

  if (Object.keys(errors).length > 0 || typeof access !== 'string' || !type) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    token: { access_token: access.trim(), token_type: type, expires_in: expiresIn, ...extras },
  };
}

/** Checks the form in whichever mode it is in. */
export const checkTokenForm = (form: TokenForm): TokenFormResult =>
  'json' in form ? parseTokenJson(form.json) : validateTokenFields(form.fields);
