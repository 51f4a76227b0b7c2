// The fast path must never change an answer: for a well-formed body it gives exactly what the zod
// path gives, and for anything odd it either gives the same or steps aside (undefined) so the zod
// path, with its salvage, errors and warnings, decides.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullWireUser, ID } from '../../../test/support/wire-fixtures';
import { decodeUsers } from './decoding';
import { fastProfile, fastReturned, fastToken, fastUsers } from './fast-path';
import { toUserProfile, toUserProfiles } from './mapping';
import { salvageUsers } from './salvage';
import {
  OAuthToken,
  ReturnedUserProfile,
  USER_ID_PATTERN,
  UserProfile,
  Users,
  decode,
} from './wire';

/** What the zod path makes of `json` (the reference), or undefined when it refuses it. */
function viaZod(json: unknown) {
  const r = decode(Users, json);
  return r.ok ? toUserProfiles(r.value) : undefined;
}

const nullish = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(arb, fc.constant(null), fc.constant(undefined));
/** Optional keys: present, null, or absent (undefined values are dropped by JSON). */
const text = fc.oneof(fc.string(), fc.constantFrom('', '  ', 'Ada', 'ada@example.com', '@x'));
const date = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2024-03-04T05:06:07+02:00', 'yesterday-ish', ''),
  fc.string(),
);
const timestamp = fc.record({ value: date, readable: fc.string() }, { requiredKeys: ['value'] });
const cloudUrl = fc.record({ url: text, status: fc.constantFrom('RUNNING', 'NEW_STATUS') });
const allocation = fc.record(
  {
    id: text,
    user: text,
    project: text,
    urls: fc.record(
      { base: cloudUrl, id: cloudUrl, vanity: nullish(cloudUrl) },
      { requiredKeys: ['base', 'id'] },
    ),
    status: fc.record({ cloud: text }),
    region: nullish(text),
    version: fc.string(),
  },
  { requiredKeys: ['id', 'user', 'project', 'urls', 'status'] },
);
const provider = fc.record({
  type: text,
  user_id: text,
  created: timestamp,
  updated: timestamp,
  access_token: fc.string(),
});
const userId = fc.oneof(
  fc.uuid(),
  fc.constantFrom('auth0|6512bd43d9caa6e02c990b0a', 'github:ada', 'a/b?c#d', '...'),
  fc.string({ minLength: 1, maxLength: 40 }).filter((id) => USER_ID_PATTERN.test(id)),
);
const wireUser = fc.record(
  {
    id: userId,
    aesthetics: fc.record({
      theme: fc.record({ dark: fc.boolean() }),
      font: fc.record({ size: fc.integer() }),
    }),
    picture: nullish(text),
    email: nullish(text),
    created: nullish(timestamp),
    updated: nullish(timestamp),
    username: nullish(text),
    name: nullish(text),
    vanityname: nullish(text),
    allocation: nullish(allocation),
    providers: nullish(fc.record({ iterable: fc.array(provider, { maxLength: 3 }) })),
    auth0: nullish(fc.record({ global_id: text, cloud_key: fc.string() })),
    descope: nullish(fc.record({ global_id: text, descope_id: text })),
    unknownKey: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: ['id', 'aesthetics'] },
);
/** As it arrives: through JSON, so undefined values are absent keys. */
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const usersBody = fc
  .oneof(
    fc.record({ iterable: fc.array(wireUser, { maxLength: 6 }) }),
    fc.record({ iterable: fc.constant(null) }),
    fc.constant({}),
  )
  .map(asJson);

/** Every path to a value inside `json` (objects and arrays), the root included. */
function pathsOf(json: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(json)) json.forEach((v, i) => out.push(...pathsOf(v, [...at, i])));
  else if (json && typeof json === 'object') {
    for (const [k, v] of Object.entries(json)) out.push(...pathsOf(v, [...at, k]));
  }
  return out;
}

/** `json` with the value at `path` replaced (or the key deleted when `value` is undefined). */
function spoilAt(json: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(json) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = value;
  return copy;
}

const oddValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 1 }),
  fc.constantFrom(1.5, 2 ** 53, -0, '', '\u0000', [], {}, true),
);

const runs = { numRuns: 300 };

