// Carries out one parsed command against the account service (the running app's, or one made for
// this call) and says what to print and exit with. The same code answers in both places, so a
// command behaves the same whether the app runs or not.
import type { AppError, StateSnapshot } from '../../shared/domain';
import { displayOrder } from '../../shared/order';
import { STATE_LABEL } from '../../shared/state-label';
import type { AccountService } from '../accounts/account-service';
import { EXIT, output, type CommandOutput, type ExitCode } from './exit-codes';
import { listJson, statusJson } from './list-json';
import { describeAccount, matchAccount } from './match-account';
import { USAGE, type Command } from './parse-args';

export type CommandActions = Pick<AccountService, 'refresh' | 'switchTo' | 'signOut'>;

export interface RunContext {
  /**
   * Set when this process cannot read sign-ins the app keeps encrypted (plain Node, no keychain):
   * a "needs sign-in" answer then says how to get one used.
   */
  withoutKeychain?: boolean;
}

const NO_KEYCHAIN_HINT =
  'This command line runs without the system keychain and cannot use sign-ins the app keeps encrypted: start the app (while it runs, it answers the command line), or sign in as this account in the app.';

const line = (text: string): string => `${text}\n`;

function exitFor(error: AppError): ExitCode {
  switch (error.kind) {
    case 'needs-sign-in':
      return EXIT.needsSignIn;
    case 'unreachable':
    case 'timeout':
      return EXIT.unreachable;
    default:
      return EXIT.failed;
  }
}

function failure(error: AppError, ctx: RunContext): CommandOutput {
  const code = exitFor(error);
  const hint = code === EXIT.needsSignIn && ctx.withoutKeychain ? ` ${NO_KEYCHAIN_HINT}` : '';
  return output(code, '', line(`${error.message}${hint}`));
}

/** Pieces OS did not answer, or answered only errors: nothing can be listed or changed. */
function unreachable(snapshot: StateSnapshot): CommandOutput | null {
  const c = snapshot.connection;
  if (c.status === 'online') return null;
  if (c.status === 'connecting') {
    return output(EXIT.unreachable, '', line('Pieces OS has not answered yet.'));
  }
  return output(exitFor(c.error), '', line(c.error.message));
}

function listText(snapshot: StateSnapshot): string {
  const accounts = displayOrder(snapshot.accounts, snapshot.activeId);
  if (accounts.length === 0) return line('No accounts.');
  return accounts
    .map((a) =>
      line(
        `${a.id === snapshot.activeId ? '*' : ' '} ${describeAccount(a)}  ${STATE_LABEL[a.state]}`,
      ),
    )
    .join('');
}

function statusText(snapshot: StateSnapshot): string {
  const c = snapshot.connection;
  const where =
    c.status === 'online'
      ? `Pieces OS: connected at ${c.url}${c.version ? ` (version ${c.version})` : ''}`
      : 'Pieces OS: not reachable';
  const active = snapshot.accounts.find((a) => a.id === snapshot.activeId);
  const who = active ? `Active account: ${describeAccount(active)}` : 'No account is active.';
  return line(where) + line(who);
}

export async function runCommand(
  command: Command,
  actions: CommandActions,
  ctx: RunContext = {},
): Promise<CommandOutput> {
  if (command.kind === 'help') return output(EXIT.ok, USAGE);
  const snapshot = await actions.refresh();

  if (command.kind === 'status') {
    const down = unreachable(snapshot);
    const code = down?.exitCode ?? EXIT.ok;
    if (command.json) return output(code, line(JSON.stringify(statusJson(snapshot), null, 2)));
    return output(code, statusText(snapshot), down?.stderr ?? '');
  }

  const down = unreachable(snapshot);
  if (down) {
    // A script asking for JSON still gets a document it can read, saying why the list is missing.
    if (command.kind === 'list' && command.json) {
      return { ...down, stdout: line(JSON.stringify(listJson(snapshot), null, 2)) };
    }
    return down;
  }

  if (command.kind === 'list') {
    return output(
      EXIT.ok,
      command.json ? line(JSON.stringify(listJson(snapshot), null, 2)) : listText(snapshot),
    );
  }

  const match = matchAccount(snapshot.accounts, command.query);
  if (match.kind === 'none') {
    return output(
      EXIT.noMatch,
      '',
      line(`No account matches "${command.query}". \`--list\` shows the accounts.`),
    );
  }
  if (match.kind === 'ambiguous') {
    const names = match.candidates.map((a) => line(`  ${describeAccount(a)}`)).join('');
    return output(
      EXIT.ambiguous,
      '',
      line(
        `"${command.query}" matches ${match.candidates.length} accounts; use the email or the id:`,
      ) + names,
    );
  }

  const account = match.account;
  const who = describeAccount(account);
  if (command.kind === 'switch') {
    if (account.id === snapshot.activeId) return output(EXIT.ok, line(`${who} is already active.`));
    const result = await actions.switchTo(account.id);
    return result.ok ? output(EXIT.ok, line(`Switched to ${who}.`)) : failure(result.error, ctx);
  }
  const result = await actions.signOut(account.id);
  return result.ok ? output(EXIT.ok, line(`Signed out ${who}.`)) : failure(result.error, ctx);
}
