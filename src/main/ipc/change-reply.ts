// An action's answer to the window: what changed in the state while it ran, as a patch, instead of
// the whole snapshot. At 10,000 accounts the snapshot is megabytes that IPC copies (structured
// clone) on the way, while a switch changes two accounts.
import type { Result } from '../../shared/domain';
import { ok } from '../../shared/domain';
import {
  collectChanges,
  patchOf,
  type AccountChanges,
  type StatePatch,
} from '../../shared/state-patch';
import type { AccountActions } from '../accounts/types';

export type StateSource = Pick<AccountActions, 'snapshot' | 'subscribe'>;

/**
 * Runs `action` and answers with the patch from the snapshot before it to the one after it. Every
 * snapshot pushed on the way is looked at, so an account that changed and changed back is named
 * too: the window may hold any of them when the answer arrives (pushes and answers race in the
 * web preview), and the patch must be right on each.
 */
export async function withChange(
  source: StateSource,
  action: () => Promise<Result<unknown>> | Result<unknown>,
): Promise<Result<StatePatch>> {
  const base = source.snapshot();
  const changes: AccountChanges = new Map();
  let seen = base;
  const stop = source.subscribe((s) => {
    collectChanges(seen.accounts, s.accounts, changes);
    seen = s;
  });
  let result: Result<unknown>;
  try {
    result = await action();
  } finally {
    stop();
  }
  if (!result.ok) return result;
  const now = source.snapshot();
  collectChanges(seen.accounts, now.accounts, changes);
  return ok(patchOf(base, now, changes));
}
