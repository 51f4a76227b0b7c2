// What the app logs, one rule at a time: a connection change is any change of status or address,
// an operation starts once (not again while it runs), a failure without a status has no status
// field, and the token store registers tokens only through set().
import { describe, expect, it } from 'vitest';
import type { OAuthTokenInput } from '../../shared/domain';
import { memoryTokens } from '../../../test/support/account-testing';
import { pushedSnapshots, recordingLog } from '../../../test/support/recording-log';
import { logServiceEvents, registeringStore } from './app-log';

/** A service whose snapshots the test sets, one change at a time. */
function watched() {
  const { log, entries } = recordingLog();
  const service = pushedSnapshots();
  logServiceEvents(service, log);
  return { entries, push: service.push };
}

const A = 'http://127.0.0.1:1000';
const B = 'http://127.0.0.1:2000';

describe('connection changes', () => {
  it('a new address with the same status is a change', () => {
    const { entries, push } = watched();
    push({ connection: { status: 'connecting', url: A } });
    push({ connection: { status: 'connecting', url: B } });
    push({ connection: { status: 'connecting', url: B } });
    expect(entries).toEqual([
      ['info', 'Pieces OS connecting', { url: A }],
      ['info', 'Pieces OS connecting', { url: B }],
    ]);
  });

  it('a new status at the same address is a change', () => {
    const { entries, push } = watched();
    push({ connection: { status: 'connecting', url: A } });
    push({ connection: { status: 'online', url: A } });
    expect(entries).toEqual([
      ['info', 'Pieces OS connecting', { url: A }],
      ['info', 'Pieces OS online', { url: A }],
    ]);
  });

  it('going offline with an error that has no status gives no status field', () => {
    const { entries, push } = watched();
    push({
      connection: {
        status: 'offline',
        tried: [A],
        error: { kind: 'unreachable', message: 'nothing answers' },
        nextRetryAt: 1,
      },
    });
    expect(entries).toStrictEqual([
      [
        'warn',
        'Pieces OS offline',
        { tried: [A], error: { kind: 'unreachable', message: 'nothing answers' } },
      ],
    ]);
  });
});

describe('operations', () => {
  it('start once: other changes while one runs log nothing more', () => {
    const { entries, push } = watched();
    push({ operation: { kind: 'switch', accountId: 'a' } });
    push({ connection: { status: 'connecting', url: A } });
    push({ operation: { kind: 'switch', accountId: 'a' } });
    expect(entries).toEqual([
      ['info', 'operation started', { kind: 'switch' }],
      ['info', 'Pieces OS connecting', { url: A }],
    ]);
  });

  it('a switch to another account straight after one is a new start', () => {
    const { entries, push } = watched();
    push({ operation: { kind: 'switch', accountId: 'a' } });
    push({ operation: { kind: 'switch', accountId: 'b' } });
    expect(entries).toEqual([
      ['info', 'operation started', { kind: 'switch' }],
      ['info', 'operation started', { kind: 'switch' }],
    ]);
  });
});

describe('registeringStore', () => {
  const TOKEN: OAuthTokenInput = {
    access_token: 'a-token-value',
    token_type: 'Bearer',
    expires_in: 1,
  };

  it('registers nothing when a token is only read or listed', async () => {
    const { log, tokens } = recordingLog();
    const store = memoryTokens();
    await store.set('held', TOKEN);
    const wrapped = registeringStore(store, log);
    expect(tokens).toEqual([TOKEN]);
    expect(wrapped.get('held')).toEqual(TOKEN);
    expect(wrapped.has('held')).toBe(true);
    expect(wrapped.ids()).toEqual(['held']);
    expect(tokens).toEqual([TOKEN]);
  });
});
