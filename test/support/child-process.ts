// Ending a child process a test started, without orphaning anything.
import type { ChildProcess } from 'node:child_process';

/**
 * Stops `child` and waits until it has exited. SIGTERM first, so a tsx wrapper passes it on to
 * the real process (SIGKILL to the wrapper alone would orphan that one); SIGKILL only if it has
 * not exited within `graceMs`.
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
