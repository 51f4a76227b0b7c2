import { UserProfileToJSON, UsersToJSON } from '@pieces.app/pieces-os-client';
import { describe, expect, it } from 'vitest';
import { OAuthToken, ReturnedUserProfile, UserProfile, Users, decode } from './wire';
import { ID, aesthetics, fullWireUser, schema } from '../../../test/support/wire-fixtures';

const minimalUser = () => ({ id: ID, aesthetics });

function failure(result: ReturnType<typeof decode>) {
  if (result.ok) throw new Error('expected the decode to fail');
  return result;
}

describe('wire UserProfile', () => {
  it('decodes a user carrying every documented key', () => {
    const result = decode(UserProfile, fullWireUser());
    expect(result.ok).toBe(true);
  });

  it('decodes a user with only the two required keys, id and aesthetics', () => {
    expect(decode(UserProfile, minimalUser()).ok).toBe(true);
  });

  it.each(['id', 'aesthetics'])('fails naming the path when required %s is missing', (key) => {
    const user: Record<string, unknown> = minimalUser();
    delete user[key];
    expect(failure(decode(UserProfile, user))).toMatchObject({ path: key, message: 'missing' });
  });

  it('accepts any non-empty id the spec allows (a string), not only UUIDs', () => {
    for (const id of ['auth0|123', 'a@b.example', 'x/y', 'ünï cödé']) {
      expect(decode(UserProfile, { ...minimalUser(), id }).ok).toBe(true);
    }
  });

  it.each(['', '.', '..', 'a\nb', 'tab\there', 'x'.repeat(257)])(
    'refuses the id %j (empty, a path step, control characters, too long)',
    (id) => {
      const result = failure(decode(UserProfile, { ...minimalUser(), id }));
      expect(result).toMatchObject({ path: 'id' });
    },
  );

  it('accepts a UUID of any version and case (Pieces OS ids only need the shape)', () => {
    const id = '00000000-0000-0000-0000-00000000ABCD';
    expect(decode(UserProfile, { ...minimalUser(), id }).ok).toBe(true);
  });

  it('accepts unknown keys at every level and unknown enum values', () => {
    const user = fullWireUser();
    user.favorite_editor = 'vim';
    const alloc = user.allocation as { status: Record<string, unknown>; urls: { base: object } };
    alloc.status.cloud = 'HIBERNATING';
    alloc.status.flavour = 'new';
    (user.providers as { iterable: Record<string, unknown>[] }).iterable[0]!.type = 'mastodon';
    (user.aesthetics as Record<string, unknown>).layout = { compact: true };
    const result = decode(UserProfile, user);
    expect(result.ok && result.value.allocation?.status.cloud).toBe('HIBERNATING');
    expect(result.ok && result.value.providers?.iterable[0]?.type).toBe('mastodon');
  });

  it('treats null optional keys as absent, as the official SDK does', () => {
    const user = {
      ...minimalUser(),
      email: null,
      allocation: null,
      providers: null,
      created: null,
    };
    expect(decode(UserProfile, user).ok).toBe(true);
  });

  it('fails on a present optional sub-object of the wrong shape, naming the deepest bad field', () => {
    const user = fullWireUser();
    (user.allocation as { urls: { base: { url: unknown } } }).urls.base.url = 42;
    expect(failure(decode(UserProfile, user))).toMatchObject({
      path: 'allocation.urls.base.url',
      message: expect.stringContaining('expected string'),
    });
  });

  it('fails when a provider list lacks its required iterable', () => {
    const user = { ...minimalUser(), providers: {} };
    expect(failure(decode(UserProfile, user)).path).toBe('providers.iterable');
  });

  it('fails on a wrong type for a scalar the app shows', () => {
    const user = { ...minimalUser(), email: 7 };
    expect(failure(decode(UserProfile, user))).toMatchObject({ path: 'email' });
  });

  it('decodes what the official SDK encodes', () => {
    // The SDK's model (camelCase, Date values) serialized by its own ToJSON.
    const sdkUser = UserProfileToJSON({
      id: ID,
      aesthetics: { theme: { dark: false }, font: { size: 12 } },
      email: 'sdk@example.com',
      created: { value: new Date('2024-05-06T07:08:09Z') },
      providers: {
        iterable: [
          {
            type: 'github',
            userId: 'github|1',
            created: { value: new Date('2024-05-06T07:08:09Z') },
            updated: { value: new Date('2024-05-06T07:08:09Z') },
          },
        ],
      },
    });
    const wire = JSON.parse(JSON.stringify(sdkUser)) as unknown;
    expect(decode(UserProfile, wire).ok).toBe(true);
  });
});

describe('wire Users and ReturnedUserProfile', () => {
  it('accepts an empty object: nothing in Users is required', () => {
    expect(decode(Users, {})).toEqual({ ok: true, value: {} });
  });

  it('names the index of the first bad user in the path', () => {
    const users = [fullWireUser(), minimalUser(), minimalUser(), { aesthetics }];
    expect(failure(decode(Users, { iterable: users }))).toMatchObject({ path: 'iterable.3.id' });
  });

  it('decodes a Users the SDK encodes', () => {
    const wire = JSON.parse(
      JSON.stringify(
        UsersToJSON({
          iterable: [{ id: ID, aesthetics: { theme: { dark: true }, font: { size: 1 } } }],
        }),
      ),
    ) as unknown;
    expect(decode(Users, wire).ok).toBe(true);
  });

  it('reports a root that is not an object as (root)', () => {
    expect(failure(decode(Users, [])).path).toBe('(root)');
  });

  it('accepts a ReturnedUserProfile without user (nobody is current)', () => {
    expect(decode(ReturnedUserProfile, { schema })).toEqual({ ok: true, value: {} });
  });

  it('checks the user inside a ReturnedUserProfile', () => {
    expect(failure(decode(ReturnedUserProfile, { user: { id: ID } })).path).toBe('user.aesthetics');
  });
});

describe('wire OAuthToken (checked before sending)', () => {
  const token = { access_token: 'secret-token-value', token_type: 'Bearer', expires_in: 3600 };

  it('accepts the documented shape, scope optional, and keeps only documented keys', () => {
    const result = decode(OAuthToken, { ...token, extra: 'dropped' });
    expect(result).toEqual({ ok: true, value: token });
  });

  it('accepts an unknown token_type: Pieces OS decides', () => {
    expect(decode(OAuthToken, { ...token, token_type: 'DPoP' }).ok).toBe(true);
  });

  it.each([
    [{ ...token, access_token: '' }, 'access_token'],
    [{ ...token, expires_in: '3600' }, 'expires_in'],
    [{ ...token, expires_in: 1.5 }, 'expires_in'],
    [{ access_token: 'x', expires_in: 1 }, 'token_type'],
  ])('refuses %o at %s, without repeating the value', (input, path) => {
    const result = failure(decode(OAuthToken, input));
    expect(result.path).toBe(path);
    expect(result.message).not.toContain('secret-token-value');
  });
});
