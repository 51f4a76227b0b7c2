// Figure 9 (issue 13): following Pieces OS live. The app as it is built (createCore, its live
// streams and discovery through the port file in a temp home folder) against an emulator in this
// process, so the emulator can be stopped, restarted on another port and switched by "another
// client". Each time runs from the event to the snapshot the window and the tray render.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulator, type Emulator } from '../../emulator/server';
import { ENDPOINT_NAMES } from '../../emulator/types';
import type { AccountService } from '../../src/main/accounts/account-service';
import { createCore } from '../../src/main/core';
import { portFilePath } from '../../src/main/pieces/base-url';
import { noKeychain } from '../../src/main/settings/no-keychain';
import type { StateSnapshot } from '../../src/shared/domain';
import type { BenchContext } from '../context';
import { finishRow, type Row } from '../report';
import { summarize } from '../stats';

const IDLE_WINDOW_MS = 15_000;

/** Resolves with the first snapshot that satisfies `test`. */
function until(service: AccountService, test: (s: StateSnapshot) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (test(service.snapshot())) return resolve();
    const off = service.subscribe((s) => {
      if (test(s)) {
        off();
        resolve();
      }
    });
  });
}

const live = (s: StateSnapshot) =>
  s.connection.status === 'online' && s.connection.updates === 'live';
const requests = (emu: Emulator) =>
  ENDPOINT_NAMES.reduce((sum, name) => sum + emu.requestCount(name), 0);

export async function liveState(ctx: BenchContext): Promise<Row[]> {
  const home = mkdtempSync(join(tmpdir(), 'pieces-bench-home-'));
  const data = mkdtempSync(join(tmpdir(), 'pieces-bench-live-'));
  const portFile = portFilePath(home, process.platform);
  mkdirSync(dirname(portFile), { recursive: true });
  let emu = await startEmulator({ port: 0, users: 3, seed: 9 });
  const announce = (e: Emulator) => writeFileSync(portFile, String(new URL(e.url).port));
  announce(emu);
  const { service } = await createCore({
    dataDir: data,
    safeStorage: noKeychain('the benchmark'),
    allowPlaintext: () => true,
    allowLoopbackIssuer: false,
    openExternal: () => undefined,
    homeDir: home,
    env: {},
  });
  const { runs } = ctx.runs({ warmup: 0, runs: 5 }, { warmup: 0, runs: 2 });
  const lost: number[] = [];
  const back: number[] = [];
  const moved: number[] = [];
  const switched: number[] = [];
  let idlePerMinute: number;
  try {
    await service.start();
    await until(service, live);
    for (let i = 0; i < runs; i++) {
      // Pieces OS stops: until the window shows it is not reachable.
      let t0 = performance.now();
      await emu.stop();
      await until(service, (s) => s.connection.status === 'offline');
      lost.push(performance.now() - t0);
      // It comes back on the same port: until connected (live) again.
      t0 = performance.now();
      await emu.start();
      await until(service, live);
      back.push(performance.now() - t0);
    }
    for (let i = 0; i < runs; i++) {
      // It comes back on another port, announced in .port.txt: until connected there.
      const next = await startEmulator({ port: 0, users: 3, seed: 9 });
      const t0 = performance.now();
      await emu.close();
      announce(next);
      await until(
        service,
        (s) => live(s) && s.connection.status === 'online' && s.connection.url === next.url,
      );
      moved.push(performance.now() - t0);
      emu = next;
    }
    const users = emu.users() as { email: string; id: string }[];
    for (let i = 0; i < runs * 2; i++) {
      // Another Pieces client switches the current user: until the snapshot names them.
      const who = users[i % users.length]!;
      if (service.snapshot().activeId === who.id) continue;
      const token = emu.mintToken({ email: who.email });
      const t0 = performance.now();
      await fetch(`${emu.url}/users/authenticate/from_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(token),
      });
      await until(service, (s) => s.activeId === who.id);
      switched.push(performance.now() - t0);
    }
    // Idle: nothing happens; every HTTP request the app sends to Pieces OS is counted.
    await service.idle();
    const before = requests(emu);
    await new Promise((resolve) => setTimeout(resolve, ctx.quick ? 5_000 : IDLE_WINDOW_MS));
    idlePerMinute = ((requests(emu) - before) * 60_000) / (ctx.quick ? 5_000 : IDLE_WINDOW_MS);
  } finally {
    service.stop();
    await emu.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
  const row = (id: string, label: string, samples: number[], limit: number, note: string): Row =>
    finishRow(
      { id, figure: 9, label, unit: 'ms', ours: { kind: 'samples', ...summarize(samples) }, note },
      {
        text: `≤ ${limit >= 1000 ? `${limit / 1000} s` : `${limit} ms`}`,
        on: 'ours',
        op: '<=',
        limit,
      },
    );
  return [
    row(
      'live.lost',
      'Pieces OS stops: until the window shows it is not reachable',
      lost,
      1_000,
      'emulator.stop() (every socket ended) to the first snapshot with connection offline.',
    ),
    row(
      'live.back',
      'Pieces OS comes back on the same port: until connected',
      back,
      2_000,
      'emulator.start() to the first snapshot online with live updates.',
    ),
    row(
      'live.moved',
      'Pieces OS comes back on another port (.port.txt): until connected',
      moved,
      2_000,
      'The old emulator closed and the new port written to .port.txt, to the first snapshot online at the new address.',
    ),
    row(
      'live.switched',
      'another client switches the current user: until the window and tray show it',
      switched,
      250,
      'POST /users/authenticate/from_token by another client to the first snapshot naming that user active (the tray renders that snapshot as it is pushed; the window gets it by IPC).',
    ),
    finishRow(
      {
        id: 'live.idle',
        figure: 9,
        label: 'idle with the streams up: HTTP requests per minute',
        unit: 'count',
        ours: { kind: 'value', value: idlePerMinute },
        note: `Requests the emulator counted over ${IDLE_WINDOW_MS / 1000} s of nothing happening, per minute (the 5-minute safety refresh aside).`,
      },
      { text: '0', on: 'ours', op: '<=', limit: 0 },
    ),
  ];
}
