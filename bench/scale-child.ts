// Run by figure 8 in a process of its own, so its peak memory is the app side's alone: the main
// process's object graph (createAppStack) against an emulator of 100,000 users. Prints one line,
// "RESULT <json>", and exits.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { dispatch } from '../src/main/ipc/dispatch';
import { createBaseUrlResolver } from '../src/main/pieces/base-url';
import { createPiecesClient } from '../src/main/pieces/client';
import { diffSnapshots } from '../src/shared/state-patch';
import type { Token } from './emulator-process';
import { createAppStack } from './app-stack';
import { pastedToken } from '../test/support/sign-in-form';

export interface ScaleInput {
  url: string;
  users: { id: string; token: Token }[];
}

export interface ScaleResult {
  accounts: number;
  listShownMs: number;
  /** Refreshes until the list was shown (1: the first one). */
  attempts: number;
  /** Why an earlier try failed, if one did. */
  offlineReason?: string;
  signInMs: number[];
  switchMs: number[];
  switchError?: string;
  unchangedRefreshMs: number;
  heapHeldMB: number;
  externalHeldMB: number;
  peakRssMB: number;
  longestBlockMs: number;
  /** The longest of the IPC stand-ins (a push's or a reply's structured clone), inside those blocks. */
  ipcLongestMs: number;
  /** The client alone, afterwards: one listUsers of new bytes (request, steps, decode). */
  clientListMs: number;
  clientListed: number;
  /** The longest main-thread block during that listUsers. */
  clientLongestBlockMs: number;
}

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '') as ScaleInput;
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const blocks = monitorEventLoopDelay({ resolution: 10 });
  blocks.enable();
  const stack = await createAppStack(input.url);
  const { service, handlers } = stack;
  // Stand-in for app.ts's push: what changed since the last push (state-patch.ts), then
  // webContents.send('state', update), which structured-clones it.
  const result: Partial<ScaleResult> = { signInMs: [], switchMs: [], ipcLongestMs: 0 };
  /** Electron's serialization of a message, timed: it blocks the main thread as well. */
  const ipc = (message: unknown) => {
    const t = performance.now();
    structuredClone(message);
    result.ipcLongestMs = Math.max(result.ipcLongestMs!, performance.now() - t);
  };
  let pushed = service.snapshot();
  service.subscribe((s) => {
    const update = diffSnapshots(pushed, s);
    pushed = s;
    ipc(update);
  });
  try {
    let t0 = performance.now();
    let snap = await service.start();
    result.attempts = 1;
    // Offline on the first try (a 100,000-user answer can outlast the deadline on a busy
    // machine): the reason is reported, and the list is asked for again, as the app's retry would.
    while (snap.connection.status !== 'online' && result.attempts < 4) {
      result.offlineReason ??= JSON.stringify(snap.connection).slice(0, 300);
      result.attempts++;
      snap = await service.refresh();
    }
    result.listShownMs = performance.now() - t0;
    result.accounts = snap.accounts.length;
    if (snap.connection.status !== 'online') throw new Error('Still offline after 4 tries.');
    for (const u of input.users) {
      t0 = performance.now();
      const r = await dispatch(handlers, 'signIn', pastedToken(u.token));
      if (!r.ok) throw new Error(`sign-in: ${r.error.message}`);
      result.signInMs!.push(performance.now() - t0);
    }
    // The last one signed in is active: switch to each of the others, then back.
    const order = [...input.users.slice(0, -1), input.users[input.users.length - 1]!];
    for (const u of order) {
      t0 = performance.now();
      const r = await dispatch(handlers, 'switchTo', { id: u.id });
      ipc(r);
      if (!r.ok) throw new Error(`switch: ${r.error.message}`);
      result.switchMs!.push(performance.now() - t0);
    }
    t0 = performance.now();
    await service.refresh();
    result.unchangedRefreshMs = performance.now() - t0;
  } catch (err) {
    result.switchError = err instanceof Error ? err.message : String(err);
  }
  blocks.disable();
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 10));
    gc();
  }
  const mem = process.memoryUsage();
  result.heapHeldMB = mem.heapUsed / MB;
  result.externalHeldMB = (mem.external + mem.arrayBuffers) / MB;
  result.peakRssMB = process.resourceUsage().maxRSS / 1024;
  result.longestBlockMs = blocks.max / 1e6;
  stack.dispose();
  await clientAlone(input.url, result);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

/**
 * The client's share of the blocking: a fresh client (nothing remembered) lists the users once,
 * with a finer event-loop monitor. After the memory readings, so it does not count in them.
 */
async function clientAlone(url: string, result: Partial<ScaleResult>): Promise<void> {
  const client = createPiecesClient({
    resolver: createBaseUrlResolver({ setting: () => url, env: {} }),
    timeoutMs: 120_000,
  });
  const blocks = monitorEventLoopDelay({ resolution: 2 });
  blocks.enable();
  const t0 = performance.now();
  const users = await client.listUsers();
  result.clientListMs = performance.now() - t0;
  blocks.disable();
  result.clientListed = users.length;
  result.clientLongestBlockMs = blocks.max / 1e6;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
