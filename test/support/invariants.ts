import type { Emulator } from '../../emulator/server';
import type { AppError, ErrorKind, StateSnapshot } from '../../src/shared/domain';

/** The closed set of ErrorKind, spelled out so a new kind shows up here as a compile error. */
const KINDS: Record<ErrorKind, true> = {
  unreachable: true,
  timeout: true,
  http: true,
  'bad-response': true,
  'invalid-input': true,
  'needs-sign-in': true,
  busy: true,
  cancelled: true,
  forbidden: true,
  auth: true,
  untrusted: true,
  internal: true,
};
export const ERROR_KINDS = new Set(Object.keys(KINDS));

/** Why `error` is not a well-formed AppError, or null when it is. */
export function typedErrorProblem(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return 'not an object';
  const e = error as Partial<AppError> & Record<string, unknown>;
  if (typeof e.kind !== 'string' || !ERROR_KINDS.has(e.kind))
    return `unknown kind ${String(e.kind)}`;
  if (typeof e.message !== 'string' || e.message.trim() === '') return 'no message';
  if (e.message.length > 1_000) return 'message over 1000 characters';
  if (/\n\s+at\s/.test(e.message)) return 'message carries a stack trace';
  if (e.status !== undefined && !Number.isInteger(e.status)) return 'status is not an integer';
  if (e.fields !== undefined) {
    if (e.kind !== 'invalid-input') return 'fields on an error that is not invalid-input';
    if (typeof e.fields !== 'object' || e.fields === null) return 'fields is not an object';
    const values = Object.values(e.fields);
    if (values.length === 0) return 'fields is empty';
    if (values.some((m) => typeof m !== 'string' || m.trim() === ''))
      return 'a field has no message';
  }
  const extra = Object.keys(e).filter(
    (k) => !['kind', 'message', 'status', 'path', 'fields'].includes(k),
  );
  if (extra.length > 0) return `unexpected keys ${extra.join(', ')}`;
  return null;
}

/** Problems with a snapshot on its own, whatever Pieces OS did. */
export function snapshotProblems(s: StateSnapshot): string[] {
  const problems: string[] = [];
  const ids = s.accounts.map((a) => a.id);
  if (new Set(ids).size !== ids.length) problems.push(`duplicate accounts ${ids.join(', ')}`);
  if (s.activeId !== null && !ids.includes(s.activeId)) {
    problems.push(`active account ${s.activeId} is not in the list`);
  }
  for (const a of s.accounts) {
    if (!a.connected && !a.hasToken) problems.push(`account ${a.id} is neither listed nor saved`);
  }
  if (s.connection.status === 'offline') {
    const why = typedErrorProblem(s.connection.error);
    if (why) problems.push(`offline error: ${why}`);
  }
  if (s.lastError) {
    const why = typedErrorProblem(s.lastError.error);
    if (why) problems.push(`lastError: ${why}`);
  }
  return problems;
}

/** The ids Pieces OS lists, and the ids the app shows as listed. */
export function listedIds(s: StateSnapshot, emulator: Emulator) {
  return {
    app: s.accounts
      .filter((a) => a.connected)
      .map((a) => a.id)
      .sort(),
    emulator: (emulator.users() as { id: string }[]).map((u) => u.id).sort(),
  };
}

/** Collects unhandled rejections while installed. */
export function trackUnhandled() {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => void seen.push(reason);
  process.on('unhandledRejection', onRejection);
  return {
    seen,
    /** Lets pending rejections surface before a check. */
    settle: () => new Promise<void>((r) => setImmediate(r)),
    dispose: () => void process.off('unhandledRejection', onRejection),
  };
}
