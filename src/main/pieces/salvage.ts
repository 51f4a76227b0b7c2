// What the client does when an answer fails the strict wire schema: keep every user whose
// required fields are sound, drop the malformed optional fields (the upstream spec allows more
// than this app reads), and keep the first of users listed twice. Only tried after the strict
// decode failed, so a normal answer pays nothing for it (a benchmark decodes 10,000 users).
import type { UserProfile as DomainProfile } from '../../shared/domain';
import { ReturnedUserProfile, UserProfile, Users, type WireUserProfile } from './wire';

/** Told once per kind of problem (a field path, "duplicate ids"), however many users have it. */
export type Warn = (kind: string, message: string) => void;

/** The optional keys of a profile: each is dropped on its own when malformed. */
const OPTIONAL_KEYS = [
  'picture',
  'email',
  'created',
  'updated',
  'username',
  'name',
  'vanityname',
  'allocation',
  'providers',
  'auth0',
  'descope',
] as const satisfies readonly (keyof WireUserProfile)[];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `providers.iterable.3.created` -> `providers.iterable.*.created`: one kind for every user. */
const kindOf = (path: readonly PropertyKey[]): string =>
  path.map((p) => (typeof p === 'number' ? '*' : String(p))).join('.');

/** A copy of `value` without its malformed optional fields; anything else is returned as is. */
function salvageProfile(value: unknown, warn: Warn): unknown {
  if (!isObject(value)) return value;
  const copy: Record<string, unknown> = { ...value };
  for (const key of OPTIONAL_KEYS) {
    const field = copy[key];
    if (field === undefined || field === null) continue;
    const parsed = UserProfile.shape[key].safeParse(field);
    if (parsed.success) continue;
    delete copy[key];
    const kind = kindOf([key, ...(parsed.error.issues[0]?.path ?? [])]);
    warn(kind, `Pieces OS sent a malformed "${kind}"; the app ignores that field.`);
  }
  return copy;
}

/** The user list with malformed optional fields dropped, or undefined when that is not enough. */
export function salvageUsers(json: unknown, warn: Warn) {
  if (!isObject(json) || !Array.isArray(json.iterable)) return undefined;
  const result = Users.safeParse({
    ...json,
    iterable: json.iterable.map((u) => salvageProfile(u, warn)),
  });
  return result.success ? result.data : undefined;
}

export function salvageProfileOf(json: unknown, warn: Warn) {
  const result = UserProfile.safeParse(salvageProfile(json, warn));
  return result.success ? result.data : undefined;
}

export function salvageReturned(json: unknown, warn: Warn) {
  if (!isObject(json)) return undefined;
  const result = ReturnedUserProfile.safeParse({ ...json, user: salvageProfile(json.user, warn) });
  return result.success ? result.data : undefined;
}

/** The first profile of each id, in order; a repeated id is told once (the window keys by id). */
export function firstOfEachId(profiles: DomainProfile[], warn: Warn): DomainProfile[] {
  const seen = new Set<string>();
  let repeated = false;
  const out: DomainProfile[] = [];
  for (const p of profiles) {
    if (seen.has(p.id)) {
      repeated = true;
      continue;
    }
    seen.add(p.id);
    out.push(p);
  }
  if (!repeated) return profiles;
  tellRepeatedIds(warn);
  return out;
}

export const tellRepeatedIds = (warn: Warn) =>
  warn('duplicate ids', 'Pieces OS listed a user id more than once; the app keeps the first.');
