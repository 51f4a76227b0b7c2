#!/usr/bin/env node
// npm start / dev / demo run this first: make sure the Electron binary is installed, downloading it
// with the electron package's own installer (node_modules/electron/install.js, the same as
// `npx install-electron`: ELECTRON_MIRROR, electron_config_cache and checksums all apply) when it
// is not. Electron 45 no longer downloads at `npm install`, and electron-vite reads
// node_modules/electron/path.txt without downloading, so without this step a fresh clone fails
// with "Electron uninstall". Where the download cannot happen this says so in a few plain lines
// within seconds and exits 1, instead of a stack trace or a long wait.
//
// Plain CommonJS run by node itself, not tsx: it must answer within seconds on a busy machine.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, for node without tsx */

const { spawn } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join, relative } = require('node:path');

/** How long the installer may wait for a mirror's answer (headers) before we give up. */
const ANSWER_TIMEOUT_MS = 8_000;
/** How long a running download may stay without a byte before we give up. */
const STALL_TIMEOUT_MS = 30_000;
/** How long the installer may work without a network event (checking the cache, unzipping). */
const WORK_TIMEOUT_MS = 180_000;

// What the usual network failures mean, in words.
const NETWORK_WORDS = {
  ENOTFOUND: 'its name does not resolve: offline?',
  EAI_AGAIN: 'its name does not resolve: offline?',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
};

/** The electron package the project at `root` uses (npm scripts run at the project root). */
function findElectronPackage(root) {
  const manifest = createRequire(join(root, 'package.json')).resolve('electron/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
  return { dir: dirname(manifest), version, platformPath: platformPath() };
}

// Mirrors install.js's getPlatformPath: the executable inside dist/, as written to path.txt.
function platformPath() {
  const platform =
    process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || process.platform;
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/** The installed executable, or null: the same checks install.js makes before downloading. */
function installedElectron(pkg) {
  try {
    const pathTxt = readFileSync(join(pkg.dir, 'path.txt'), 'utf8');
    const version = readFileSync(join(pkg.dir, 'dist', 'version'), 'utf8').trim();
    if (pathTxt !== pkg.platformPath || version.replace(/^v/, '') !== pkg.version) return null;
  } catch {
    return null;
  }
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg.dir, 'dist');
  const exe = join(dist, pkg.platformPath);
  return existsSync(exe) ? exe : null;
}

/** Resolves with { ok: true, path, downloaded } or { ok: false, message }. */
async function ensureElectron(root = process.cwd(), progress = process.stderr) {
  const pkg = findElectronPackage(root);
  const ready = installedElectron(pkg);
  if (ready) return { ok: true, path: ready, downloaded: false };

  // install.js require()s @electron/get, an ES module: Node 20.19+ can (it declares 22.12+).
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    return {
      ok: false,
      message: offlineMessage(
        pkg,
        `the electron package's installer needs Node 20.19 or later (22.12 or later is what it declares), this is Node ${process.versions.node}`,
      ),
    };
  }

  progress.write(
    `The Electron ${pkg.version} binary is not installed yet: downloading it once with the electron package's installer.\n`,
  );
  const failure = await runInstaller(pkg, progress);
  const installed = installedElectron(pkg);
  if (!failure && installed) {
    progress.write(`Electron ${pkg.version} installed in ${relative(root, pkg.dir) || '.'}.\n`);
    return { ok: true, path: installed, downloaded: true };
  }
  return {
    ok: false,
    message: offlineMessage(pkg, failure || 'the installer finished but left no binary'),
  };
}

