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
/** Plain JSON-like data only: primitives, arrays and objects whose prototype is Object's (or null). */
function isPlainData(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (depth > 8) return true; // the schema refuses anything this deep anyway
  if (Array.isArray(value)) return value.every((v) => isPlainData(v, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((v) => isPlainData(v, depth + 1));
}

export async function dispatch(
  handlers: Handlers,
  channel: string,
  raw: unknown,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return fail({ kind: 'invalid-input', message: 'Unknown request.' });
  }
  if (!isPlainData(raw)) {
    // IPC carries Maps, Sets, Dates and typed arrays; zod would read some as an empty object.
    return fail({
      kind: 'invalid-input',
      message: 'The request was refused: it is not plain data.',
    });
  }
  const parsed = argSchemas[channel].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // Paths and messages can carry key names the sender chose: keep them short, and never
    // repeat an unknown key.
    const path = (issue?.path ?? [])
      .map((p) => String(p).slice(0, 40))
      .join('.')
      .slice(0, 120);
    const what =
      issue?.code === 'unrecognized_keys'
        ? 'has an unknown field'
        : (issue?.message ?? 'is not valid');
    const where = path ? `${path} ` : '';
    return fail({
      kind: 'invalid-input',
      message: `The request was refused: ${where}${what.slice(0, 160)}.`,
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
