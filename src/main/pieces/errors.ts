import type { AppError, ErrorKind } from '../../shared/domain';

/** What the Pieces OS client throws. Converted to an `AppError` value before it crosses IPC. */
export class PiecesError extends Error {
  readonly kind: ErrorKind;
  readonly status?: number;
  readonly path?: string;

  constructor(kind: ErrorKind, message: string, extra: { status?: number; path?: string } = {}) {
    super(message);
    this.name = 'PiecesError';
    this.kind = kind;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.path !== undefined) this.path = extra.path;
  }

  toAppError(): AppError {
    const e: AppError = { kind: this.kind, message: this.message };
    if (this.status !== undefined) e.status = this.status;
    if (this.path !== undefined) e.path = this.path;
    return e;
  }
}

/** Any thrown value as an `AppError`, without leaking stacks. */
export function toAppError(err: unknown): AppError {
  if (err instanceof PiecesError) return err.toAppError();
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal', message: `Something went wrong inside the app: ${message}` };
}
