// Errors in words a person understands, each with the next step that works. Every ErrorKind has a
// sentence: the mapped type makes a new kind in src/shared/domain.ts a compile error here until
// someone writes its words. Status codes are for the details line (errorDetail), not the sentence.
import type { AppError, ErrorKind } from '../../../shared/domain';

const TEXT: { [K in ErrorKind]: (error: AppError) => string } = {
  unreachable: () => 'Pieces OS is not reachable. Is it running?',
  timeout: () => 'Pieces OS took too long to answer. Try again in a moment.',
  http: (e) => (e.status === undefined ? 'Pieces OS refused the request.' : statusText(e.status)),
  // Often not Pieces OS at all (a proxy's HTML page, another program on the port): updating the
  // app would not help, checking the address does.
  'bad-response': () =>
    'Something answered at the Pieces OS address, but not the way Pieces OS does. Check the address in Settings, or restart Pieces OS.',
  'invalid-input': (e) =>
    e.message ? `That was not accepted: ${withPeriod(e.message)}` : 'That was not accepted.',
  'needs-sign-in': () =>
    'The saved sign-in has expired or was refused. Sign in to this account again.',
  busy: () => 'Another action is still running. Try again when it has finished.',
  cancelled: () => 'The action was cancelled.',
  forbidden: () => 'This window is not allowed to do that.',
  // Main writes these for people (declined, timed out, wrong state...), never with a token.
  auth: (e) => (e.message ? withPeriod(e.message) : 'The sign-in in the browser did not finish.'),
  // Main's words name the address and say why it is not trusted yet; the window offers the button.
  untrusted: (e) =>
    e.message
      ? withPeriod(e.message)
      : 'Saved sign-ins are not sent to this Pieces OS address until you confirm it is yours.',
  internal: () => 'Something went wrong inside the app. Try again, or restart the app.',
};

/** The statuses the Pieces OS Users API documents, in words; the number goes in errorDetail. */
function statusText(status: number): string {
  switch (status) {
    case 401:
      return 'Pieces OS did not accept the sign-in: it may have expired, or be from another provider. Sign in to this account again.';
    case 404:
      return 'Pieces OS does not know this account any more. Sign in to it again to add it back.';
    case 410:
      return 'This account was signed out of Pieces OS elsewhere. Sign in to it again to use it.';
    case 511:
      return 'Pieces OS asks you to sign in to Pieces OS itself first. Open Pieces OS and sign in there.';
    default:
      return status >= 500
        ? 'Pieces OS ran into a problem. Try again in a moment, or restart Pieces OS.'
        : 'Pieces OS refused the request. Try again, or restart Pieces OS.';
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
 * A short technical line for the curious and for support ("HTTP 410"), shown smaller beside the
 * sentence; null when there is nothing to add.
 */
export function errorDetail(error: AppError): string | null {
  return error.status !== undefined ? `HTTP ${error.status}` : null;
}

/**
 * The sentence for why Pieces OS could not list the accounts (the connection banner). The words
 * for 401, 404 and 410 are about one account; from the user list they only mean it refused.
 */
export function connectionErrorText(error: AppError): string {
  if (error.kind === 'http' && error.status !== undefined && [401, 404, 410].includes(error.status))
    return 'Pieces OS refused to list the accounts. Restart Pieces OS, or check its address in Settings.';
  return errorText(error);
}

/** Failures grouped by their sentence, so one cause read seven times is said once. */
export function groupFailures<T extends { error: AppError }>(
  failures: readonly T[],
): { text: string; items: T[] }[] {
  const groups = new Map<string, T[]>();
  for (const f of failures) {
    const text = errorText(f.error);
    const group = groups.get(text);
    if (group) group.push(f);
    else groups.set(text, [f]);
  }
  return [...groups].map(([text, items]) => ({ text, items }));
}
