// The machine a run came from, for the report.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export function describeMachine(chromiumPath: string): Record<string, string | number> {
  const cpus = os.cpus();
  let chromium = 'unknown';
  try {
    chromium = execFileSync(chromiumPath, ['--version'], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .trim()
      .split('\n')
      .pop()!;
  } catch {
    // Reported as unknown; figure 4 fails on its own if the browser is missing.
  }
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    /** Other work on the machine shows here: the 1-minute load average when the run ended. */
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
    chromium,
  };
}
