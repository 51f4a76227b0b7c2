// The command line's grammar, as plain code: which command, with which query. Nothing here runs
// anything or knows about Electron.
import { parseArgs } from 'node:util';

export type Command =
  | { kind: 'switch'; query: string }
  | { kind: 'sign-out'; query: string }
  | { kind: 'list'; json: boolean }
  | { kind: 'status'; json: boolean }
  | { kind: 'help' };

export type Parsed = { ok: true; command: Command } | { ok: false; message: string };

/** The options that make a launch a command-line call instead of starting the app. */
export const COMMAND_FLAGS = ['--switch', '--sign-out', '--list', '--status', '--help'] as const;

export const USAGE = `Usage:
  pieces-account-switcher --switch <email|name|id>   make that account the active one
  pieces-account-switcher --sign-out <email|name|id> sign that account out of Pieces OS
  pieces-account-switcher --list [--json]            the accounts, active first
  pieces-account-switcher --status [--json]          whether Pieces OS answers, and who is active
  pieces-account-switcher --help                     this text

Exit codes: 0 done, 1 failed, 2 usage error, 3 no account matches, 4 more than one matches,
5 needs a sign-in, 6 Pieces OS not reachable.
`;

/** Longer than any email (254), name or id a person types. */
const MAX_QUERY = 320;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function checkQuery(flag: string, value: string): string | null {
  if (value.trim() === '') return `${flag} needs an email, a name or an account id.`;
  if (value.length > MAX_QUERY) return `${flag}: that is too long for an email, a name or an id.`;
  if (CONTROL.test(value)) return `${flag}: the value contains control characters.`;
  return null;
}

/**
 * The part of a process's argv that is the command, or null when the launch is not a command
 * (the app starts as usual). Electron's argv starts with the executable (and, in development, the
 * app's path), and Chromium may add switches of its own before ours: everything from our first
 * command option on is the command.
 */
export function commandArgsOf(argv: readonly string[]): string[] | null {
  const at = argv.findIndex((arg) =>
    COMMAND_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)),
  );
  return at === -1 ? null : argv.slice(at);
}

/** Exactly one command, its value, and `--json` only where it means something. */
export function parseCommand(args: readonly string[]): Parsed {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        switch: { type: 'string' },
        'sign-out': { type: 'string' },
        list: { type: 'boolean' },
        status: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    // node:util's messages name the option ("Unknown option '--swtch'"): clear enough to show.
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  const given = (['switch', 'sign-out', 'list', 'status', 'help'] as const).filter(
    (name) => values[name] !== undefined,
  );
  if (given.length === 0) return { ok: false, message: 'No command given.' };
  if (given.length > 1) {
    return {
      ok: false,
      message: `One command at a time: ${given.map((g) => `--${g}`).join(', ')}.`,
    };
  }
  const name = given[0]!;
  const json = values.json === true;
  if (json && name !== 'list' && name !== 'status') {
    return { ok: false, message: '--json goes with --list or --status.' };
  }
  switch (name) {
    case 'help':
      return { ok: true, command: { kind: 'help' } };
    case 'list':
    case 'status':
      return { ok: true, command: { kind: name, json } };
    case 'switch':
    case 'sign-out': {
      const query = String(values[name]);
      const problem = checkQuery(`--${name}`, query);
      if (problem) return { ok: false, message: problem };
      return { ok: true, command: { kind: name, query: query.trim() } };
    }
  }
}
