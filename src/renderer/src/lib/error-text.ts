// Errors in words a person understands. Every ErrorKind has a sentence: the mapped type makes a
// new kind in src/shared/domain.ts a compile error here until someone writes its words.
import type { AppError, ErrorKind } from '../../../shared/domain';

const TEXT: { [K in ErrorKind]: (error: AppError) => string } = {
  unreachable: () => 'Pieces OS is not reachable. Is it running?',
  timeout: () => 'Pieces OS took too long to answer. Try again in a moment.',
  http: (e) => (e.status === undefined ? 'Pieces OS refused the request.' : statusText(e.status)),
  'bad-response': () =>
    'Pieces OS sent an answer this app does not understand. Updating the app may help.',
  'invalid-input': (e) =>
    e.message ? `That was not accepted: ${withPeriod(e.message)}` : 'That was not accepted.',
  'needs-sign-in': () => 'Sign in to this account again.',
  busy: () => 'Another action is still running. Try again when it has finished.',
  cancelled: () => 'The action was cancelled.',
  forbidden: () => 'This window is not allowed to do that.',
  // Main writes these for people (declined, timed out, wrong state...), never with a token.
  auth: (e) => (e.message ? withPeriod(e.message) : 'The sign-in with the browser did not finish.'),
  internal: () => 'Something went wrong inside the app. Try again, or restart the app.',
};

/** The statuses the Pieces OS Users API documents, in words; others by number. */
function statusText(status: number): string {
  switch (status) {
    case 401:
      return 'Pieces OS did not accept the sign-in (HTTP 401). It may have expired, or be from another provider.';
    case 404:
      return 'Pieces OS does not know this account (HTTP 404).';
    case 410:
      return 'This account is no longer connected to Pieces OS (HTTP 410).';
    case 500:
      return 'Pieces OS ran into an internal error (HTTP 500). Try again in a moment.';
    case 511:
      return 'Pieces OS asks you to sign in to Pieces OS itself first (HTTP 511).';
    default:
      return `Pieces OS refused the request (HTTP ${status}).`;
  }
}

function withPeriod(sentence: string): string {
  const s = sentence.trim();
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** The sentence to show for an error. Unknown kinds (a newer main process) read as internal. */
export function errorText(error: AppError): string {
  const text = Object.hasOwn(TEXT, error.kind) ? TEXT[error.kind] : TEXT.internal;
  return text(error);
}

/**
 * The sentence for why Pieces OS could not list the accounts (the connection banner). 401, 404
 * and 410 are worded above for a request about one account or a sign-in; here they came from the
 * user list itself, so they are given by number.
 */
export function connectionErrorText(error: AppError): string {
  if (error.kind === 'http' && error.status !== undefined && [401, 404, 410].includes(error.status))
    return `Pieces OS refused the request (HTTP ${error.status}).`;
  return errorText(error);
}
