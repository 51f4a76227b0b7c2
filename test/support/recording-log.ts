import type { StateSnapshot } from '../../src/shared/domain';
import type { Log } from '../../src/main/log/logger';
import { EMPTY_SNAPSHOT } from './ipc-testing';

/** A log that keeps each entry as [level, message, fields], and each token it is told of. */
export function recordingLog() {
  const entries: [string, string, Record<string, unknown> | undefined][] = [];
  const tokens: unknown[] = [];
  const log: Log = {
    info: (m, f) => void entries.push(['info', m, f]),
    warn: (m, f) => void entries.push(['warn', m, f]),
    error: (m, f) => void entries.push(['error', m, f]),
    addSecret: () => undefined,
    addToken: (t) => void tokens.push(t),
    redact: (text) => text,
    files: [],
  };
  return { log, entries, tokens };
}

/** What the app log watches of the account service: snapshots the test sets, one patch at a time. */
export function pushedSnapshots() {
  let current: StateSnapshot = EMPTY_SNAPSHOT;
  const listeners = new Set<(s: StateSnapshot) => void>();
  return {
    snapshot: () => current,
    subscribe(l: (s: StateSnapshot) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    push(patch: Partial<StateSnapshot>) {
      current = { ...current, ...patch };
      for (const l of listeners) l(current);
    },
  };
}
