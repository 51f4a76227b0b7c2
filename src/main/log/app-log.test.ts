import { describe, expect, it } from 'vitest';
import type { OAuthTokenInput } from '../../shared/domain';
import { memoryTokens } from '../../../test/support/account-testing';
import { pushedSnapshots, recordingLog } from '../../../test/support/recording-log';
import type { PiecesClient } from '../pieces/types';
import { logServiceEvents, registeringStore, registeringTokens } from './app-log';

const TOKEN: OAuthTokenInput = {
  access_token: 'a-token-value',
  token_type: 'Bearer',
  expires_in: 1,
};

describe('logServiceEvents', () => {
  it('logs connection changes and each operation’s start and outcome, by kind and message only', () => {
    const { log, entries } = recordingLog();
    const service = pushedSnapshots();
    logServiceEvents(service, log);
    service.push({ connection: { status: 'online', url: 'http://127.0.0.1:1' } });
    service.push({ connection: { status: 'online', url: 'http://127.0.0.1:1', updates: 'live' } });
    service.push({ connection: { status: 'online', url: 'http://127.0.0.1:1', updates: 'live' } });
    service.push({
      connection: { status: 'online', url: 'http://127.0.0.1:1', updates: 'polling' },
    });
    service.push({ operation: { kind: 'switch', accountId: 'a' } });
    service.push({ operation: null });
    service.push({ operation: { kind: 'sign-in' } });
    const error = { kind: 'http' as const, message: 'Pieces OS answered 500.', status: 500 };
    service.push({ operation: null, lastError: { operation: { kind: 'sign-in' }, error } });
    // Sign out all reports partial failures just after it ends.
    service.push({ operation: { kind: 'sign-out-all' }, lastError: null });
    service.push({ operation: null });
    const partial = {
      operation: { kind: 'sign-out-all' as const },
      error: { ...error, message: 'Could not sign out of Ada.' },
    };
    service.push({ lastError: partial });
    service.push({ lastError: partial }); // the same failure again: not logged twice
    service.push({
      connection: {
        status: 'offline',
        tried: ['http://127.0.0.1:1'],
        error: { kind: 'unreachable', message: 'gone' },
        nextRetryAt: 1,
      },
    });
    expect(
      entries.map(([level, message, f]) => `${level} ${message} ${JSON.stringify(f)}`),
    ).toEqual([
      'info Pieces OS online {"url":"http://127.0.0.1:1"}',
      'info Following Pieces OS live (its WebSocket streams) {"url":"http://127.0.0.1:1"}',
      'info Polling Pieces OS (it has no WebSocket streams) {"url":"http://127.0.0.1:1"}',
      'info operation started {"kind":"switch"}',
      'info operation succeeded {"kind":"switch"}',
      'info operation started {"kind":"sign-in"}',
      'warn operation failed {"kind":"sign-in","error":{"kind":"http","message":"Pieces OS answered 500.","status":500}}',
      'info operation started {"kind":"sign-out-all"}',
      'info operation succeeded {"kind":"sign-out-all"}',
      'warn operation failed {"kind":"sign-out-all","error":{"kind":"http","message":"Could not sign out of Ada.","status":500}}',
      'warn Pieces OS offline {"tried":["http://127.0.0.1:1"],"error":{"kind":"unreachable","message":"gone"}}',
    ]);
  });
});

describe('registering tokens as secrets', () => {
  it('registers every token a store holds, and each one stored later, leaving the rest alone', async () => {
    const { log, tokens } = recordingLog();
    const store = memoryTokens();
    await store.set('held', TOKEN);
    const wrapped = registeringStore(store, log);
    expect(tokens).toEqual([TOKEN]);
    const later = { ...TOKEN, access_token: 'a-later-token' };
    expect(await wrapped.set('later', later)).toBeNull();
    expect(tokens).toEqual([TOKEN, later]);
    expect(store.get('later')).toEqual(later);
    const renewed = { ...TOKEN, access_token: 'a-renewed-token' };
    store.failWrites = true;
    expect(await wrapped.set('later', renewed)).toBeInstanceOf(Error);
    expect(tokens).toEqual([TOKEN, later, renewed]);
    expect(store.get('later')).toEqual(renewed);
    store.failWrites = false;
    expect(wrapped.persistent).toBe(true);
    expect(wrapped.ids()).toEqual(['held', 'later']);
  });

  it('registers a token before the client sends it', async () => {
    const { log, tokens } = recordingLog();
    const seen: unknown[] = [];
    const client = {
      signInWithToken: async (t: OAuthTokenInput) => {
        seen.push([...tokens]);
        throw new Error(`refused ${t.access_token}`);
      },
    } as unknown as PiecesClient;
    await expect(registeringTokens(client, log).signInWithToken(TOKEN)).rejects.toThrow();
    expect(seen).toEqual([[TOKEN]]);
  });
});
