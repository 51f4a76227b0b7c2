import type { Result } from '../../../shared/domain';

/** A bridge call that never throws: a rejected promise becomes an `internal` error value. */
export async function call<T>(fn: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await fn();
  } catch {
    return { ok: false, error: { kind: 'internal', message: 'The app did not answer.' } };
  }
}
