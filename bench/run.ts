// npm run bench -- [--out path.json] [--quick] [--markdown]
// Runs every figure of the performance issue against emulators on loopback, prints one table and
// writes the same as JSON. Exits 1 if a figure could not be measured; a missed target is a result,
// not a failure.
import { CHROMIUM_PATH } from '../e2e/chromium';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { EMULATOR_SEED, LARGE_USERS, SMALL_USERS, type BenchContext } from './context';
import { spawnEmulator, type EmulatorProcess } from './emulator-process';
import { clientOverhead } from './figures/client-overhead';
import { decodeAtScale } from './figures/decode';
import { liveState } from './figures/live';
import { heapGrowth } from './figures/memory';
import { unchangedRefresh } from './figures/refresh';
import { atScale } from './figures/scale';
import { buildSizes } from './figures/sizes';
import { windowAtScale } from './figures/window-scale';
import { switchPath } from './figures/switch';
import { windowInChromium } from './figures/window';
import { paletteReopen } from './figures/palette';
import { describeMachine } from './machine';
import type { BenchReport, FigureError, Row } from './report';
import { markdownTable, notes, textTable } from './table';

const USAGE = 'Usage: npm run bench -- [--out path.json] [--quick] [--markdown] [--only 1,3,...]';

interface Figure {
  figure: number;
  label: string;
  run: (ctx: BenchContext) => Promise<Row[]> | Row[];
}

const FIGURES: Figure[] = [
  { figure: 5, label: 'bundle sizes', run: () => buildSizes() },
  { figure: 2, label: 'snapshot decode at scale', run: decodeAtScale },
  { figure: 1, label: 'client overhead per call', run: clientOverhead },
  { figure: 3, label: 'switch through the main-process path', run: switchPath },
  { figure: 7, label: 'unchanged refresh at scale', run: unchangedRefresh },
  { figure: 6, label: 'main-process heap', run: heapGrowth },
  { figure: 4, label: 'window in Chromium', run: windowInChromium },
  { figure: 9, label: 'live state from Pieces OS', run: liveState },
  { figure: 10, label: 'quick switcher shown again', run: paletteReopen },
  // Last: its own emulator of 100,000 users takes about a minute of CPU to start.
  { figure: 8, label: '100,000 users', run: atScale },
  { figure: 8, label: '100,000 users in the window', run: windowAtScale },
];

function parse(): { out: string; quick: boolean; markdown: boolean; only?: Set<number> } {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        out: { type: 'string' },
        quick: { type: 'boolean', default: false },
        markdown: { type: 'boolean', default: false },
        // Figure numbers to run (for working on one figure); a full run is what counts.
        only: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = values.out ?? join('bench-results', `bench-${stamp}.json`);
  const only = values.only ? new Set(values.only.split(',').map(Number)) : undefined;
  return { out: resolve(out), quick: values.quick, markdown: values.markdown, only };
}

async function main(): Promise<void> {
  const { out, quick, markdown, only } = parse();
  const figures = only ? FIGURES.filter((f) => only.has(f.figure)) : FIGURES;
  const startedAt = new Date();
  const loadAtStart = Math.round(loadavg()[0]! * 100) / 100;
  const t0 = performance.now();
  const log = (m: string) => console.error(m);
  const chromiumPath = CHROMIUM_PATH;

  const rows: Row[] = [];
  const errors: FigureError[] = [];
  let emulators: [EmulatorProcess, EmulatorProcess] | undefined;
  let startError: unknown;
  log(`Starting emulators (${SMALL_USERS} and ${LARGE_USERS} users)…`);
  const started = await Promise.allSettled([
    spawnEmulator({ users: SMALL_USERS, seed: EMULATOR_SEED }),
    spawnEmulator({ users: LARGE_USERS, seed: EMULATOR_SEED }),
  ]);
  if (started[0].status === 'fulfilled' && started[1].status === 'fulfilled') {
    emulators = [started[0].value, started[1].value];
  } else {
    startError = started.find((s) => s.status === 'rejected')?.reason;
    for (const s of started) if (s.status === 'fulfilled') await s.value.close();
  }

  try {
    for (const f of figures) {
      log(`Figure ${f.figure}: ${f.label}`);
      try {
        if (!emulators && f.figure !== 5 && f.figure !== 8) throw startError;
        const ctx: BenchContext = {
          quick,
          small: emulators?.[0] as EmulatorProcess,
          large: emulators?.[1] as EmulatorProcess,
          runs: (full, q) => (quick ? q : full),
          log,
        };
        rows.push(...(await f.run(ctx)));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log(`  could not be measured: ${message}`);
        errors.push({ figure: f.figure, label: f.label, message });
      }
    }
  } finally {
    if (emulators) await Promise.all(emulators.map((e) => e.close()));
  }

  rows.sort((a, b) => a.figure - b.figure);
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    durationS: Math.round((performance.now() - t0) / 100) / 10,
    command: `npm run bench${quick ? ' -- --quick' : ''}${only ? ` --only ${[...only].join(',')}` : ''}`,
    quick,
    machine: { ...describeMachine(chromiumPath), loadAverage1mAtStart: loadAtStart },
    rows,
    errors,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

  const m = report.machine;
  console.log(markdown ? markdownTable(rows, errors) : textTable(rows, errors));
  console.log(`\nWhat is measured:\n${notes(rows)}`);
  for (const e of errors) console.log(`  [${e.figure}] ${e.label}: NOT MEASURED: ${e.message}`);
  console.log(
    `\nMachine: ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, ${m.os}, Node ${m.node}, ${m.chromium}; ` +
      `1-minute load average ${m.loadAverage1mAtStart} at start, ${m.loadAverage1m} at end.`,
  );
  console.log(
    'Ratios: ours / baseline medians per repeat, variants in a seeded shuffled order every round, ' +
      'warm-up excluded; shown as the median (min–max) over the repeats.',
  );
  console.log(`${quick ? 'Quick run' : 'Run'} took ${report.durationS} s. JSON: ${out}`);
  process.exitCode = errors.length > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
