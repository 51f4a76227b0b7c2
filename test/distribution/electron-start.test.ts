// `npm start` on a fresh clone, proven without the internet: the real start path (package.json's
// start script: scripts/ensure-electron.cjs, the electron package's own installer, electron-vite
// preview) runs in a copy of the project against a loopback mirror serving a stand-in Electron.
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../support/ports';
import {
  ELECTRON_VERSION,
  ROOT,
  readStarts,
  standInZip,
  startMirror,
  zipName,
  type Mirror,
} from '../support/electron-stand-in';
import { makeStartProject, runNpm, startEnv } from '../support/start-project';

// The stand-in is a script; Windows runs only electron.exe. The workflow's Windows job runs the
// real binary instead (the _electron suite).
const onWindows = process.platform === 'win32';
const realPathTxt = join(ROOT, 'node_modules', 'electron', 'path.txt');
const realBinaryBefore = existsSync(realPathTxt);

function expectPlainAdvice(output: string): void {
  expect(output).toContain(`The Electron ${ELECTRON_VERSION} binary is missing`);
  expect(output).toContain('npx install-electron');
  expect(output).toContain('ELECTRON_MIRROR=');
  expect(output).toContain('npm run web -- --emulator');
  // No stack trace: no "    at fn (file:line)" frames, no "Error:" dump from the installer.
  expect(output).not.toMatch(/^\s+at .+[:(]/m);
  expect(output).not.toContain('Electron uninstall');
}

describe.skipIf(onWindows)('npm start with a stand-in Electron on a loopback mirror', () => {
  let tmp: string;
  let project: string;
  let mirror: Mirror;
  let record: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'pieces-start-'));
    project = makeStartProject(tmp);
    mirror = await startMirror(await standInZip());
    record = join(tmp, 'starts.jsonl');
    env = startEnv(mirror.url, join(tmp, 'electron-cache'), record);
  });

  afterAll(async () => {
    await mirror?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const zipPath = () => `/v${ELECTRON_VERSION}/${zipName()}`;

  it('downloads once with progress, checks it, and starts it with the built app', async () => {
    const first = await runNpm(project, ['start'], env);
    expect(first.output).toContain('Downloading Electron:');
    expect(first.output).toContain(`Electron ${ELECTRON_VERSION} installed`);
    expect(first.code, first.output).toBe(0);
    expect(mirror.requests.get(zipPath())).toBe(1);
    // Remote checksums were asked for and checked (a mismatch would have failed the start).
    expect(mirror.requests.get(`/v${ELECTRON_VERSION}/SHASUMS256.txt`)).toBe(1);

    const starts = readStarts(record);
    expect(starts).toHaveLength(1);
    const [start] = starts;
    // electron-vite starts Electron with the app folder; Electron loads package.json#main from it.
    const appDir = resolve(start!.cwd, start!.argv[0]!);
    expect(realpathSync(appDir)).toBe(realpathSync(project));
    const { main } = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as {
      main: string;
    };
    const entry = resolve(appDir, main);
    expect(entry).toBe(resolve(project, 'out', 'main', 'index.js'));
    // Started as the app, not as plain Node, and with the mirror's settings passed through.
    expect(start!.env.ELECTRON_RUN_AS_NODE).toBeUndefined();
    expect(start!.env.ELECTRON_MIRROR).toBe(mirror.url);
    // Built by this very start (electron-vite preview builds first).
    expect(readFileSync(entry, 'utf8')).toContain('__piecesTestHooks');
  }, 90_000);

  it('a second start uses the installed binary without downloading again', async () => {
    const second = await runNpm(project, ['start'], env);
    expect(second.code, second.output).toBe(0);
    expect(second.output).not.toContain('Downloading Electron');
    expect(mirror.requests.get(zipPath())).toBe(1);
    expect(readStarts(record)).toHaveLength(2);
  }, 90_000);

  it('left the project’s own electron package as it was', () => {
    expect(existsSync(realPathTxt)).toBe(realBinaryBefore);
  });
});

describe.skipIf(onWindows)('npm start where Electron cannot be downloaded', () => {
  let tmp: string;
  let project: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'pieces-start-offline-'));
    project = makeStartProject(tmp);
  });

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('mirror down: a short plain message with the advice, exit code non-zero', async () => {
    const down = `http://127.0.0.1:${await closedPort()}/`;
    const record = join(tmp, 'starts.jsonl');
    const run = await runNpm(project, ['start'], startEnv(down, join(tmp, 'cache'), record));
    expect(run.code).not.toBe(0);
    expectPlainAdvice(run.output);
    expect(run.output).toContain('could not reach 127.0.0.1');
    expect(readStarts(record)).toHaveLength(0);
    expect(existsSync(join(project, 'node_modules', 'electron', 'path.txt'))).toBe(false);
  }, 60_000);

  it('mirror that never answers: gives up by itself with the same advice', async () => {
    // Accepts connections and never answers a request: the installer alone would wait on.
    const silent = await startMirror(await standInZip(), false);
    try {
      const record = join(tmp, 'starts-silent.jsonl');
      const run = await runNpm(
        project,
        ['start'],
        startEnv(silent.url, join(tmp, 'cache-silent'), record),
      );
      expect(run.code).not.toBe(0);
      expectPlainAdvice(run.output);
      expect(run.output).toMatch(/no answer from 127\.0\.0\.1:\d+ within \d+ s/);
      expect(silent.requests.get(`/v${ELECTRON_VERSION}/${zipName()}`)).toBe(1);
    } finally {
      await silent.close();
    }
  }, 60_000);
});
