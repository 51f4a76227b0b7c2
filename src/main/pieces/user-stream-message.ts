// What one `ws://…/user/stream` message says. Pieces OS sends the current UserProfile as JSON on
// connect and on every change; an empty or non-JSON message means nobody is signed in (Pieces'
// Python AuthWS reads it as "logged out", Raycast's UserStream as null).
import type { UserProfile } from '../../shared/domain';
import { fastProfile } from './fast-path';
import { toUserProfile } from './mapping';
import { UserProfile as WireUserProfile, decode } from './wire';

export type UserStreamMessage =
  | { kind: 'user'; profile: UserProfile }
  | { kind: 'nobody' }
  /** JSON that is not a profile; `problem` names the first bad field, never a value. */
  | { kind: 'not-a-profile'; problem: string };

export function readUserStreamMessage(text: string): UserStreamMessage {
  const trimmed = text.trim();
  if (!trimmed) return { kind: 'nobody' };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { kind: 'nobody' };
  }
  if (json === null) return { kind: 'nobody' };
  // Every switch brings one: the plain checks first, the schema (and its words) when they fail.
  const fast = fastProfile(json);
  if (fast) return { kind: 'user', profile: fast };
  const result = decode(WireUserProfile, json);
  if (!result.ok) return { kind: 'not-a-profile', problem: `${result.path}: ${result.message}` };
  return { kind: 'user', profile: toUserProfile(result.value) };
}
