// What the decoders accept, salvage and refuse, one rule at a time: a malformed optional field is
// dropped and told once per kind, a malformed required field fails the body, a repeated id keeps
// the first. Bodies are the JSON text Pieces OS sends; tolerant-decoding.test.ts has the same over
// HTTP.
import { describe, expect, it } from 'vitest';
import { thrownPiecesError } from '../../../test/support/pieces-failure';
import { aesthetics, fullWireUser, ID } from '../../../test/support/wire-fixtures';
import { decodeProfile, decodeReturned, decodeUsers } from './decoding';
import { fastProfile } from './fast-path';
import { displayNameOf, toUserProfile } from './mapping';
import { salvageProfileOf, salvageReturned, salvageUsers } from './salvage';
import { readUserStreamMessage } from './user-stream-message';
import { isUserIdShaped, isUuidShaped, UserProfile as WireUserProfile } from './wire';

const OTHER = '11111111-2222-4333-8444-555555555555';

/** A warn that records what it was told. */
function recorder() {
  const told: [string, string][] = [];
  return { told, warn: (kind: string, message: string) => void told.push([kind, message]) };
}

const users = (...list: unknown[]) => JSON.stringify({ iterable: list });
const malformed = (kind: string) =>
  [kind, `Pieces OS sent a malformed "${kind}"; the app ignores that field.`] as [string, string];

describe('decodeUsers', () => {
  it('drops a malformed optional field of each user and tells each kind once', () => {
    const { told, warn } = recorder();
    const first = { ...fullWireUser(), email: 42 };
    const second = { ...fullWireUser(OTHER), email: false, name: 'Grace' };
    const decoded = decodeUsers(users(first, second), 'the user list', 'GET /users', warn);
    expect(decoded.map((u) => [u.id, u.email, u.displayName])).toEqual([
      [ID, undefined, 'Ada Lovelace'],
      [OTHER, undefined, 'Grace'],
    ]);
    // Told once per user here; the caller keeps one per kind.
    expect(told).toEqual([malformed('email'), malformed('email')]);
  });

  it('names a nested malformed field with * for list positions', () => {
    const { told, warn } = recorder();
    const user = fullWireUser() as { providers: { iterable: Record<string, unknown>[] } };
    delete user.providers.iterable[0]!.created;
    const [decoded] = decodeUsers(users(user), 'the user list', 'GET /users', warn);
    expect(decoded?.providers).toEqual([]);
    expect(decoded?.email).toBe('ada@example.com');
    expect(told).toEqual([malformed('providers.iterable.*.created')]);
  });

  it('keeps the first of a repeated id and says so once', () => {
    const { told, warn } = recorder();
    const a = { ...fullWireUser(), name: 'first' };
    const b = { ...fullWireUser(), name: 'second' };
    const c = { ...fullWireUser(), name: 'third' };
    const decoded = decodeUsers(users(a, b, c), 'the user list', 'GET /users', warn);
    expect(decoded.map((u) => u.displayName)).toEqual(['first']);
    expect(told).toEqual([
      ['duplicate ids', 'Pieces OS listed a user id more than once; the app keeps the first.'],
    ]);
  });

  it('fails a list with a malformed required field, naming it', () => {
    const { told, warn } = recorder();
    const body = users(fullWireUser(), { id: OTHER, aesthetics: { theme: {} } });
    const err = thrownPiecesError(() => decodeUsers(body, 'the user list', 'GET /users', warn));
    expect(err.kind).toBe('bad-response');
    expect(err.path).toBe('iterable.1.aesthetics.theme.dark');
    expect(told).toEqual([]);
  });

  it('fails what is not a user list', () => {
    const { warn } = recorder();
    for (const body of ['[]', '{"iterable":"users"}', '"users"']) {
      expect(
        thrownPiecesError(() => decodeUsers(body, 'the user list', 'GET /users', warn)).kind,
      ).toBe('bad-response');
    }
  });

  it('reads a list without iterable as nobody', () => {
    expect(decodeUsers('{}', 'the user list', 'GET /users', recorder().warn)).toEqual([]);
  });
});

