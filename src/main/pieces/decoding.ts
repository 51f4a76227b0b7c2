// From a response body to domain values: the fast path first (fast-path.ts: a hand-written check
// on the parsed JSON, no copies), and only when it is not sure, the strict zod schemas (wire.ts),
// then the tolerant salvage (salvage.ts) with their clear errors and warnings. Both paths give the
// same value for a well-formed answer; the body is parsed once either way.
import type { UserProfile } from '../../shared/domain';
import { fastProfile, fastReturned, fastUsers } from './fast-path';
import { toUserProfile, toUserProfiles } from './mapping';
import { checkJson, parseJson } from './response';
import {
  firstOfEachId,
  salvageProfileOf,
  salvageReturned,
  salvageUsers,
  type Warn,
} from './salvage';
import { ReturnedUserProfile, UserProfile as WireUserProfile, Users } from './wire';

/** A user list (`Users`): the first of each id, in order. */
export function decodeUsers(text: string, what: string, where: string, warn: Warn): UserProfile[] {
  return usersOf(parseJson(text, what, where), what, where, warn);
}

/** `Users` already parsed (the large-body path parses it in steps). */
export function usersOf(json: unknown, what: string, where: string, warn: Warn): UserProfile[] {
  const users =
    fastUsers(json) ??
    toUserProfiles(checkJson(json, Users, what, where, (j) => salvageUsers(j, warn)));
  return firstOfEachId(users, warn);
}

/** One `UserProfile`. */
export function decodeProfile(text: string, what: string, where: string, warn: Warn): UserProfile {
  const json = parseJson(text, what, where);
  return (
    fastProfile(json) ??
    toUserProfile(checkJson(json, WireUserProfile, what, where, (j) => salvageProfileOf(j, warn)))
  );
}

/** A `ReturnedUserProfile`: the user, or null when nobody is. */
export function decodeReturned(
  text: string,
  what: string,
  where: string,
  warn: Warn,
): UserProfile | null {
  const json = parseJson(text, what, where);
  const fast = fastReturned(json);
  if (fast !== undefined) return fast;
  const wire = checkJson(json, ReturnedUserProfile, what, where, (j) => salvageReturned(j, warn));
  return wire.user ? toUserProfile(wire.user) : null;
}
