// Figure 3: one switch through the whole main-process path - IPC dispatch (argument validation),
// handler, account service (token vault, settings, refresh), client, new state snapshot - against
// the requests a switch needs (sign-in, then the list), and the requests it made, counted.
import { dispatch } from '../../src/main/ipc/dispatch';
import { createAppStack } from '../app-stack';
import { bareClient } from '../bare-http';
import type { EmulatorProcess } from '../emulator-process';
import { LARGE_USERS, SMALL_USERS, type BenchContext } from '../context';
import { finishRow, type Row, type Target } from '../report';
import { ratioSpread, sample, summaryOf } from '../sampler';
import { median, summarize } from '../stats';

/** What a switch needs from Pieces OS: the sign-in, then the list to show. */
const NEEDED_CALLS = { signIn: 1, listUsers: 1 };
const NEEDED = Object.values(NEEDED_CALLS).reduce((a, b) => a + b, 0);

const RATIO_TARGET: Target = { text: '≤ 1.3×', on: 'ratio', op: '<=', limit: 1.3 };
const LARGE_REPLY_TARGET: Target = { text: '≤ 50 ms', on: 'ours', op: '<=', limit: 50 };
const CALLS_TARGET: Target = { text: `≤ ${NEEDED}`, on: 'ours', op: '<=', limit: NEEDED };

export async function switchPath(ctx: BenchContext): Promise<Row[]> {
  const small = await measureSwitch(
    ctx,
    ctx.small,
    SMALL_USERS,
    ctx.runs({ warmup: 15, runs: 50, repeats: 3 }, { warmup: 5, runs: 15, repeats: 3 }),
  );
  const large = await measureSwitch(
    ctx,
    ctx.large,
    LARGE_USERS,
    ctx.runs({ warmup: 2, runs: 5, repeats: 3 }, { warmup: 1, runs: 2, repeats: 3 }),
  );
  return [
    finishRow(small.row, RATIO_TARGET),
    finishRow(small.calls, CALLS_TARGET),
    finishRow(large.row, LARGE_REPLY_TARGET),
  ];
}

async function measureSwitch(
  ctx: BenchContext,
  emu: EmulatorProcess,
  userCount: number,
  counts: { warmup: number; runs: number; repeats: number },
): Promise<{ row: Omit<Row, 'ratio' | 'target'>; calls: Omit<Row, 'ratio' | 'target'> }> {
  await emu.reset();
  const { users } = await emu.state();
  const [a, b] = users;
  if (!a?.email || !b?.email) throw new Error('The emulator needs two users with emails.');
  const tokens = { [a.id]: await emu.mintToken(a.email), [b.id]: await emu.mintToken(b.email) };

  const stack = await createAppStack(emu.url);
  try {
    const { service, handlers } = stack;
    // Stand-in for webContents.send('state', snapshot): Electron structured-clones every pushed
    // snapshot, and the invoke reply, across the process boundary.
    service.subscribe((s) => void structuredClone(s));
    await service.start();
    for (const id of [a.id, b.id]) {
      const r = await dispatch(handlers, 'signIn', { token: tokens[id] });
      if (!r.ok) throw new Error(`Could not sign in: ${r.error.message}`);
    }
    const switchTo = async (id: string) => {
      const r = await dispatch(handlers, 'switchTo', { id });
      structuredClone(r);
      if (!r.ok) throw new Error(`The switch failed: ${r.error.message}`);
    };

    // Which requests a switch makes: reported as a row of its own (more than needed is overhead).
    const before = (await emu.state()).requestCounts;
    await switchTo(a.id); // b was signed in last, so this is a real switch
    const after = (await emu.state()).requestCounts;
    const made = Object.fromEntries(
      Object.keys(after)
        .map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    const madeTotal = Object.values(made).reduce((a, b) => a + b, 0);
    if ((made.signIn ?? 0) < 1) throw new Error(`A switch made ${JSON.stringify(made)}.`);

    // The floor: the requests a switch needs, keep-alive, each answer parsed.
    const bare = bareClient(emu.url);
    const bareSwitch = async (id: string) => {
      await bare.json('POST', '/users/authenticate/from_token', JSON.stringify(tokens[id]));
      await bare.json('GET', '/users');
    };

    // Each variant alternates its target, so every app switch is a real one (never "already active").
    let oursNext = 0;
    let bareNext = 0;
    const ids = [b.id, a.id];
    stack.settingsWrites.length = 0;
    const writes = stack.settingsWrites;
    const samples = await sample(
      [
        { name: 'ours', run: () => switchTo(ids[oursNext++ % 2]!) },
        { name: 'bare', run: () => bareSwitch(ids[bareNext++ % 2]!) },
      ],
      counts,
    );
    const n = userCount.toLocaleString('en');
    const calls: Omit<Row, 'ratio' | 'target'> = {
      id: `switch.requests.${userCount}`,
      figure: 3,
      label: `switch, ${n} users known: requests to Pieces OS per switch`,
      unit: 'count',
      ours: { kind: 'value', value: madeTotal },
      baseline: {
        label: 'needed: sign-in + GET /users',
        measure: { kind: 'value', value: NEEDED },
      },
      note: `Counted by the emulator over one switch: ${JSON.stringify(made)}.`,
    };
    const row: Omit<Row, 'ratio' | 'target'> = {
      id: userCount === SMALL_USERS ? 'switch.small' : 'switch.large',
      figure: 3,
      label: `switch, ${n} users known: IPC dispatch → reply`,
      unit: 'ms',
      ours: { kind: 'samples', ...summaryOf(samples, 'ours') },
      baseline: {
        label: 'sign-in + GET /users, node:http keep-alive + JSON.parse',
        measure: { kind: 'samples', ...summaryOf(samples, 'bare') },
      },
      ratioSpread: ratioSpread(samples, 'ours', 'bare'),
      detail: writes.length ? { settingsWriteMs: { kind: 'samples', ...summarize(writes) } } : {},
      note:
        'dispatch(handlers, "switchTo") until its reply, with the real service, client, plaintext ' +
        'token vault and settings on disk, plus structuredClone of the reply and of each pushed ' +
        'snapshot as Electron IPC would. Electron’s own IPC transport is not included (no ' +
        'Electron here). Floor: what a switch needs (sign-in, then GET /users), node:http ' +
        'keep-alive, both answers parsed. ' +
        (writes.length
          ? `Synchronous settings writes: ${writes.length} during the timed switches, median ${median(writes).toFixed(2)} ms.`
          : 'No synchronous settings write during the timed switches.'),
    };
    return { row, calls };
  } finally {
    stack.dispose();
  }
}
