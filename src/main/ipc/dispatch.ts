import type { InvokeChannel } from '../../shared/contract';
import { INVOKE_CHANNELS } from '../../shared/contract';
import type { Result } from '../../shared/domain';
import { fail } from '../../shared/domain';
import { toAppError } from '../pieces/errors';
import type { Handlers } from './handlers';
import { argSchemas } from './validators';

const known = new Set<string>(INVOKE_CHANNELS);

export const isChannel = (name: unknown): name is InvokeChannel =>
  typeof name === 'string' && known.has(name);

/**
 * Validate a raw argument against the contract, then run the handler. Always resolves to a
 * Result: bad input is `invalid-input`, a throwing handler is `internal` (or its own kind).
 * Shared by the Electron IPC wrapper and the web preview's transport.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  raw: unknown,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return fail({ kind: 'invalid-input', message: 'Unknown request.' });
  }
  const parsed = argSchemas[channel].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    const where = path ? `${path} ` : '';
    return fail({
      kind: 'invalid-input',
      message: `The request was refused: ${where}${issue?.message ?? 'is not valid'}.`,
      ...(path ? { path } : {}),
    });
  }
  try {
    const handler = handlers[channel] as (
      args: unknown,
    ) => Promise<Result<unknown>> | Result<unknown>;
    return await handler(parsed.data);
  } catch (err) {
    return fail(toAppError(err));
  }
}
