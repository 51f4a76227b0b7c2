// Errors in words a person understands. Every ErrorKind has a sentence: the mapped type makes a
// new kind in src/shared/domain.ts a compile error here until someone writes its words.
import type { AppError, ErrorKind } from '../../../shared/domain';

const TEXT: { [K in ErrorKind]: (error: AppError) => string } = {
  unreachable: () => 'Pieces OS is not reachable. Is it running?',
  timeout: () => 'Pieces OS took too long to answer. Try again in a moment.',
  http: (e) =>
    e.status === undefined
      ? 'Pieces OS refused the request.'
      : `Pieces OS refused the request (HTTP ${e.status}).`,
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

function withPeriod(sentence: string): string {
  const s = sentence.trim();
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** The sentence to show for an error. Unknown kinds (a newer main process) read as internal. */
export function errorText(error: AppError): string {
  const text = Object.hasOwn(TEXT, error.kind) ? TEXT[error.kind] : TEXT.internal;
  return text(error);
}
