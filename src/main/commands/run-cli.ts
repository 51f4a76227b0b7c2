// One command-line call from start to exit, wherever it comes from (the installed app's binary or
// `npm run cli`): parse; ask the running app if one answers; otherwise run it here.
import { askRunningApp } from './ask-running-app';
import { EXIT, output, type CommandOutput } from './exit-codes';
import { parseCommand, USAGE, type Command } from './parse-args';

export interface CliDeps {
  userData: string;
  /** Runs the command in this process; called only when no running app answered. */
  runHere(command: Command): Promise<CommandOutput>;
  /** Replaces askRunningApp (tests of what happens around it). */
  ask?: typeof askRunningApp;
}

export async function runCli(args: readonly string[], deps: CliDeps): Promise<CommandOutput> {
  const parsed = parseCommand(args);
  if (!parsed.ok) return output(EXIT.usage, '', `${parsed.message}\n\n${USAGE}`);
  if (parsed.command.kind === 'help') return output(EXIT.ok, USAGE);
  const answer = await (deps.ask ?? askRunningApp)(deps.userData, args);
  return answer ?? deps.runHere(parsed.command);
}

/** What the running app does with a request that came over the channel. */
export async function answerRequest(
  args: readonly string[],
  run: (command: Command) => Promise<CommandOutput>,
): Promise<CommandOutput> {
  const parsed = parseCommand(args);
  if (!parsed.ok) return output(EXIT.usage, '', `${parsed.message}\n\n${USAGE}`);
  return run(parsed.command);
}
