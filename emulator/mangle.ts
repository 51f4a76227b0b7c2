// Rewrites the profiles inside a JSON body for the missingField and extraFields faults. Only runs
// while such a fault is on, so parsing and re-serializing here is fine.

import { isRecord } from './errors';
import type { BodyShape } from './http';
import type { Fault } from './types';
import { timestamp } from './wire';

type Json = Record<string, unknown>;

export function mangleBody(body: string, shape: BodyShape, fault: Fault): string {
  const root = JSON.parse(body) as Json;
  for (const profile of profilesIn(root, shape)) {
    if (fault.missingField !== undefined) delete profile[fault.missingField];
    if (fault.extraFields) addUnknowns(profile);
  }
  if (fault.extraFields && shape !== 'profile') root.next_page_token = 'emulator-extra';
  return JSON.stringify(root);
}

function profilesIn(root: Json, shape: BodyShape): Json[] {
  if (shape === 'profile') return [root];
  const list = shape === 'users' ? root.iterable : [root.user];
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

/** Keys and enum values a newer Pieces OS might send; clients must tolerate them. */
function addUnknowns(profile: Json): void {
  profile.favorite_editor = 'vim';
  profile.emulator_extra = { nested: [1, 'two', null], enabled: true };
  if (isRecord(profile.aesthetics) && isRecord(profile.aesthetics.theme)) {
    profile.aesthetics.theme.contrast = 'high';
  }
  const when = timestamp(Date.UTC(2024, 0, 1));
  const myspace = { type: 'myspace', user_id: 'tom', created: when, updated: when, friends: 1 };
  const providers = isRecord(profile.providers) ? profile.providers.iterable : undefined;
  if (Array.isArray(providers)) providers.push(myspace);
  else profile.providers = { iterable: [myspace] };
  const id = String(profile.id ?? 'unknown');
  const url = { url: `https://${id}.pieces.cloud`, status: 'HIBERNATING' };
  profile.allocation = isRecord(profile.allocation)
    ? { ...profile.allocation, status: { cloud: 'HIBERNATING' }, tier: 'free' }
    : {
        id,
        user: id,
        project: 'p',
        region: 'r',
        urls: { base: url, id: url },
        status: { cloud: 'HIBERNATING' },
      };
}
