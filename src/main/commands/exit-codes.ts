// What the command line exits with. Scripts branch on these numbers, so they never change meaning;
// the README has the same table.
export const EXIT = Object.freeze({
  ok: 0,
  /** Anything not below: Pieces OS refused, the app was busy, a bug. The message says which. */
  failed: 1,
  /** The command line itself is wrong (unknown option, missing value, two commands). */
  usage: 2,
  /** No account matches the query. */
  noMatch: 3,
  /** More than one account matches; the candidates are listed. */
  ambiguous: 4,
  /** The account has no usable saved sign-in here: sign in as it in the app first. */
  needsSignIn: 5,
  /** Pieces OS did not answer (not running, or not in time). */
  unreachable: 6,
});

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What a command prints and exits with, wherever it ran (here, or in the running app). */
export interface CommandOutput {
  exitCode: ExitCode;
  stdout: string;
  stderr: string;
}

export const output = (exitCode: ExitCode, stdout: string, stderr = ''): CommandOutput => ({
  exitCode,
  stdout,
  stderr,
});
