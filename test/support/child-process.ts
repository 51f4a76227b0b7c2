// Ending a child process a test started, without orphaning anything.
import type { ChildProcess } from 'node:child_process';

/**
 * Stops `child` and waits until it has exited: SIGTERM, so it can close its servers; SIGKILL only
 * if it has not exited within `graceMs` (a bound for a hung child, not a wait). Start children as
 * `node --import tsx <file>`, never through the tsx or npx wrappers, so the signal reaches the
 * process that listens, not a wrapper that relays it (or that SIGKILL would orphan it).
 */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), graceMs);
  });
  try {
    if ((await Promise.race([exited, late])) === 'late') {
      child.kill('SIGKILL');
      await exited;
    }
  } finally {
    clearTimeout(timer);
  }
}
