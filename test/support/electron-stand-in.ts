// A stand-in Electron distribution: an `electron` executable that is a Node script recording how
// it was started (arguments, working folder, environment) as one JSON line in the file named by
// STAND_IN_RECORD, then exits 0. Served as a release zip on a loopback mirror, or laid out as a
// folder for electron-builder's `electronDist`. Never installed into the project's node_modules.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import yazl from 'yazl';

export const ROOT = join(__dirname, '..', '..');
export const ELECTRON_VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** The executable's path inside a distribution, as the electron package's install.js names it. */
export function standInExecutable(platform = process.platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

export const STAND_IN_SCRIPT = `#!/usr/bin/env node
// Stand-in Electron: records how it was started, then exits.
const fs = require('fs');
fs.appendFileSync(process.env.STAND_IN_RECORD, JSON.stringify({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
}) + '\\n');
`;

/** Electron's fuse sentinel; the wire after it is version 1, then a length, then one byte a fuse. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** The order of the fuses in wire version 1 (@electron/fuses' FuseV1Options). */
export const FUSES_V1 = [
  'RunAsNode',
  'EnableCookieEncryption',
  'EnableNodeOptionsEnvironmentVariable',
  'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation',
  'OnlyLoadAppFromAsar',
  'LoadBrowserProcessSpecificV8Snapshot',
  'GrantFileProtocolExtraPrivileges',
] as const;
// As Electron ships them: '1' on, '0' off.
const SHIPPED_FUSES = '10110001';

/**
 * The stand-in executable: the script, and in a comment the fuse wire a real Electron binary
 * carries, so that packaging can flip the fuses in it as it does in the real one.
 */
export function standInExecutableBytes(): Buffer {
  return Buffer.concat([
    Buffer.from(`${STAND_IN_SCRIPT}// fuses: ${FUSE_SENTINEL}`),
    Buffer.from([1, SHIPPED_FUSES.length]),
    Buffer.from(`${SHIPPED_FUSES}\n`),
  ]);
}

/** The fuses in `executable` by name: true on, false off (as @electron/fuses reads them). */
export function readFuses(executable: string): Record<string, boolean> {
  const bytes = readFileSync(executable);
  const at = bytes.indexOf(FUSE_SENTINEL);
  if (at < 0) throw new Error(`no fuse wire in ${executable}`);
  const wire = at + FUSE_SENTINEL.length;
  const length = bytes[wire + 1]!;
  const fuses: Record<string, boolean> = {};
  for (let i = 0; i < length; i++) {
    fuses[FUSES_V1[i] ?? `fuse ${i}`] = bytes[wire + 2 + i] === '1'.charCodeAt(0);
  }
  return fuses;
}

/** An unpacked stand-in distribution, as electron-builder's `electronDist` takes it (Linux layout). */
export function writeStandInDist(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'electron'), standInExecutableBytes(), { mode: 0o755 });
  writeFileSync(join(dir, 'version'), ELECTRON_VERSION);
  writeFileSync(join(dir, 'LICENSE'), 'Stand-in for tests, not Electron.\n');
}

export interface StandInStart {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

export function readStarts(recordFile: string): StandInStart[] {
  if (!existsSync(recordFile)) return [];
  return readFileSync(recordFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as StandInStart);
}

/** The release zip Electron publishes for this platform, with the stand-in inside. */
export function standInZip(): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  // Regular file, rwxr-xr-x: the extractor keeps the mode, so the stand-in can run.
  zip.addBuffer(standInExecutableBytes(), standInExecutable(), { mode: 0o100755 });
  zip.addBuffer(Buffer.from(ELECTRON_VERSION), 'version');
  zip.addBuffer(Buffer.from('Stand-in for tests, not Electron.\n'), 'LICENSE');
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

export function zipName(): string {
  return `electron-v${ELECTRON_VERSION}-${process.platform}-${process.arch}.zip`;
}

export interface Mirror {
  /** For ELECTRON_MIRROR: the installer appends `v<version>/<file>`. */
  url: string;
  /** Requests per path, e.g. `/v45.5.0/electron-v45.5.0-linux-x64.zip`. */
  requests: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A loopback mirror of one Electron release: the stand-in zip and the SHASUMS256.txt the
 * installer checks it against (with electron_use_remote_checksums). `answer: false` makes a
 * mirror that accepts connections and never answers.
 */
export async function startMirror(zip: Buffer, answer = true): Promise<Mirror> {
  const dir = `/v${ELECTRON_VERSION}`;
  const sha = createHash('sha256').update(zip).digest('hex');
  const files = new Map<string, Buffer>([
    [`${dir}/${zipName()}`, zip],
    [`${dir}/SHASUMS256.txt`, Buffer.from(`${sha} *${zipName()}\n`)],
  ]);
  const requests = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://mirror').pathname;
    requests.set(path, (requests.get(path) ?? 0) + 1);
    if (!answer) return; // hold the request open: the client must give up by itself
    const body = files.get(path);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
