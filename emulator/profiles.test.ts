import { describe, expect, it } from 'vitest';
import { UUID_RE, userIdForEmail } from './ids';
import { profileForEmail, seedProfiles } from './profiles';

// Checks the generated profiles key by key against the wire format in
// /work/shared/pieces-os/README.md: no key or enum value that is not listed there.

type Json = Record<string, unknown>;
const SCHEMA = { migration: 0, semantic: 'MAJOR_0_MINOR_0_PATCH_1' };
const STATUSES = ['UNKNOWN', 'PENDING', 'RUNNING', 'FAILED', 'SUCCEEDED', 'DISCONNECTED'];
// prettier-ignore
const PROVIDER_TYPES = [
  'github', 'google-oauth2', 'bitbucket', 'linkedin', 'twitter', 'facebook', 'waad', 'discord',
  'gitlab', 'apple', 'username_email', 'slack',
];

/** The optional keys of each object, as listed in the README. */
// prettier-ignore
const OPTIONAL = {
  profile: ['schema', 'picture', 'email', 'created', 'updated', 'username', 'name', 'vanityname',
    'allocation', 'providers', 'auth0'],
  provider: ['schema', 'access_token', 'expires_in', 'profileData', 'connection', 'isSocial'],
  allocation: ['schema', 'updated', 'version', 'region'],
  auth0: ['schema', 'cloud_key', 'stripe_customer_id', 'vanityname', 'allocation', 'open_AI', 'beta'],
};

function expectKeys(value: unknown, required: string[], optional: string[]): Json {
  expect(value).toBeTypeOf('object');
  const object = value as Json;
  for (const key of required) expect(object, key).toHaveProperty(key);
  for (const key of Object.keys(object)) expect([...required, ...optional]).toContain(key);
  if ('schema' in object) expect(object.schema).toEqual(SCHEMA);
  return object;
}

function expectTimestamp(value: unknown): void {
  const ts = expectKeys(value, ['value'], ['schema', 'readable']);
  expect(ts.value).toBeTypeOf('string');
  expect(new Date(ts.value as string).toISOString()).toBe(ts.value);
}

function expectWireProfile(value: unknown): void {
  const p = expectKeys(value, ['id', 'aesthetics'], OPTIONAL.profile);
  expect(p.id).toMatch(UUID_RE);
  const aesthetics = expectKeys(p.aesthetics, ['theme', 'font'], ['schema']);
  expect(expectKeys(aesthetics.theme, ['dark'], ['schema']).dark).toBeTypeOf('boolean');
  expect(Number.isInteger(expectKeys(aesthetics.font, ['size'], ['schema']).size)).toBe(true);
  for (const key of ['email', 'username', 'name', 'vanityname', 'picture']) {
    if (key in p) expect(p[key]).toBeTypeOf('string');
  }
  if ('picture' in p) expect(() => new URL(p.picture as string)).not.toThrow();
  if ('created' in p) expectTimestamp(p.created);
  if ('updated' in p) expectTimestamp(p.updated);
  if ('providers' in p) {
    const providers = expectKeys(p.providers, ['iterable'], ['schema']).iterable as unknown[];
    for (const value of providers) {
      const provider = expectKeys(
        value,
        ['type', 'user_id', 'created', 'updated'],
        OPTIONAL.provider,
      );
      expect(PROVIDER_TYPES).toContain(provider.type);
      expect(provider.user_id).toBeTypeOf('string');
      expectTimestamp(provider.created);
      expectTimestamp(provider.updated);
    }
  }
  if ('allocation' in p) {
    const a = expectKeys(
      p.allocation,
      ['id', 'user', 'project', 'urls', 'status'],
      OPTIONAL.allocation,
    );
    expect(a.user).toBe(p.id);
    const urls = expectKeys(a.urls, ['base', 'id'], ['schema', 'vanity']);
    for (const url of Object.values(urls)) {
      expect(STATUSES).toContain(expectKeys(url, ['url', 'status'], ['schema']).status);
    }
    expect(STATUSES).toContain(expectKeys(a.status, ['cloud'], ['schema']).cloud);
    if ('updated' in a) expectTimestamp(a.updated);
  }
  if ('auth0' in p) {
    const auth0 = expectKeys(p.auth0, ['global_id'], OPTIONAL.auth0);
    if ('allocation' in auth0) expectKeys(auth0.allocation, ['project', 'region'], []);
  }
}

/** What actually goes over the wire: undefined keys dropped. */
const wire = (value: unknown): Json[] => JSON.parse(JSON.stringify(value)) as Json[];

describe('seeded profiles', () => {
  const profiles = wire(seedProfiles(300, 5));

  it('follow the wire format exactly', () => {
    for (const profile of profiles) expectWireProfile(profile);
  });

  it('vary like real users do', () => {
    const has = (key: string): number => profiles.filter((p) => key in p).length;
    expect(has('picture')).toBeGreaterThan(0);
    expect(has('picture')).toBeLessThan(300);
    expect(has('allocation')).toBeGreaterThan(0);
    expect(has('allocation')).toBeLessThan(300);
    expect(has('vanityname')).toBeGreaterThan(0);
    const statuses = new Set(profiles.map((p) => (p.allocation as Json | undefined)?.status));
    const clouds = [...statuses].map((s) => (s as Json | undefined)?.cloud);
    expect(clouds).toEqual(expect.arrayContaining(['RUNNING', 'PENDING', undefined]));
    const types = new Set(
      profiles.flatMap((p) => ((p.providers as Json).iterable as Json[]).map((x) => x.type)),
    );
    expect([...types]).toEqual(expect.arrayContaining(['github', 'google-oauth2']));
    expect(types.size).toBeGreaterThan(5);
  });

  it('have unique emails and ids derived from them', () => {
    expect(new Set(profiles.map((p) => p.email)).size).toBe(300);
    for (const p of profiles) expect(p.id).toBe(userIdForEmail(p.email as string));
  });
});

describe('profiles for minted emails', () => {
  it('follow the wire format and depend only on the email, dates included', () => {
    const a = wire([profileForEmail('Grace@Example.com', 'Grace H')])[0];
    const b = wire([profileForEmail('grace@example.com', 'Grace H')])[0];
    expectWireProfile(a);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ email: 'grace@example.com', name: 'Grace H', username: 'grace' });
    // Fixed dates in the seeded range, not the time of the run: screenshots stay the same.
    const created = Date.parse((a?.created as Json).value as string);
    expect(created).toBeGreaterThanOrEqual(Date.UTC(2022, 0, 1));
    expect(created).toBeLessThan(Date.UTC(2024, 0, 2));
    expect(Date.parse((a?.updated as Json).value as string)).toBeGreaterThanOrEqual(created);
  });
});
