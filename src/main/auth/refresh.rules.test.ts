// Renewal answers that reach the app but cannot be used: said as such, not as a provider that did
// not answer in time (which only a timeout is). Against the real OpenID test provider on loopback,
// whose token endpoint is told what to answer.
import { describe, expect, it } from 'vitest';
import { PiecesError } from '../pieces/errors';
import { refreshWithProvider } from './refresh';
import type { TestProvider } from '../../../test/support/oidc-test-provider';
import { useTestProvider } from '../../../test/support/use-test-provider';

const provider = useTestProvider();

const saved = {
  access_token: 'at',
  token_type: 'Bearer' as const,
  expires_in: 0,
  refresh_token: 'rt',
};

describe('refreshWithProvider: a 200 answer the app cannot use', () => {
  it.each<[string, NonNullable<TestProvider['tokenFault']>, string]>([
    ['an empty JSON object', { status: 200, json: true, body: '{}' }, 'OAUTH_INVALID_RESPONSE'],
    [
      'a token without its type',
      { status: 200, json: true, body: '{"access_token":"a"}' },
      'OAUTH_INVALID_RESPONSE',
    ],
    [
      'JSON that does not parse',
      { status: 200, json: true, body: 'not json' },
      'OAUTH_PARSE_ERROR',
    ],
  ])('%s is "try later", said as an unusable answer', async (_, fault, code) => {
    provider().tokenFault = fault;
    const err = await refreshWithProvider(provider().settings(), saved, {
      allowLoopbackIssuer: true,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PiecesError);
    expect(err).toMatchObject({
      kind: 'auth',
      message: `The sign-in provider at ${provider().issuer} answered something the app cannot use (${code}).`,
    });
  });
});
