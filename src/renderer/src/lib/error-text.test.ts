import { describe, expect, it } from 'vitest';
import type { AppError, ErrorKind } from '../../../shared/domain';
import { connectionErrorText, errorText } from './error-text';

// One sample per kind. The Record type makes this file fail to type-check (svelte-check) when
// ErrorKind gains a kind nobody wrote a test for.
const SAMPLES: Record<ErrorKind, AppError> = {
  unreachable: { kind: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:39300' },
  timeout: { kind: 'timeout', message: 'timeout of 5000ms exceeded' },
  http: { kind: 'http', message: 'Request failed with status code 503', status: 503 },
  'bad-response': { kind: 'bad-response', message: 'users[0].id: expected string', path: 'id' },
  'invalid-input': { kind: 'invalid-input', message: 'The id is empty', path: 'id' },
  'needs-sign-in': { kind: 'needs-sign-in', message: 'no token for u1' },
  busy: { kind: 'busy', message: 'switch in progress' },
  cancelled: { kind: 'cancelled', message: 'aborted' },
  forbidden: { kind: 'forbidden', message: 'sender file:///evil' },
  auth: { kind: 'auth', message: 'The sign-in was declined at the provider' },
  internal: {
    kind: 'internal',
    message: 'TypeError: x is undefined\n    at Object.<anonymous> (/app/main.js:1:2)',
  },
};

describe('errorText', () => {
  it('has a distinct sentence for every kind', () => {
    const texts = Object.values(SAMPLES).map(errorText);
    for (const t of texts) expect(t).toMatch(/^[A-Z].*[.?]$/);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('says what the person can do', () => {
    expect(errorText(SAMPLES.unreachable)).toBe('Pieces OS is not reachable. Is it running?');
    expect(errorText(SAMPLES['needs-sign-in'])).toBe('Sign in to this account again.');
    expect(errorText(SAMPLES.timeout)).toMatch(/took too long/);
    expect(errorText(SAMPLES.busy)).toMatch(/still running/);
  });

  it('includes the HTTP status, in words for the ones Pieces OS documents', () => {
    expect(errorText(SAMPLES.http)).toBe('Pieces OS refused the request (HTTP 503).');
    expect(errorText({ kind: 'http', message: '' })).toBe('Pieces OS refused the request.');
    const worded = [401, 404, 410, 500, 511].map((status) =>
      errorText({ kind: 'http', status, message: 'Pieces OS answered something' }),
    );
    for (const [i, status] of [401, 404, 410, 500, 511].entries()) {
      expect(worded[i]).toContain(`(HTTP ${status})`);
      expect(worded[i]).not.toMatch(/refused the request/);
    }
    expect(new Set(worded).size).toBe(worded.length);
    expect(worded[0]).toMatch(/did not accept the sign-in/);
  });

  it('for the user list (the banner), gives the statuses about one account by number', () => {
    for (const status of [401, 404, 410]) {
      expect(connectionErrorText({ kind: 'http', status, message: 'x' })).toBe(
        `Pieces OS refused the request (HTTP ${status}).`,
      );
    }
    const e500: AppError = { kind: 'http', status: 500, message: 'x' };
    expect(connectionErrorText(e500)).toBe(errorText(e500));
    expect(connectionErrorText(SAMPLES.timeout)).toBe(errorText(SAMPLES.timeout));
  });

  it('passes on why a browser sign-in did not finish', () => {
    expect(errorText(SAMPLES.auth)).toBe('The sign-in was declined at the provider.');
    expect(errorText({ kind: 'auth', message: '' })).toBe(
      'The sign-in with the browser did not finish.',
    );
  });

  it('passes on the reason an input was refused', () => {
    expect(errorText(SAMPLES['invalid-input'])).toBe('That was not accepted: The id is empty.');
  });

  it('never shows technical messages or stack traces', () => {
    for (const kind of ['unreachable', 'timeout', 'http', 'bad-response', 'internal'] as const) {
      const t = errorText(SAMPLES[kind]);
      expect(t).not.toContain(SAMPLES[kind].message);
      expect(t).not.toMatch(/\bat .*:\d+:\d+|ECONNREFUSED|TypeError/);
    }
  });

  it('reads an unknown kind from a newer main process as internal', () => {
    const unknown = { kind: 'quota', message: 'x' } as unknown as AppError;
    expect(errorText(unknown)).toBe(errorText(SAMPLES.internal));
  });
});
