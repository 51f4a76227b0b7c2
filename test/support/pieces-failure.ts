import { expect } from 'vitest';
import { PiecesError } from '../../src/main/pieces/errors';

/** The PiecesError `p` rejects with; the test fails if it resolves or rejects with anything else. */
export async function piecesFailure(p: Promise<unknown>): Promise<PiecesError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PiecesError);
  return err as PiecesError;
}

/** The PiecesError `run` throws; the test fails if it returns or throws anything else. */
export function thrownPiecesError(run: () => unknown): PiecesError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(PiecesError);
    return err as PiecesError;
  }
  throw new Error('nothing was thrown');
}
