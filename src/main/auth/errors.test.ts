// What a sign-in failure says, for each kind of error openid-client throws. The errors are built
// the way openid-client builds them from a provider's answer; the provider's own text
// (error_description) never reaches the words.
import { describe, expect, it } from 'vitest';
import { AuthorizationResponseError, ClientError, ResponseBodyError } from 'openid-client';
import { PiecesError } from '../pieces/errors';

/** A ClientError as openid-client makes one: its typings leave out the code option it takes. */
const clientError = (message: string, options: { cause?: unknown; code?: string }) =>
  new ClientError(message, options as ErrorOptions);
import { toSignInError } from './errors';

const ISSUER = 'https://login.example.com';

const authorizationResponse = (params: Record<string, string>) =>
  new AuthorizationResponseError('authorization response', {
    cause: new URLSearchParams(params),
  });

const bodyError = (body: { error: string; error_description?: string }, status = 400) =>
  new ResponseBodyError('token endpoint', { cause: body, response: new Response('', { status }) });

describe('toSignInError: a sign-in failure in words', () => {
  it('passes a PiecesError on as it is', () => {
    const err = new PiecesError('timeout', 'The sign-in took too long.');
    expect(toSignInError(err, ISSUER)).toBe(err);
  });

  it('says what the provider answered at the authorization step, by its error code', () => {
    const says = (error: string) =>
      toSignInError(authorizationResponse({ error, error_description: 'trust me' }), ISSUER);
    expect(says('access_denied').message).toBe(
      'The sign-in was declined at the provider, so no account was added.',
    );
    for (const code of [
      'login_required',
      'interaction_required',
      'consent_required',
      'account_selection_required',
    ]) {
      expect(says(code).message, code).toBe(
        'The provider needs you to finish signing in in the browser. Try again.',
      );
    }
    for (const code of ['temporarily_unavailable', 'server_error']) {
      expect(says(code).message, code).toBe(
        'The sign-in provider had a problem. Try again in a moment.',
      );
    }
    expect(says('invalid_scope').message).toBe(
      'The sign-in provider refused the sign-in (invalid_scope).',
    );
    for (const code of ['access_denied', 'login_required', 'server_error', 'invalid_scope']) {
      expect(says(code).kind).toBe('auth');
      expect(says(code).message).not.toContain('trust me');
    }
  });

  it('does not repeat an error code that does not look like one', () => {
    for (const error of ['<script>alert(1)</script>', 'two words', '', 'x'.repeat(65)]) {
      expect(toSignInError(authorizationResponse({ error }), ISSUER).message, error).toBe(
        'The sign-in provider refused the sign-in (unknown_error).',
      );
    }
    // The longest and widest code that still counts as one.
    const widest = `a.B-9_${'z'.repeat(58)}`;
    expect(toSignInError(authorizationResponse({ error: widest }), ISSUER).message).toBe(
      `The sign-in provider refused the sign-in (${widest}).`,
    );
  });

  it('says the token endpoint refused, with its code when it sent one', () => {
    const refused = toSignInError(
      bodyError({ error: 'invalid_grant', error_description: 'trust me' }),
      ISSUER,
    );
    expect(refused).toMatchObject({
      kind: 'auth',
      message: 'The sign-in provider refused to complete the sign-in (invalid_grant). Try again.',
    });
    expect(toSignInError(bodyError({ error: 'bad code!' }), ISSUER).message).toBe(
      'The sign-in provider refused to complete the sign-in. Try again.',
    );
  });

  it('names a state mismatch as an answer that is not this sign-in’s', () => {
    const mismatch = clientError('unexpected', {
      cause: new Error('unexpected "state" response parameter value'),
      code: 'OAUTH_INVALID_RESPONSE',
    });
    expect(toSignInError(mismatch, ISSUER)).toMatchObject({
      kind: 'auth',
      message:
        'The answer that reached the app does not belong to this sign-in (its state does not match), so it was refused. Try again.',
    });
  });

  it('says the provider could not be reached when fetch failed', () => {
    expect(toSignInError(new TypeError('fetch failed'), ISSUER)).toMatchObject({
      kind: 'auth',
      message: `The sign-in provider at ${ISSUER} could not be reached. Check the connection and the provider setting.`,
    });
  });

  it('says the provider answered something unusable, with the client error code when it is one', () => {
    const odd = (code: string | undefined, cause?: unknown) =>
      toSignInError(clientError('odd', { cause, code }), ISSUER).message;
    expect(odd('OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED', new Error('"nonce" mismatch'))).toBe(
      `The sign-in provider at ${ISSUER} answered something the app cannot use (OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED).`,
    );
    // A cause that is not an Error, mentioning "state", is no state mismatch.
    expect(odd('OAUTH_INVALID_RESPONSE', '"state"')).toBe(
      `The sign-in provider at ${ISSUER} answered something the app cannot use (OAUTH_INVALID_RESPONSE).`,
    );
    expect(toSignInError(clientError('odd', {}), ISSUER).kind).toBe('auth');
    expect(odd(undefined)).toBe(
      `The sign-in provider at ${ISSUER} answered something the app cannot use.`,
    );
  });

  it('falls back to a plain sentence for anything else', () => {
    for (const err of [new Error('internal detail'), 'a string', undefined]) {
      expect(toSignInError(err, ISSUER)).toMatchObject({
        kind: 'auth',
        message: 'The sign-in with the browser failed.',
      });
    }
  });
});
