// Figure 3: one switch through the whole main-process path - IPC dispatch (argument validation),
// handler, account service (token vault, settings, refresh), client, new state snapshot - against
// the requests a switch needs (sign-in, then the list), and the requests it made, counted.
//
// A switch replies once Pieces OS has confirmed it and refreshes the list after that. Each timed
// switch runs until both are done (the reply, then the list), so the next sample starts from a
// settled app and no variant runs alongside another's leftover work. At 20 users the whole
// (reply and list) is compared with the floor, which makes the same two requests; at 10,000 users
// the target is the time to reply, and the whole is in the JSON.
import { performance } from 'node:perf_hooks';
import { serialize } from 'node:v8';
import { dispatch } from '../../src/main/ipc/dispatch';
import { diffSnapshots } from '../../src/shared/state-patch';
import { createAppStack } from '../app-stack';
import { bareClient } from '../bare-http';
import { spawnEmulator, type EmulatorProcess } from '../emulator-process';
import { EMULATOR_SEED, LARGE_USERS, SMALL_USERS, type BenchContext } from '../context';
import { finishRow, type Measure, type Row, type Target } from '../report';
import { ratioSpread, sample, summaryOf } from '../sampler';
import { timeline } from '../timeline';
import { median, summarize } from '../stats';
import { pastedToken } from '../../test/support/sign-in-form';

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
    finishRow(small.whole, RATIO_TARGET),
    finishRow(small.calls, CALLS_TARGET),
    finishRow(large.reply, LARGE_REPLY_TARGET),
  ];
}

type RowDraft = Omit<Row, 'ratio' | 'target'>;

/** Milliseconds spent serializing for the window so far (see sendToWindow). */
let serializingMs = 0;

/**
 * Stand-in for Electron's IPC: webContents.send and an invoke's reply serialize the value with
 * V8's serializer in the main process; it is deserialized in the renderer's process, not here.
 * Returns the serialized size.
 */
function sendToWindow(value: unknown): number {
  const t0 = performance.now();
  const bytes = serialize(value).length;
  serializingMs += performance.now() - t0;
  return bytes;
}

