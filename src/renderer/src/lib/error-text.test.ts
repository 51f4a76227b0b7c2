import { describe, expect, it } from 'vitest';
import type { AppError, ErrorKind } from '../../../shared/domain';
import { connectionErrorText, errorDetail, errorText, groupFailures } from './error-text';

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
  untrusted: {
    kind: 'untrusted',
    message:
      'Sign-ins are not sent to http://127.0.0.1:39301 yet: it was set in Settings. Confirm that it is your Pieces OS',
  },
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
    expect(errorText(SAMPLES['needs-sign-in'])).toMatch(/Sign in to this account again\.$/);
    expect(errorText(SAMPLES.timeout)).toMatch(/took too long/);
    expect(errorText(SAMPLES.busy)).toMatch(/still running/);
  });

  it('an answer that is not Pieces OS points at the address, not at updating the app', () => {
    expect(errorText(SAMPLES['bad-response'])).toMatch(/Check the address in Settings/);
    expect(errorText(SAMPLES['bad-response'])).not.toMatch(/Updating/);
  });

  it('never shows people a status number; the detail line carries it', () => {
    for (const status of [401, 404, 410, 418, 500, 503, 511]) {
      const error: AppError = { kind: 'http', status, message: 'Pieces OS answered something' };
      expect(errorText(error)).not.toMatch(/\d{3}|HTTP/);
      expect(errorDetail(error)).toBe(`HTTP ${status}`);
    }
    expect(errorDetail(SAMPLES.timeout)).toBeNull();
    const worded = [401, 404, 410, 511].map((status) =>
      errorText({ kind: 'http', status, message: '' }),
    );
    expect(new Set(worded).size).toBe(worded.length);
    expect(worded[2]).toMatch(/signed out of Pieces OS elsewhere/);
    expect(errorText({ kind: 'http', message: '' })).toBe('Pieces OS refused the request.');
  });

  it('for the user list (the banner), does not speak of one account', () => {
    for (const status of [401, 404, 410]) {
      const text = connectionErrorText({ kind: 'http', status, message: 'x' });
      expect(text).toMatch(/refused to list the accounts/);
      expect(text).not.toMatch(/HTTP|\d{3}/);
    }
    const e500: AppError = { kind: 'http', status: 500, message: 'x' };
    expect(connectionErrorText(e500)).toBe(errorText(e500));
  });

  it('passes on why a browser sign-in did not finish', () => {
    expect(errorText(SAMPLES.auth)).toBe('The sign-in was declined at the provider.');
    expect(errorText({ kind: 'auth', message: '' })).toBe(
      'The sign-in in the browser did not finish.',
    );
  });

  it("names the untrusted address and says why, in main's words", () => {
    expect(errorText(SAMPLES.untrusted)).toBe(
      'Sign-ins are not sent to http://127.0.0.1:39301 yet: it was set in Settings. Confirm that it is your Pieces OS.',
    );
    expect(errorText({ kind: 'untrusted', message: '' })).toMatch(/until you confirm it is yours/);
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

describe('groupFailures', () => {
  it('says one cause once, with everyone it hit, in the order they came', () => {
    const down: AppError = { kind: 'unreachable', message: 'a' };
    const failures = [
      { id: '1', error: down },
      { id: '2', error: { kind: 'http', status: 500, message: 'b' } as AppError },
      { id: '3', error: { ...down, message: 'different wording, same cause' } },
    ];
    const groups = groupFailures(failures);
    expect(groups.map((g) => g.items.map((i) => i.id))).toEqual([['1', '3'], ['2']]);
    expect(groups[0]!.text).toBe(errorText(down));
  });
});
