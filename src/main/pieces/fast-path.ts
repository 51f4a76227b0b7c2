// The hot path for a well-formed answer: a hand-written check of exactly what wire.ts's zod schemas
// check, made on the parsed JSON in place, then the mapping. zod 4 copies every object it checks
// (stripping unknown keys) and pays per object for it; at 10,000 users that was more than the
// JSON.parse itself. Nothing here copies: the mapping reads only the keys checked, so unknown keys
// need no stripping.
//
// The rule that keeps this safe: this path may refuse more than the schemas, never accept more.
// Whatever it is not sure of (a wrong type, a null where a value is required, an id the pattern
// refuses, an integer out of the safe range) gives `undefined`, and the caller takes the zod path,
// which names the bad field, salvages what it can (salvage.ts) and warns. A property test holds
// the two paths to the same result (fast-path.test.ts).
import type { UserProfile } from '../../shared/domain';
import { toUserProfile } from './mapping';
import { USER_ID_PATTERN, type WireOAuthToken, type WireUserProfile } from './wire';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isString = (v: unknown): v is string => typeof v === 'string';

/** zod's `.nullish()` of a string. */
const optString = (v: unknown) => v == null || typeof v === 'string';

/** GroupedTimestamp: `{ value: string }`. */
const isTimestamp = (v: unknown) => isObject(v) && isString(v.value);

const optTimestamp = (v: unknown) => v == null || isTimestamp(v);

/** AllocationCloudUrl: `{ url: string, status: string }`. */
const isCloudUrl = (v: unknown) => isObject(v) && isString(v.url) && isString(v.status);

function isAesthetics(v: unknown): boolean {
  if (!isObject(v)) return false;
  const { theme, font } = v;
  return (
    isObject(theme) &&
    typeof theme.dark === 'boolean' &&
    isObject(font) &&
    // z.int() is a safe integer.
    Number.isSafeInteger(font.size)
  );
}

function isAllocation(v: unknown): boolean {
  if (!isObject(v)) return false;
  const { urls, status } = v;
  return (
    isString(v.id) &&
    isString(v.user) &&
    isString(v.project) &&
    isObject(urls) &&
    isCloudUrl(urls.base) &&
    isCloudUrl(urls.id) &&
    (urls.vanity == null || isCloudUrl(urls.vanity)) &&
    isObject(status) &&
    isString(status.cloud) &&
    optString(v.region)
  );
}

function isProviders(v: unknown): boolean {
  if (!isObject(v)) return false;
  const list = v.iterable;
  if (!Array.isArray(list)) return false;
  for (const p of list) {
    if (
      !isObject(p) ||
      !isString(p.type) ||
      !isString(p.user_id) ||
      !isTimestamp(p.created) ||
      !isTimestamp(p.updated)
    ) {
      return false;
    }
  }
  return true;
}

/** What wire.ts's `UserProfile` accepts, or less. */
export function isWireProfile(v: unknown): v is WireUserProfile {
  if (!isObject(v)) return false;
  const { id, auth0, descope } = v;
  return (
    isString(id) &&
    USER_ID_PATTERN.test(id) &&
    isAesthetics(v.aesthetics) &&
    optString(v.picture) &&
    optString(v.email) &&
    optTimestamp(v.created) &&
    optTimestamp(v.updated) &&
    optString(v.username) &&
    optString(v.name) &&
    optString(v.vanityname) &&
    (v.allocation == null || isAllocation(v.allocation)) &&
    (v.providers == null || isProviders(v.providers)) &&
    (auth0 == null || (isObject(auth0) && isString(auth0.global_id))) &&
    (descope == null ||
      (isObject(descope) && isString(descope.global_id) && isString(descope.descope_id)))
  );
}

/** One profile, or undefined: take the zod path. */
export function fastProfile(json: unknown): UserProfile | undefined {
  return isWireProfile(json) ? toUserProfile(json) : undefined;
}

/** `Users` mapped, one pass, or undefined: take the zod path. */
export function fastUsers(json: unknown): UserProfile[] | undefined {
  if (!isObject(json)) return undefined;
  const list = json.iterable;
  if (list == null) return [];
  if (!Array.isArray(list)) return undefined;
  const out = new Array<UserProfile>(list.length);
  for (let i = 0; i < list.length; i++) {
    const u: unknown = list[i];
    if (!isWireProfile(u)) return undefined;
    out[i] = toUserProfile(u);
  }
  return out;
}

/** `ReturnedUserProfile` mapped (`null`: nobody), or undefined: take the zod path. */
export function fastReturned(json: unknown): UserProfile | null | undefined {
  if (!isObject(json)) return undefined;
  const user = json.user;
  if (user == null) return null;
  return fastProfile(user);
}

/**
 * The token to send for `POST /users/authenticate/from_token`, as wire.ts's `OAuthToken` makes it
 * (only its keys), or undefined: take the zod path, which says what is wrong.
 */
export function fastToken(token: unknown): WireOAuthToken | undefined {
  // A plain object, as IPC delivers it: anything else is left to zod.
  if (!isObject(token) || Object.getPrototypeOf(token) !== Object.prototype) return undefined;
  const { access_token, token_type, expires_in, scope, refresh_token, id_token } = token;
  if (
    typeof access_token !== 'string' ||
    access_token === '' ||
    typeof token_type !== 'string' ||
    token_type === '' ||
    typeof expires_in !== 'number' ||
    !Number.isSafeInteger(expires_in)
  ) {
    return undefined;
  }
  const out: WireOAuthToken = { access_token, token_type, expires_in };
  for (const [key, value] of [
    ['scope', scope],
    ['refresh_token', refresh_token],
    ['id_token', id_token],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string') return undefined;
    out[key] = value;
  }
  return out;
}
