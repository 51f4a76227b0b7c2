// Zod schemas of the Pieces OS Users API wire format (snake_case keys, exactly as sent).
//
// Choices, and why:
// - Unknown keys are accepted and dropped (zod's default "strip" objects, not `looseObject`):
//   a newer Pieces OS may add keys and that must never fail, but nothing downstream reads
//   them, and copying them through costs a third of the decode time.
// - Enum fields are plain strings: a new enum value (a provider, a status) must decode too.
// - Optional keys also accept `null`, treated as absent, as the official SDK does (`== null`).
// - Listed: every key the README marks required, and every optional key the app reads. A present
//   optional sub-object of the wrong shape FAILS, with the path of its first bad field: silently
//   dropping it would hide a server that no longer speaks this format.
// - Not listed (so not checked, and dropped): optional keys the app never reads (`schema`, the
//   EmbeddedModelSchema on every object; `readable`; allocation `updated`/`version`; provider
//   `access_token`/`profileData`/...; auth0/descope extras). Checking them doubled the decode
//   time for nothing: a benchmark decodes 10,000 users against the SDK's `UsersFromJSON`, which
//   checks nothing at all.
// - No transforms and no refinements beyond the `id` pattern, so zod's compiled fast path applies.
// - `id` is any non-empty string (the upstream spec says string), capped, without control
//   characters; paths carry it encodeURIComponent()-ed. A malformed optional field or a repeated
//   id does not fail a list: see salvage.ts, tried only when this strict schema fails.
import { z } from 'zod';

/** 8-4-4-4-12 hex digits. Any version and variant: Pieces OS ids only need to look like UUIDs. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuidShaped = (value: unknown): value is string =>
  typeof value === 'string' && UUID_PATTERN.test(value);

/** Longest user id accepted; Pieces OS ids are 36-character UUIDs. */
export const MAX_USER_ID_LENGTH = 256;
/**
 * A user id: 1 to 256 characters, no control characters, and not "." or ".." (which
 * encodeURIComponent leaves as they are, and a URL path would resolve).
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const USER_ID_PATTERN = /^(?!\.{1,2}$)[^\u0000-\u001f\u007f-\u009f]{1,256}$/;
export const USER_ID_RULE = 'expected a user id (1 to 256 characters, no control characters)';

export const isUserIdShaped = (value: unknown): value is string =>
  typeof value === 'string' && USER_ID_PATTERN.test(value);

const optional = <T extends z.ZodType>(schema: T) => schema.nullish();
const str = z.string();
const optStr = optional(str);
const int = z.int();

export const GroupedTimestamp = z.object({
  /** ISO-8601 date-time; mapping normalises it. */
  value: str,
});

export const Aesthetics = z.object({
  theme: z.object({ dark: z.boolean() }),
  font: z.object({ size: int }),
});

export const AllocationCloudUrl = z.object({
  url: str,
  /** AllocationStatus: UNKNOWN, PENDING, RUNNING, FAILED, SUCCEEDED, DISCONNECTED, or newer. */
  status: str,
});

export const AllocationCloud = z.object({
  id: str,
  user: str,
  project: str,
  urls: z.object({
    base: AllocationCloudUrl,
    id: AllocationCloudUrl,
    vanity: optional(AllocationCloudUrl),
  }),
  status: z.object({ cloud: str }),
  region: optStr,
});

export const ExternalProvider = z.object({
  /** github, google-oauth2, ... or a provider this app has never heard of. */
  type: str,
  user_id: str,
  created: GroupedTimestamp,
  updated: GroupedTimestamp,
});

export const ExternalProviders = z.object({
  iterable: z.array(ExternalProvider),
});

export const Auth0UserMetadata = z.object({
  global_id: str,
});

export const DescopeUserMetadata = z.object({
  global_id: str,
  descope_id: str,
});

export const UserProfile = z.object({
  id: z.string().regex(USER_ID_PATTERN, USER_ID_RULE),
  aesthetics: Aesthetics,
  picture: optStr,
  email: optStr,
  created: optional(GroupedTimestamp),
  updated: optional(GroupedTimestamp),
  username: optStr,
  name: optStr,
  vanityname: optStr,
  allocation: optional(AllocationCloud),
  providers: optional(ExternalProviders),
  auth0: optional(Auth0UserMetadata),
  descope: optional(DescopeUserMetadata),
});

export const Users = z.object({
  iterable: optional(z.array(UserProfile)),
});

export const ReturnedUserProfile = z.object({
  user: optional(UserProfile),
});

/**
 * The request body of `POST /users/authenticate/from_token`, checked before sending. Strict on
 * what we send: only these keys go out, whatever else the caller's object carries.
 */
export const OAuthToken = z.object({
  access_token: z.string().min(1, 'must not be empty'),
  /** Bearer or UNKNOWN; a newer value is passed on and Pieces OS decides. */
  token_type: z.string().min(1, 'must not be empty'),
  expires_in: z.int(),
  scope: z.string().optional(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
});

export type WireUserProfile = z.infer<typeof UserProfile>;
export type WireUsers = z.infer<typeof Users>;
export type WireReturnedUserProfile = z.infer<typeof ReturnedUserProfile>;
export type WireAllocationCloud = z.infer<typeof AllocationCloud>;
export type WireExternalProviders = z.infer<typeof ExternalProviders>;
export type WireGroupedTimestamp = z.infer<typeof GroupedTimestamp>;
export type WireOAuthToken = z.infer<typeof OAuthToken>;

export type Decoded<T> = { ok: true; value: T } | { ok: false; path: string; message: string };

/**
 * Validates `json` against `schema`. On failure, names the first bad field as a dotted path
 * (`iterable.3.id`, `(root)` for the value itself). The message never echoes input values,
 * because a body can carry tokens.
 */
export function decode<T>(schema: z.ZodType<T>, json: unknown): Decoded<T> {
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  return { ok: false, path, message: describeIssue(issue) };
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'invalid value';
  // Zod's messages name types and formats, never the input itself; "received undefined" reads
  // better as "missing".
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return 'missing';
  }
  return issue.message;
}
