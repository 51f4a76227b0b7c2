// Figure 7: a refresh when nothing changed, at 10,000 users: the main process's own time (CPU
// time of this process, so the emulator's work in its own process is not counted) and the
// snapshots it pushes (to the window and the tray). Nothing changed, so the target is: little
// time, and nothing pushed.
import { performance } from 'node:perf_hooks';
import { serialize } from 'node:v8';
import { createAppStack } from '../app-stack';
import { LARGE_USERS, type BenchContext } from '../context';
import { finishRow, type Row } from '../report';
import { summarize } from '../stats';

export async function unchangedRefresh(ctx: BenchContext): Promise<Row[]> {
  const emu = ctx.large;
  await emu.reset();
  const stack = await createAppStack(emu.url);
  try {
    const { service } = stack;
    let pushed = 0;
    // Stand-in for webContents.send('state', snapshot): Electron serializes each push with V8's
    // serializer in the main process (the renderer deserializes it in its own process).
    service.subscribe((s) => {
      pushed++;
      serialize(s);
    });
    const first = await service.start();
    if (first.accounts.length < LARGE_USERS) {
      throw new Error(`The service holds ${first.accounts.length} accounts.`);
    }
    const { warmup, runs } = ctx.runs({ warmup: 2, runs: 12 }, { warmup: 1, runs: 4 });
    for (let i = 0; i < warmup; i++) await service.refresh();
    const cpu: number[] = [];
    const wall: number[] = [];
    pushed = 0;
    for (let i = 0; i < runs; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await service.refresh();
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    if (service.snapshot().accounts.length !== first.accounts.length) {
      throw new Error('The accounts changed during an unchanged refresh.');
    }
    const n = LARGE_USERS.toLocaleString('en');
    return [
      finishRow(
        {
          id: 'refresh.unchanged.cpu',
          figure: 7,
          label: `unchanged refresh, ${n} users: main-process time (CPU)`,
          unit: 'ms',
          ours: { kind: 'samples', ...summarize(cpu) },
          detail: { wallMs: { kind: 'samples', ...summarize(wall) } },
          note:
            'service.refresh() with the emulator unchanged; process.cpuUsage() (user + system) of ' +
            'the app-side process around it, including a v8.serialize per pushed snapshot as ' +
            'Electron IPC does in the main process. The emulator runs in its own process and is not counted. Wall ' +
            'time (which includes waiting for the emulator) is in the JSON.',
        },
        { text: '≤ 100 ms', on: 'ours', op: '<=', limit: 100 },
      ),
      finishRow(
        {
          id: 'refresh.unchanged.pushed',
          figure: 7,
          label: `unchanged refresh, ${n} users: snapshots pushed to window/tray`,
          unit: 'count',
          ours: { kind: 'value', value: pushed / runs },
          note: `Snapshots the service pushed to its subscribers per unchanged refresh (mean of ${runs}): each one is renderer work.`,
        },
        { text: '≤ 0 (none)', on: 'ours', op: '<=', limit: 0 },
      ),
    ];
  } finally {
    stack.dispose();
  }
}
