import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { stopChild } from '../test/support/child-process';
import { isLoopback, parseCliArgs } from './cli-args';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];
/** How long a leftover CLI gets to exit on SIGTERM before it is killed outright. */
const STOP_GRACE_MS = 5_000;

/** Ends a CLI a test left running. */
const stop = (child: ChildProcess): Promise<void> => stopChild(child, STOP_GRACE_MS);

afterEach(async () => {
  await Promise.all(children.splice(0).map(stop));
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function runCli(args: string[]): Run {
  // Node itself with tsx's loader, not the tsx wrapper: a signal the test sends reaches the CLI, not
  // a wrapper that relays it (and under load exited 143 before the CLI had answered).
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Resolves with the first stdout line; rejects if the process exits first. */
function firstLine(run: Run): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const end = run.stdout().indexOf('\n');
      if (end >= 0) resolve(run.stdout().slice(0, end));
    };
    run.child.stdout?.on('data', check);
    void run.exit.then((code) => reject(new Error(`exited ${code}: ${run.stderr()}`)));
  });
}

// Each test starts Node and compiles the CLI (about a second of CPU): on a busy 2-core machine
// that can take many seconds, so these get a wider bound. They wait for the CLI's own signals
// (its first line, its exit), never for time.
describe('emulator CLI', { timeout: 60_000 }, () => {
  it('prints its URL (the real port for --port 0), serves, and exits 0 on SIGTERM', async () => {
    const run = runCli(['--port', '0', '--users', '5', '--seed', '7']);
    const line = await firstLine(run);
    const match = /^Pieces OS emulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
    expect(match, line).not.toBeNull();
    expect(Number(match?.[2])).toBeGreaterThan(0);
    const users = (await (await fetch(`${match?.[1]}/users`)).json()) as { iterable: unknown[] };
    expect(users.iterable).toHaveLength(5);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toBe(`${line}\n`);
  });

  it('exits 0 on SIGINT too', async () => {
    const run = runCli(['--port=0']);
    await firstLine(run);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });

  it('exits 2 with the usage for a bad flag', async () => {
    const run = runCli(['--port', '0', '--bogus']);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(/Unknown option '--bogus'[\s\S]*Usage:/);
    expect(run.stdout()).toBe('');
  });

  it('refuses a non-loopback host without --allow-remote', async () => {
    const run = runCli(['--port', '0', '--host', '0.0.0.0']);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(/not a loopback address[\s\S]*--allow-remote/);
  });
});

describe('parseCliArgs', () => {
  it('applies the defaults', () => {
    expect(parseCliArgs([])).toEqual({
      kind: 'run',
      options: { port: 39300, host: '127.0.0.1', users: 3, seed: 1 },
    });
  });

  it('reads every flag', () => {
    const args = ['--port=0', '--host', '::1', '--users', '10000', '--seed=-4'];
    expect(parseCliArgs(args)).toEqual({
      kind: 'run',
      options: { port: 0, host: '::1', users: 10000, seed: -4 },
    });
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--port', '65536'], /--port/],
    [['--port', '80x'], /--port/],
    [['--users', '-1'], /--users/],
    [['--seed', '1.5'], /--seed/],
    [['--port'], /argument missing/],
    [['extra'], /positional/],
    [['--host', '192.168.1.10'], /--allow-remote/],
  ])('refuses %j', (args, message) => {
    const parsed = parseCliArgs(args);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toMatch(message);
  });

  it('allows a remote host only with --allow-remote', () => {
    const parsed = parseCliArgs(['--host', '0.0.0.0', '--allow-remote']);
    expect(parsed.kind === 'run' && parsed.options.host).toBe('0.0.0.0');
  });

  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '0:0:0:0:0:0:0:1', 'localhost']) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.com', '128.0.0.1']) {
      expect(isLoopback(host), host).toBe(false);
    }
  });
});
