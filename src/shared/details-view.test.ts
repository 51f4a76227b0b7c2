import { describe, expect, it } from 'vitest';
import type { UserProfile } from './domain';
import { accountDetails, allocationLabel, formatDate, providerLabel } from './details-view';

describe('providerLabel', () => {
  it('names every provider type Pieces OS documents, and passes unknown ones through', () => {
    const documented = [
      'github',
      'google-oauth2',
      'bitbucket',
      'linkedin',
      'twitter',
      'facebook',
      'waad',
      'discord',
      'gitlab',
      'apple',
      'username_email',
      'slack',
    ];
    for (const type of documented) expect(providerLabel(type), type).not.toBe(type);
    expect(providerLabel('GitHub')).toBe('GitHub');
    expect(providerLabel('myspace')).toBe('myspace');
    // A type Pieces OS might send that is a name of Object.prototype is not a table entry.
    expect(providerLabel('constructor')).toBe('constructor');
    expect(providerLabel('__proto__')).toBe('__proto__');
  });
});

describe('allocationLabel and formatDate', () => {
  it('word the cloud status and dates, passing unknown values through', () => {
    expect(allocationLabel('SUCCEEDED')).toBe('Ready');
    expect(allocationLabel('toString')).toBe('toString');
    expect(allocationLabel('MIGRATING')).toBe('MIGRATING');
    expect(formatDate('2024-03-05T14:30:00Z', 'en-GB')).toBe(
      new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date('2024-03-05T14:30:00Z'),
      ),
    );
    expect(formatDate('not a date')).toBe('not a date');
  });
});

describe('accountDetails', () => {
  const base: UserProfile = { id: 'u1', displayName: 'Ada', providers: [] };

  it('writes label/value lines in order, providers once each, empty values left out', () => {
    const details = accountDetails(
      {
        ...base,
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        username: 'ada',
        vanityName: 'ada-l',
        created: '2024-03-05T14:30:00Z',
        providers: [
          { type: 'google-oauth2', userId: 'g1' },
          { type: 'google', userId: 'g2' },
          { type: 'github', userId: 'h1' },
        ],
        allocation: { status: 'RUNNING', region: 'us-east1' },
      },
      'en-GB',
    );
    expect(details).toEqual({
      displayName: 'Ada',
      fields: [
        ['Name', 'Ada Lovelace'],
        ['Email', 'ada@example.com'],
        ['Username', 'ada'],
        ['Vanity name', 'ada-l'],
        ['Created', formatDate('2024-03-05T14:30:00Z', 'en-GB')],
        ['Sign-in providers', 'Google, GitHub'],
        ['Cloud', 'Running · us-east1'],
      ],
    });
  });

  it('leaves out what Pieces OS did not say, and a cloud without a region is its status alone', () => {
    expect(accountDetails(base)).toEqual({ displayName: 'Ada', fields: [] });
    expect(accountDetails({ ...base, allocation: { status: 'PENDING' } }).fields).toEqual([
      ['Cloud', 'Being set up'],
    ]);
  });
});