describe('the fast path', () => {
  it('gives what the zod path gives for every well-formed user list', () => {
    fc.assert(
      fc.property(usersBody, (json) => {
        const reference = viaZod(json);
        expect(reference).toBeDefined();
        expect(fastUsers(json)).toStrictEqual(reference);
      }),
      runs,
    );
  });

  it('gives the same as the zod path, or steps aside, for a list spoiled anywhere', () => {
    const spoiled = usersBody.chain((json) =>
      fc.tuple(fc.constantFrom(...pathsOf(json)), oddValue).map(([p, v]) => spoilAt(json, p, v)),
    );
    let stepped = 0;
    fc.assert(
      fc.property(spoiled, (json) => {
        const fast = fastUsers(json);
        if (fast === undefined) return void stepped++;
        // Accepted: the zod path must accept it too, with the same value.
        expect(fast).toStrictEqual(viaZod(json));
      }),
      { numRuns: 1000 },
    );
    // The generator does spoil: many bodies are refused by the fast path.
    expect(stepped).toBeGreaterThan(100);
  });

  it('steps aside whenever the zod schema refuses, so salvage and its warnings still happen', () => {
    const bad = fullWireUser();
    bad.auth0 = { global_id: 42 };
    const json = { iterable: [bad, fullWireUser('other')] };
    expect(viaZod(json)).toBeUndefined();
    expect(fastUsers(json)).toBeUndefined();
    const warned: string[] = [];
    const users = decodeUsers(JSON.stringify(json), 'the user list', 'GET /users', (kind) =>
      warned.push(kind),
    );
    expect(users.map((u) => u.id)).toEqual([ID, 'other']);
    expect(warned).toEqual(['auth0.global_id']);
    // And the salvage path gives, for the rest, what a clean list gives.
    expect(toUserProfiles(salvageUsers(json, () => {})!)).toStrictEqual(users);
  });

  it('steps aside for anything that is not a list of users at all', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (json) => {
        const fast = fastUsers(json);
        if (fast !== undefined) expect(fast).toStrictEqual(viaZod(json));
      }),
      runs,
    );
  });

  it('gives what the zod path gives for one profile and for GET /user, or steps aside', () => {
    const spoiledUser = wireUser.map(asJson).chain((json) =>
      fc.oneof(
        fc.constant(json),
        fc.tuple(fc.constantFrom(...pathsOf(json)), oddValue).map(([p, v]) => spoilAt(json, p, v)),
      ),
    );
    fc.assert(
      fc.property(spoiledUser, (json) => {
        const one = decode(UserProfile, json);
        const fast = fastProfile(json);
        if (fast !== undefined) expect(one.ok && toUserProfile(one.value)).toStrictEqual(fast);
        const returned = decode(ReturnedUserProfile, { user: json });
        const fastR = fastReturned({ user: json });
        if (fastR !== undefined) {
          expect(
            returned.ok && (returned.value.user ? toUserProfile(returned.value.user) : null),
          ).toStrictEqual(fastR);
        }
      }),
      runs,
    );
    expect(fastReturned({ user: null })).toBeNull();
    expect(fastReturned({})).toBeNull();
    expect(fastReturned([])).toBeUndefined();
  });

  it('sends the token zod would send (only its keys), or leaves the check to zod', () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const odd = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.boolean());
    const token = fc.record(
      {
        access_token: fc.oneof(fc.string(), odd),
        token_type: fc.oneof(fc.constantFrom('Bearer', 'UNKNOWN', ''), odd),
        expires_in: fc.oneof(fc.integer(), odd, fc.constantFrom(2 ** 53, -0, 1.5)),
        scope: maybe(fc.oneof(fc.string(), odd)),
        refresh_token: maybe(fc.oneof(fc.string(), odd)),
        id_token: maybe(fc.oneof(fc.string(), odd)),
        other: maybe(fc.string()),
      },
      { requiredKeys: [] },
    );
    // Tokens of the accepted shape, mixed in so that the comparison below always has some.
    const valid = fc.record(
      {
        access_token: fc.string({ minLength: 1 }),
        token_type: fc.constantFrom('Bearer', 'UNKNOWN'),
        expires_in: fc.integer(),
        scope: maybe(fc.string()),
        refresh_token: maybe(fc.string()),
        id_token: maybe(fc.string()),
        other: maybe(fc.string()),
      },
      { requiredKeys: ['access_token', 'token_type', 'expires_in'] },
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(token, valid), (t) => {
        const fast = fastToken(t);
        const reference = decode(OAuthToken, t);
        if (fast === undefined) return;
        accepted++;
        expect(reference.ok).toBe(true);
        // What goes out on the wire is the same, byte for byte.
        expect(JSON.stringify(fast)).toBe(JSON.stringify(reference.ok && reference.value));
      }),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(100);
    expect(fastToken([])).toBeUndefined();
    expect(fastToken(Object.create({ access_token: 'a', token_type: 'B', expires_in: 1 }))).toBe(
      undefined,
    );
  });
});
