// The Pieces OS emulator in its own process, as Pieces OS is: its work does not share the event
// loop (or the heap) of the code being measured. Driven through its HTTP control endpoints.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { OAuthTokenInput } from '../src/shared/domain';
import { bareClient, ok2xx } from './bare-http';

/** What POST /__emulator/tokens answers: an OAuthToken the app can send to from_token. */
export type Token = OAuthTokenInput;

export interface SeededUser {
  id: string;
  email?: string;
}

export interface EmulatorState {
  users: SeededUser[];
  currentUserId: string | null;
  requestCounts: Record<string, number>;
}

export interface EmulatorProcess {
  readonly url: string;
  mintToken(email: string): Promise<Token>;
  state(): Promise<EmulatorState>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const ROOT = join(__dirname, '..');
const START_TIMEOUT_MS = 30_000;

export async function spawnEmulator(opts: {
  users: number;
  seed: number;
  /** Seeding 100,000 users takes about a minute on a busy 2-core machine. */
  startTimeoutMs?: number;
}): Promise<EmulatorProcess> {
  const args = ['--import', 'tsx', 'emulator/cli.ts', '--port', '0'];
  args.push('--users', String(opts.users), '--seed', String(opts.seed));
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let url: string;
  try {
    url = await readUrl(child, () => stderr, opts.startTimeoutMs ?? START_TIMEOUT_MS);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  // Control calls are not measured: a new connection each, so a socket the emulator closed while
  // this process was busy (parsing 100,000 users, say) is never reused.
  const http = bareClient(url, { keepAlive: false });
  const control = async (method: 'GET' | 'POST', path: string, body?: unknown) =>
    JSON.parse(
      (
        await ok2xx(
          http.request(method, path, body === undefined ? undefined : JSON.stringify(body)),
          path,
        )
      ).text,
    ) as unknown;

  return {
    url,
    mintToken: async (email) => (await control('POST', '/__emulator/tokens', { email })) as Token,
    state: async () => (await control('GET', '/__emulator/state')) as EmulatorState,
    reset: async () => void (await control('POST', '/__emulator/reset')),
    close: () => stop(child),
  };
}

function readUrl(child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The emulator did not start in time: ${stderr()}`)),
      timeoutMs,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      lines.close();
      resolve(m[1]!);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The emulator exited (${code}): ${stderr()}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