async function measureSwitch(
  ctx: BenchContext,
  emu: EmulatorProcess,
  userCount: number,
  counts: { warmup: number; runs: number; repeats: number },
): Promise<{ whole: RowDraft; reply: RowDraft; calls: RowDraft }> {
  await emu.reset();
  const { users } = await emu.state();
  const [a, b] = users;
  if (!a?.email || !b?.email) throw new Error('The emulator needs two users with emails.');
  const tokens = { [a.id]: await emu.mintToken(a.email), [b.id]: await emu.mintToken(b.email) };

  // The floor switches on a twin emulator (same size and seed, so the same users): its sign-ins
  // must not change the current user of the app's Pieces OS, which the app follows live and would
  // then refresh for (work counted against the app's next sample, or a switch to an account the
  // floor had just made active, answered at once).
  const twin = await spawnEmulator({ users: userCount, seed: EMULATOR_SEED });
  const twinTokens = {
    [a.id]: await twin.mintToken(a.email),
    [b.id]: await twin.mintToken(b.email),
  };
  const stack = await createAppStack(emu.url);
  try {
    const { service, handlers } = stack;
    // Every push, and the invoke reply, crosses the process boundary. As app.ts does, main pushes
    // what changed since the snapshot it pushed before (a patch, or the whole when most changed).
    let pushed = service.snapshot();
    service.subscribe((s) => {
      const update = diffSnapshots(pushed, s);
      pushed = s;
      sendToWindow(update);
    });
    await service.start();
    for (const id of [a.id, b.id]) {
      const r = await dispatch(handlers, 'signIn', pastedToken(tokens[id]!));
      if (!r.ok) throw new Error(`Could not sign in: ${r.error.message}`);
    }
    /** Milliseconds to the reply of each timed (and warm-up) app switch. */
    const replies: number[] = [];
    /** Of those, the milliseconds spent serializing pushes and the reply for the window. */
    const serializing: number[] = [];
    /** The size of each reply as IPC serializes it (bytes). */
    const replyBytes: number[] = [];
    const switchTo = async (id: string, mark?: (what: string) => void) => {
      const t0 = performance.now();
      const s0 = serializingMs;
      // The reply is the handler's result as it crosses IPC: serialized in main, like a push.
      const r = await dispatch(handlers, 'switchTo', { id });
      // Its size is the bench's own bookkeeping: taken from that one serialization, not a second.
      replyBytes.push(sendToWindow(r));
      replies.push(performance.now() - t0);
      serializing.push(serializingMs - s0);
      mark?.('reply');
      if (!r.ok) throw new Error(`The switch failed: ${r.error.message}`);
      // The list refresh that follows the reply.
      await service.idle();
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
    const bare = bareClient(twin.url);
    const bareSwitch = async (id: string) => {
      await bare.json('POST', '/users/authenticate/from_token', JSON.stringify(twinTokens[id]));
      await bare.json('GET', '/users');
    };

    // Each variant alternates its target, so every app switch is a real one (never "already active").
    let oursNext = 0;
    let bareNext = 0;
    const ids = [b.id, a.id];
    stack.settingsWrites.length = 0;
    const writes = stack.settingsWrites;
    replies.length = 0;
    serializing.length = 0;
    replyBytes.length = 0;
    // Where each variant's time goes (requests sent and answered, the app's reply), warm-up
    // excluded: reported in the note.
    const tl = timeline();
    const timed = (name: string, n: number, run: () => Promise<void>) => async () => {
      if (n >= counts.warmup) tl.start(name);
      await run();
      tl.mark('done');
      tl.end();
    };
    let samples;
    try {
      samples = await sample(
        [
          {
            name: 'ours',
            run: () => timed('app', oursNext, () => switchTo(ids[oursNext++ % 2]!, tl.mark))(),
          },
          {
            name: 'bare',
            run: () => timed('floor', bareNext, () => bareSwitch(ids[bareNext++ % 2]!))(),
          },
        ],
        counts,
      );
    } finally {
      tl.close();
    }
    // The app runs once per round: the first `warmup` replies are the warm-up's.
    const replyMs = summarize(replies.slice(counts.warmup));
    const serializeMs = summarize(serializing.slice(counts.warmup));
    const n = userCount.toLocaleString('en');
    const calls: RowDraft = {
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
    const floor = {
      label: 'sign-in + GET /users, node:http keep-alive + JSON.parse',
      measure: { kind: 'samples' as const, ...summaryOf(samples, 'bare') },
    };
    const common =
      'dispatch(handlers, "switchTo") with the real service, client, plaintext token vault and ' +
      'settings on disk, plus v8.serialize of the reply (what changed, a patch) and of each push ' +
      '(what changed since the last push, as app.ts sends it), which is what Electron IPC does ' +
      'in the main process (the renderer deserializes). Electron’s own ' +
      'IPC transport is not included (no Electron here). Floor: what a switch needs (sign-in, ' +
      'then GET /users), node:http keep-alive, both answers parsed. ' +
      (writes.length
        ? `Synchronous settings writes: ${writes.length} during the timed switches, median ${median(writes).toFixed(2)} ms.`
        : 'No synchronous settings write during the timed switches.');
    const settingsDetail: Record<string, Measure> = writes.length
      ? { settingsWriteMs: { kind: 'samples', ...summarize(writes) } }
      : {};
    const whole: RowDraft = {
      id: userCount === SMALL_USERS ? 'switch.small' : 'switch.large.whole',
      figure: 3,
      label: `switch, ${n} users known: IPC dispatch → reply, then the list refreshed`,
      unit: 'ms',
      ours: { kind: 'samples', ...summaryOf(samples, 'ours') },
      baseline: floor,
      ratioSpread: ratioSpread(samples, 'ours', 'bare'),
      detail: { replyMs: { kind: 'samples', ...replyMs }, ...settingsDetail },
      note:
        `Until the reply and the list refresh after it are both done (service.idle()). ${common} ` +
        `Timeline, median ms from a sample's start (a request is "sent" once node:http has written it, "answered" on its answer's headers): ${tl.describe()}.`,
    };
    const reply: RowDraft = {
      id: userCount === SMALL_USERS ? 'switch.small.reply' : 'switch.large',
      figure: 3,
      label: `switch, ${n} users known: IPC dispatch → reply`,
      unit: 'ms',
      ours: { kind: 'samples', ...replyMs },
      baseline: floor,
      detail: {
        wholeMs: { kind: 'samples', ...summaryOf(samples, 'ours') },
        serializeMs: { kind: 'samples', ...serializeMs },
        replyBytes: { kind: 'samples', ...summarize(replyBytes.slice(counts.warmup)) },
        ...settingsDetail,
      },
      note:
        `Until the reply; each switch starts once the list refresh after the last one is done (the whole is in the JSON as wholeMs). ` +
        `Of the reply's median, ${serializeMs.median.toFixed(1)} ms went to serializing what was pushed on the way (the switch's start and its outcome) and the reply itself for the window; the reply was ${median(replyBytes).toFixed(0)} bytes serialized. ${common}`,
    };
    return { whole, reply, calls };
  } finally {
    stack.dispose();
    await twin.close();
  }
}
