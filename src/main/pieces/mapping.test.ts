import { describe, expect, it } from 'vitest';
import { displayNameOf, toUserProfile, toUserProfiles } from './mapping';
import { UserProfile, decode, type WireUserProfile } from './wire';
import { ID, fullWireUser } from '../../../test/support/wire-fixtures';

function wire(json: unknown): WireUserProfile {
  const result = decode(UserProfile, json);
  if (!result.ok) throw new Error(`${result.path}: ${result.message}`);
  return result.value;
}

const aesthetics = { theme: { dark: false }, font: { size: 12 } };

describe('toUserProfile', () => {
  it('maps every field the app shows to camelCase domain values', () => {
    expect(toUserProfile(wire(fullWireUser()))).toEqual({
      id: ID,
      displayName: 'Ada Lovelace',
      email: 'ada@example.com',
      username: 'ada',
      name: 'Ada Lovelace',
      vanityName: 'ada',
      picture: 'https://picsum.photos/200',
      created: '2024-01-02T03:04:05.000Z',
      updated: '2024-02-03T04:05:06.000Z',
      providers: [{ type: 'github', userId: 'github|42' }],
      allocation: {
        status: 'RUNNING',
        project: 'pieces-prod',
        region: 'us-central1',
        url: 'https://ada.pieces.cloud',
      },
      darkTheme: true,
    });
  });

  it('never carries a provider access token into the domain value', () => {
    expect(JSON.stringify(toUserProfile(wire(fullWireUser())))).not.toContain(
      'gho_provider_secret',
    );
  });

  it('uses the base cloud URL when there is no vanity URL', () => {
    const json = fullWireUser();
    delete (json.allocation as { urls: Record<string, unknown> }).urls.vanity;
    expect(toUserProfile(wire(json)).allocation?.url).toBe('https://base.pieces.cloud');
  });

  it('normalises dates to toISOString form and drops one that is not a date', () => {
    const json = {
      id: ID,
      aesthetics,
      created: { value: '2024-03-04T05:06:07+02:00' },
      updated: { value: 'yesterday-ish' },
    };
    const user = toUserProfile(wire(json));
    expect(user.created).toBe('2024-03-04T03:06:07.000Z');
    expect(user.updated).toBeUndefined();
  });

  it('gives a minimal user no providers, no allocation, and the theme it has', () => {
    const user = toUserProfile(wire({ id: ID, aesthetics, email: null }));
    expect(user).toMatchObject({ providers: [], allocation: undefined, darkTheme: false });
    expect(user.email).toBeUndefined();
  });
});

describe('displayNameOf', () => {
  it.each([
    [{ name: 'Ada', username: 'ada', vanityname: 'a', email: 'x@y.z' }, 'Ada'],
    [{ name: '  ', username: 'ada', vanityname: 'a', email: 'x@y.z' }, 'ada'],
    [{ vanityname: 'vanity', email: 'x@y.z' }, 'vanity'],
    [{ email: 'grace.hopper@navy.mil' }, 'grace.hopper'],
    [{ email: '@nolocal' }, 'Unknown user'],
    [{}, 'Unknown user'],
  ])('%o -> %s', (input, expected) => {
    expect(displayNameOf(input)).toBe(expected);
  });
});

describe('toUserProfiles', () => {
  it('maps an absent iterable to an empty list', () => {
    expect(toUserProfiles({})).toEqual([]);
  });
});
