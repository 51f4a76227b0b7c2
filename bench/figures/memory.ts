// Figure 6: main-process heap growth from holding 10,000 accounts: the real service (with its
// client, settings and token vault) after its first refresh, measured after full GCs. The
// emulator runs in another process, so its heap is not counted.
//
// Each measurement lives in its own function that returns only numbers: a suspended async frame
// can keep a local alive past its last use, which would count one run's data in the next run.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createAppStack } from '../app-stack';
import { bareClient, ok2xx } from '../bare-http';
import { LARGE_USERS, type BenchContext } from '../context';
import { finishRow, type Row } from '../report';
import { summarize } from '../stats';

const MB = 1024 * 1024;
const REPEATS = 3;
/** Refreshes before the leak check starts (a one-time step settles), then refreshes checked. */
const SETTLE_REFRESHES = 1;
const CHECKED_REFRESHES = 4;

let gcFn: (() => void) | undefined;
function gc(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
}

/** heapUsed in MB after full GCs, with turns of the event loop between (sockets close late). */
async function heapMB(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 10));
    gc();
  }
  return process.memoryUsage().heapUsed / MB;
}

async function serviceRun(url: string): Promise<{ held: number; more: number }> {
  const h0 = await heapMB();
  const stack = await createAppStack(url);
  try {
    // Only the count is kept: holding the first snapshot would count it again after the refreshes.
    const held = (await stack.service.start()).accounts.length;
    if (held !== LARGE_USERS) throw new Error(`Holding ${held} accounts.`);
    const h1 = await heapMB();
    for (let r = 0; r < SETTLE_REFRESHES; r++) await stack.service.refresh();
    const h2 = await heapMB();
    for (let r = 0; r < CHECKED_REFRESHES; r++) await stack.service.refresh();
    const h3 = await heapMB();
    if (stack.service.snapshot().accounts.length !== LARGE_USERS) throw new Error('Lost accounts.');
    return { held: h1 - h0, more: h3 - h2 };
  } finally {
    stack.dispose();
  }
}

/** The same body as plain parsed JSON, held: the wire objects, for scale. */
async function plainRun(url: string): Promise<number> {
  const h0 = await heapMB();
  const parsed = await fetchParsed(url);
  const h1 = await heapMB();
  if (!Array.isArray((parsed as { iterable?: unknown }).iterable)) throw new Error('No users.');
  return h1 - h0;
}

/** The body text goes out of scope here, so only the parsed objects stay. */
async function fetchParsed(url: string): Promise<unknown> {
  const { text } = await ok2xx(bareClient(url).request('GET', '/users'), 'GET /users');
  return JSON.parse(text) as unknown;
}

export async function heapGrowth(ctx: BenchContext): Promise<Row[]> {
  // Warm-up: load and compile every module and code path once, so code is not counted as data.
  await serviceRun(ctx.large.url);
  await plainRun(ctx.large.url);

  const held: number[] = [];
  const more: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const r = await serviceRun(ctx.large.url);
    held.push(r.held);
    more.push(r.more);
    plain.push(await plainRun(ctx.large.url));
  }

  const n = LARGE_USERS.toLocaleString('en');
  return [
    finishRow({
      id: 'memory.held',
      figure: 6,
      label: `main heap growth holding ${n} accounts`,
      unit: 'MB',
      ours: { kind: 'samples', ...summarize(held) },
      baseline: {
        label: 'JSON.parse of GET /users, held',
        measure: { kind: 'samples', ...summarize(plain) },
      },
      note:
        'heapUsed after full GCs, before vs after service.start() (users, profiles map, snapshot). ' +
        'Baseline: the raw wire objects of the same body, for scale. 1 MB = 2^20 bytes.',
    }),
    finishRow({
      id: 'memory.moreRefreshes',
      figure: 6,
      label: `… growth over ${CHECKED_REFRESHES} more refreshes (leak check)`,
      unit: 'MB',
      ours: { kind: 'samples', ...summarize(more) },
      note:
        `heapUsed after vs before ${CHECKED_REFRESHES} more refreshes of the same users (after ` +
        `${SETTLE_REFRESHES} to settle a one-time step of about 0.5 MB): ~0 means no leak.`,
    }),
  ];
}