/** Runs install.js, watched; resolves with why it failed, or null. */
function runInstaller(pkg, progress) {
  const watch = join(__dirname, 'electron-download-watch.cjs');
  const child = spawn(process.execPath, ['--require', watch, join(pkg.dir, 'install.js')], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Our progress line replaces @electron/get's bar, which would appear only after 30 s.
    env: { ...process.env, ELECTRON_GET_NO_PROGRESS: '1' },
  });
  // Kept to name the reason; never shown whole (install.js prints a stack trace).
  let output = '';
  const keep = (chunk) => {
    if (output.length < 64_000) output += chunk.toString('utf8');
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  let reason = null;
  let lastUrl = '';
  let shownPercent = -1;
  let timer;
  const giveUpAfter = (ms, why) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      reason = reason || why();
      child.kill();
    }, ms);
  };
  giveUpAfter(WORK_TIMEOUT_MS, () => 'the installer did not finish');

  child.on('message', (event) => {
    lastUrl = event.url;
    const host = hostOf(event.url);
    const stalled = () => `the download from ${host} stalled`;
    switch (event.type) {
      case 'request':
        giveUpAfter(
          ANSWER_TIMEOUT_MS,
          () => `no answer from ${host} within ${ANSWER_TIMEOUT_MS / 1000} s`,
        );
        break;
      case 'response':
        if (event.status >= 400)
          reason = reason || `${host} answered HTTP ${event.status} for ${event.url}`;
        giveUpAfter(STALL_TIMEOUT_MS, stalled);
        break;
      case 'progress':
      case 'done':
        if (event.url.endsWith('.zip')) shownPercent = showProgress(progress, event, shownPercent);
        giveUpAfter(event.type === 'done' ? WORK_TIMEOUT_MS : STALL_TIMEOUT_MS, stalled);
        break;
      case 'failed':
        reason =
          reason || `could not reach ${host} (${NETWORK_WORDS[event.reason] || event.reason})`;
        break;
    }
  });

  return new Promise((resolve) => {
    const finish = (code, spawnError) => {
      clearTimeout(timer);
      if (shownPercent >= 0 && progress.isTTY) progress.write('\n');
      if (spawnError) return resolve(`the installer could not start (${spawnError.message})`);
      if (code === 0 && !reason) return resolve(null);
      resolve(
        reason || firstErrorLine(output) || `the installer stopped (exit ${code}, ${lastUrl})`,
      );
    };
    child.once('error', (err) => finish(null, err));
    child.once('close', (code) => finish(code));
  });
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function showProgress(out, event, shown) {
  const mb = (n) => (n / 1_000_000).toFixed(1);
  const percent = event.total ? Math.floor((event.transferred / event.total) * 100) : 0;
  const line = event.total
    ? `Downloading Electron: ${mb(event.transferred)} of ${mb(event.total)} MB (${percent} %)`
    : `Downloading Electron: ${mb(event.transferred)} MB`;
  if (out.isTTY) {
    out.write(`\r${line}`);
    return percent;
  }
  // Into a log or a pipe: one line per 10 %, not one per chunk.
  const step = Math.floor(percent / 10) * 10;
  if (step > shown || (event.type === 'done' && shown < 100)) out.write(`${line}\n`);
  return event.type === 'done' ? 100 : Math.max(step, shown);
}

// install.js prints only `err.stack`: keep its first line (e.g. a checksum mismatch), drop the rest.
function firstErrorLine(output) {
  const line = output.split('\n').find((l) => /^\w*Error\b/.test(l.trim()));
  return line ? line.trim() : null;
}

function offlineMessage(pkg, reason) {
  return [
    `The Electron ${pkg.version} binary is missing, and it could not be downloaded: ${reason}.`,
    'npm start, npm run dev and npm run demo run the app in it; the electron package downloads it',
    'once (about 100 MB) into node_modules/electron/dist. To get it:',
    '  - with internet access:             npx install-electron',
    '  - through a mirror of its releases: ELECTRON_MIRROR=https://your.mirror/electron/ npx install-electron',
    '    (npm start uses ELECTRON_MIRROR too)',
    'Meanwhile, `npm run web -- --emulator` shows the whole window in a browser.',
  ].join('\n');
}

module.exports = { ensureElectron, findElectronPackage, installedElectron, ANSWER_TIMEOUT_MS };

if (require.main === module) {
  ensureElectron().then(
    (result) => {
      if (result.ok) return;
      process.stderr.write(`${result.message}\n`);
      process.exitCode = 1;
    },
    (err) => {
      // e.g. no electron package at all: still words, not a stack.
      process.stderr.write(
        `Could not check the Electron binary: ${err && err.message ? err.message : err}\n` +
          'Run `npm install` first.\n',
      );
      process.exitCode = 1;
    },
  );
}