describe('decodeProfile and decodeReturned', () => {
  it('salvages one user with a malformed optional field', () => {
    const { told, warn } = recorder();
    const body = JSON.stringify({ ...fullWireUser(), picture: ['x'] });
    const user = decodeProfile(body, 'the user', 'GET /users/x', warn);
    expect([user.id, user.picture]).toEqual([ID, undefined]);
    expect(told).toEqual([malformed('picture')]);
  });

  it('fails one user without its required fields', () => {
    const err = thrownPiecesError(() =>
      decodeProfile(JSON.stringify({ id: ID }), 'the user', 'GET /users/x', recorder().warn),
    );
    expect(err.path).toBe('aesthetics');
  });

  it('reads a returned user, salvaged when needed, and nobody as null', () => {
    const { told, warn } = recorder();
    const salvaged = JSON.stringify({ user: { ...fullWireUser(), username: 7 } });
    const user = decodeReturned(salvaged, 'the user', 'GET /user', warn);
    expect([user?.id, user?.username]).toEqual([ID, undefined]);
    expect(told).toEqual([malformed('username')]);
    expect(decodeReturned('{}', 'the user', 'GET /user', warn)).toBeNull();
    expect(decodeReturned('{"user":null}', 'the user', 'GET /user', warn)).toBeNull();
  });

  it('fails a returned user that is not an object or lacks its id', () => {
    const { warn } = recorder();
    expect(thrownPiecesError(() => decodeReturned('[]', 'the user', 'GET /user', warn)).kind).toBe(
      'bad-response',
    );
    const noId = JSON.stringify({ user: { aesthetics } });
    expect(thrownPiecesError(() => decodeReturned(noId, 'the user', 'GET /user', warn)).path).toBe(
      'user.id',
    );
  });
});

describe('salvage on its own', () => {
  it('gives up on what is not an object with a list', () => {
    const { told, warn } = recorder();
    expect(salvageUsers(null, warn)).toBeUndefined();
    expect(salvageUsers([], warn)).toBeUndefined();
    expect(salvageUsers({ iterable: {} }, warn)).toBeUndefined();
    expect(salvageReturned('x', warn)).toBeUndefined();
    expect(salvageReturned(null, warn)).toBeUndefined();
    expect(salvageProfileOf([fullWireUser()], warn)).toBeUndefined();
    expect(told).toEqual([]);
  });

  it('leaves null and absent optional fields alone, without a word', () => {
    const { told, warn } = recorder();
    const profile = salvageProfileOf({ id: ID, aesthetics, email: null, name: 'Ada' }, warn);
    expect(profile).toMatchObject({ id: ID, email: null, name: 'Ada' });
    expect(told).toEqual([]);
  });

  it('drops every malformed optional field, not only the first', () => {
    const { told, warn } = recorder();
    const profile = salvageProfileOf(
      { ...fullWireUser(), email: 1, vanityname: 2, descope: { global_id: 3 } },
      warn,
    );
    expect(profile).toMatchObject({ id: ID, name: 'Ada Lovelace' });
    expect(profile).not.toHaveProperty('email');
    expect(profile).not.toHaveProperty('vanityname');
    expect(profile).not.toHaveProperty('descope');
    expect(told.map(([kind]) => kind)).toEqual(['email', 'vanityname', 'descope.global_id']);
  });
});

describe('user stream messages', () => {
  it('names a missing required field as missing, and a root that is not a profile', () => {
    expect(readUserStreamMessage('{}')).toEqual({ kind: 'not-a-profile', problem: 'id: missing' });
    expect(readUserStreamMessage(' 5 ')).toEqual({
      kind: 'not-a-profile',
      problem: expect.stringMatching(/^\(root\): (?!missing)/),
    });
    const wrongType = readUserStreamMessage(JSON.stringify({ id: 5, aesthetics }));
    expect(wrongType).toEqual({
      kind: 'not-a-profile',
      problem: expect.stringMatching(/^id: (?!missing).+/),
    });
  });
});

describe('ids', () => {
  it('takes a user id only as a string of the allowed shape', () => {
    expect(isUserIdShaped(ID)).toBe(true);
    expect(isUserIdShaped('github|ada')).toBe(true);
    for (const bad of [5, ['abc'], null, undefined, '', '..', 'a\u0000b', 'x'.repeat(257)]) {
      expect(isUserIdShaped(bad)).toBe(false);
    }
  });

  it('tells a UUID-shaped string, in any case, from anything else', () => {
    expect(isUuidShaped(ID)).toBe(true);
    expect(isUuidShaped(ID.toUpperCase())).toBe(true);
    for (const bad of ['github|ada', `${ID}0`, [ID], 5, null])
      expect(isUuidShaped(bad)).toBe(false);
  });
});

describe('display names', () => {
  it.each([
    [{ name: ' Ada ', username: 'ada' }, 'Ada'],
    [{ username: '  ', vanityname: 'vanity' }, 'vanity'],
    [{ username: ' ada ' }, 'ada'],
    [{ vanityname: '  ', email: 'grace@navy.mil' }, 'grace'],
    [{ email: ' grace @navy.mil' }, 'grace'],
    [{ email: 'grace' }, 'grace'],
  ])('%o -> %s', (input, expected) => {
    expect(displayNameOf(input)).toBe(expected);
  });
});

describe('the fast path for one profile', () => {
  it('maps a well-formed profile itself, as the schema path would', () => {
    const json = fullWireUser();
    expect(fastProfile(json)).toEqual(toUserProfile(WireUserProfile.parse(json)));
  });
});
