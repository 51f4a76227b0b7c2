// What the running app does when the app is launched again: Electron hands the first instance the
// second one's argv, working directory and the additionalData it passed to
// requestSingleInstanceLock(). Plain code, so it is tested with exactly those arguments.
import { commandArgsOf } from './parse-args';
import { linksIn } from './switcher-link';

/** additionalData of a launch that is a command-line call (see electron-cli.ts). */
export const COMMAND_LINE_MARK = Object.freeze({ piecesSwitcherCommandLine: 1 });

export type SecondInstanceAction =
  /** Show the window, as a second launch from the menu or the dock means. */
  | { kind: 'show' }
  /** A pieces-switcher: link (Windows and Linux deliver links as arguments). */
  | { kind: 'link'; url: string }
  /** A command-line call: it talks to the app over the command channel, no window. */
  | { kind: 'none' };

const isCommandLineMark = (data: unknown): boolean =>
  typeof data === 'object' &&
  data !== null &&
  (data as Record<string, unknown>).piecesSwitcherCommandLine === 1;

/**
 * `workingDirectory` is not used: neither a command nor a link names a file. A command line is
 * recognized by its mark, and also by its options (in case additionalData did not arrive).
 */
export function secondInstanceAction(
  argv: readonly string[],
  _workingDirectory: string,
  additionalData: unknown,
): SecondInstanceAction {
  if (isCommandLineMark(additionalData) || commandArgsOf(argv)) return { kind: 'none' };
  const [link] = linksIn(argv);
  return link === undefined ? { kind: 'show' } : { kind: 'link', url: link };
}
