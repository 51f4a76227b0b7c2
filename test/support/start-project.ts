// A throw-away copy of the project for running the real `npm start` against a stand-in Electron:
// the sources, scripts and configuration as they are, node_modules linked package by package to
// the project's own, except the `electron` package (copied without any binary, so whatever the
// test installs lands in the copy, never in the project) and `electron-vite` (copied so that it
// finds that `electron` copy, not the project's).
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './electron-stand-in';

const COPIED = new Set(['electron', 'electron-vite', '.bin']);
const SKIPPED = new Set(['.vite', '.cache', '.package-lock.json']);

export function makeStartProject(parent: string): string {
  const project = join(parent, 'project');
  const modules = join(project, 'node_modules');
  mkdirSync(modules, { recursive: true });
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (COPIED.has(name) || SKIPPED.has(name)) continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(modules, name), 'junction');
  }
  const electron = join(ROOT, 'node_modules', 'electron');
  // Where the real binary is installed (a CI machine), it stays behind.
  const binary = new Set([join(electron, 'dist'), join(electron, 'path.txt')]);
  cpSync(electron, join(modules, 'electron'), {
    recursive: true,
    filter: (src) => !binary.has(src),
  });
  cpSync(join(ROOT, 'node_modules', 'electron-vite'), join(modules, 'electron-vite'), {
    recursive: true,
  });
  // The bin links are relative (../electron-vite/bin/...): kept as they are, they reach the copies.
  cpSync(join(ROOT, 'node_modules', '.bin'), join(modules, '.bin'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  for (const dir of ['src', 'scripts']) {
    symlinkSync(join(ROOT, dir), join(project, dir), 'junction');
  }
  for (const file of readdirSync(ROOT).filter(
    (f) => f === 'package.json' || f === 'electron.vite.config.ts' || /^tsconfig.*\.json$/.test(f),
  )) {
    cpSync(join(ROOT, file), join(project, file));
  }
  return project;
}

export interface Run {
  code: number | null;
  output: string;
}

/** Runs `npm <args>` in `cwd` to its end, stdout and stderr together. */
export function runNpm(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** The environment for a start against `mirror`, without anything from the caller that would
 * send the installer elsewhere or make it skip the download. */
export function startEnv(
  mirrorUrl: string,
  cacheDir: string,
  recordFile: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|electron_|ELECTRON_|force_no_cache$)/i.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    ELECTRON_MIRROR: mirrorUrl,
    // An .npmrc's electron_mirror would win over ELECTRON_MIRROR; the environment wins over .npmrc.
    npm_config_electron_mirror: mirrorUrl,
    electron_use_remote_checksums: '1',
    electron_config_cache: cacheDir,
    STAND_IN_RECORD: recordFile,
  };
}
