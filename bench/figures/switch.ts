// Figure 3: one switch through the whole main-process path - IPC dispatch (argument validation),
// handler, account service (token vault, last-active setting written to disk, refresh), client,
// new state snapshot - against the bare HTTP calls that switch makes.
import { dispatch } from '../../src/main/ipc/dispatch';
import { createAppStack } from '../app-stack';
import { bareClient, ok2xx } from '../bare-http';
import type { EmulatorProcess } from '../emulator-process';
import { LARGE_USERS, SMALL_USERS, type BenchContext } from '../context';
import { finishRow, type Row, type Target } from '../report';
import { interleave } from '../sampler';
import { median, summarize } from '../stats';

/** The requests one switch makes, checked against the emulator's request counts before timing. */
const EXPECTED_CALLS = { signIn: 1, listUsers: 1, currentUser: 1 };

const TARGET: Target = { text: '≤ 1.2×', on: 'ratio', op: '<=', limit: 1.2 };

export async function switchPath(ctx: BenchContext): Promise<Row[]> {
  const small = await measureSwitch(
    ctx,
    ctx.small,
    SMALL_USERS,
    ctx.runs({ warmup: 15, runs: 150 }, { warmup: 5, runs: 40 }),
  );
  // The same at 10,000 known users, for the lead's information (the target is for the common case).
  const large = await measureSwitch(
    ctx,
    ctx.large,
    LARGE_USERS,
    ctx.runs({ warmup: 3, runs: 12 }, { warmup: 1, runs: 4 }),
  );
  return [finishRow(small, TARGET), finishRow(large)];
}

async function measureSwitch(
  ctx: BenchContext,
  emu: EmulatorProcess,
  userCount: number,
  counts: { warmup: number; runs: number },
): Promise<Omit<Row, 'ratio' | 'target'>> {
  await emu.reset();
  const { users } = await emu.state();
  const [a, b] = users;
  if (!a?.email || !b?.email) throw new Error('The emulator needs two users with emails.');
  const tokens = { [a.id]: await emu.mintToken(a.email), [b.id]: await emu.mintToken(b.email) };

  const stack = createAppStack(emu.url);
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

    // Check which requests a switch makes, so the baseline makes exactly those.
    const before = (await emu.state()).requestCounts;
    await switchTo(a.id); // b was signed in last, so this is a real switch
    const after = (await emu.state()).requestCounts;
    const made = Object.fromEntries(
      Object.keys(after)
        .map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    if (!sameCounts(made, EXPECTED_CALLS)) {
      throw new Error(
        `A switch made ${JSON.stringify(made)}, not ${JSON.stringify(EXPECTED_CALLS)}.`,
      );
    }

    const bare = bareClient(emu.url);
    const bareSwitch = async (id: string) => {
      const body = JSON.stringify(tokens[id]);
      await ok2xx(bare.request('POST', '/users/authenticate/from_token', body), 'sign-in');
      await Promise.all([
        ok2xx(bare.request('GET', '/users'), 'GET /users'),
        ok2xx(bare.request('GET', '/user'), 'GET /user'),
      ]);
    };

    // Each variant alternates its target, so every app switch is a real one (never "already active").
    let oursNext = 0;
    let bareNext = 0;
    const ids = [b.id, a.id];
    stack.settingsWrites.length = 0;
    const samples = await interleave(
      [
        { name: 'ours', run: () => switchTo(ids[oursNext++ % 2]!) },
        { name: 'bare', run: () => bareSwitch(ids[bareNext++ % 2]!) },
      ],
      counts,
    );
    const n = userCount.toLocaleString('en');
    return {
      id: userCount === SMALL_USERS ? 'switch.small' : 'switch.large',
      figure: 3,
      label: `switch, ${n} users known: IPC dispatch → new snapshot`,
      unit: 'ms',
      ours: { kind: 'samples', ...summarize(samples.get('ours')!) },
      baseline: {
        label: 'the same 3 requests, node:http',
        measure: { kind: 'samples', ...summarize(samples.get('bare')!) },
      },
      detail: {
        // Includes the warm-up switches: each writes the setting once.
        settingsWriteMs: { kind: 'samples', ...summarize(stack.settingsWrites) },
      },
      note:
        'dispatch(handlers, "switchTo") with the real service, client, plaintext token vault and ' +
        'settings on disk (lastActiveId is written on every switch), plus structuredClone of the ' +
        'reply and of each pushed snapshot as Electron IPC would. Electron’s own IPC transport is ' +
        'not included (no Electron here). Baseline: the same three requests with node:http. ' +
        `The settings.json write took ${median(stack.settingsWrites).toFixed(2)} ms of each switch (median).`,
    };
  } finally {
    stack.dispose();
  }
}

function sameCounts(made: Record<string, number>, expected: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(made), ...Object.keys(expected)]);
  return [...keys].every((k) => made[k] === expected[k]);
}
