// The OpenID provider setting: what counts as a valid issuer, client id and scope list. Shared by
// the settings file and the IPC validators so both refuse the same things.
import { z } from 'zod';
import type { OAuthProviderSettings } from '../../shared/domain';

/** The scopes asked for when a setting does not say: an id token, the email and name, a refresh token. */
export const DEFAULT_SCOPES = ['openid', 'email', 'profile', 'offline_access'];

/** 127.0.0.0/8, ::1 or localhost, as `URL.hostname` spells them. */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  const parts = hostname.split('.');
  return (
    parts.length === 4 &&
    parts[0] === '127' &&
    parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)
  );
}

/** True for an http:// URL whose host is a loopback address. */
export function isLoopbackHttpUrl(url: URL): boolean {
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/**
 * An issuer the app may talk to: https://, or http:// on a loopback address (a provider run by a
 * test). No credentials, query or fragment (OpenID Connect Discovery 1.0, section 3).
 */
export function isAllowedIssuer(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) return false;
  return url.protocol === 'https:' || isLoopbackHttpUrl(url);
}

// RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const scopeToken = z
  .string()
  .max(100)
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be a scope name without spaces or quotes');

export const oauthProviderSchema = z.strictObject({
  issuer: z
    .string()
    .max(2_048)
    .refine(isAllowedIssuer, 'must be an https:// URL (http:// only on 127.0.0.1 or localhost)'),
  clientId: z
    .string()
    .min(1, 'is required')
    .max(256)
    .regex(/^[\x21-\x7E]+$/, 'must be printable characters without spaces'),
  scopes: z
    .array(scopeToken)
    .min(1)
    .max(20)
    .refine((s) => s.includes('openid'), 'must include "openid" (the app needs an id token)'),
}) satisfies z.ZodType<OAuthProviderSettings>;

/** The same issuer, spelled either way (with or without a trailing slash). */
export function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}
