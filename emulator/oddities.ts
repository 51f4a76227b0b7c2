// Spec-valid oddities (duplicate ids) and malformed optional fields the app never reads, added to
// the profiles Pieces OS sends, so a client's tolerance is tested over real HTTP. Only runs while
// oddities are on, so parsing and re-serializing here is fine.

import { badRequest, isRecord } from './errors';
import type { BodyShape } from './http';
import { MALFORMED_FIELDS, type MalformedField, type Oddities } from './types';

type Json = Record<string, unknown>;

/** Returns a validated copy; throws a 400 HttpError naming the bad key. */
export function parseOddities(input: unknown): Oddities {
  if (!isRecord(input))
    throw badRequest('Oddities must be an object { duplicateIds?, malformed? }.');
  const oddities: Oddities = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === 'duplicateIds') {
      if (typeof value !== 'boolean') throw badRequest('"duplicateIds" must be a boolean.');
      oddities.duplicateIds = value;
    } else if (key === 'malformed') {
      const known: readonly string[] = MALFORMED_FIELDS;
      if (
        !Array.isArray(value) ||
        !value.every((v) => typeof v === 'string' && known.includes(v))
      ) {
        throw badRequest(`"malformed" must be a list of: ${MALFORMED_FIELDS.join(', ')}.`);
      }
      oddities.malformed = [...new Set(value as MalformedField[])];
    } else {
      throw badRequest(`Unknown oddity "${key}"; use duplicateIds or malformed.`);
    }
  }
  return oddities;
}

export const hasOddities = (o: Oddities): boolean =>
  o.duplicateIds === true || (o.malformed?.length ?? 0) > 0;

/** The body with the oddities applied to every profile it holds. */
export function applyOddities(body: string, shape: BodyShape, oddities: Oddities): string {
  const root = JSON.parse(body) as Json;
  const profiles = shape === 'profile' ? [root] : shape === 'users' ? root.iterable : [root.user];
  const list = Array.isArray(profiles) ? profiles.filter(isRecord) : [];
  for (const profile of list) {
    for (const field of oddities.malformed ?? []) MALFORM[field](profile);
  }
  if (oddities.duplicateIds && shape === 'users' && Array.isArray(root.iterable)) {
    const first = list[0];
    // Same id, different details: a client that keeps the first can be told from one that doesn't.
    if (first !== undefined) {
      root.iterable.push({ ...first, name: `${String(first.name ?? first.email)} (duplicate)` });
    }
  }
  return JSON.stringify(root);
}

const MALFORM: Record<MalformedField, (profile: Json) => void> = {
  // An object in the spec; a string here.
  auth0: (profile) => {
    profile.auth0 = 'auth0-legacy-metadata';
  },
  // A GroupedTimestamp whose value is not an ISO-8601 date-time.
  providerDate: (profile) => {
    const providers = isRecord(profile.providers) ? profile.providers.iterable : undefined;
    for (const provider of Array.isArray(providers) ? providers.filter(isRecord) : []) {
      provider.created = { value: 'last Tuesday', readable: 'last Tuesday' };
    }
  },
  // An AllocationCloudUrl object in the spec; a bare string here. A profile without an allocation
  // gets one, so every profile carries the malformed field.
  allocationUrlId: (profile) => {
    const id = String(profile.id);
    const allocation = isRecord(profile.allocation)
      ? profile.allocation
      : {
          id,
          user: id,
          project: 'pieces-cloud',
          urls: { base: { url: `https://cloud.example.com/${id}`, status: 'PENDING' } },
          status: { cloud: 'PENDING' },
        };
    const urls = isRecord(allocation.urls) ? allocation.urls : {};
    allocation.urls = { ...urls, id: `https://${id}.pieces.cloud` };
    profile.allocation = allocation;
  },
};
