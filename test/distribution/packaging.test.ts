// Packaging, proven here without downloads: electron-builder (electron-builder.yml, as
// `npm run dist` uses it) packs the built app into an unpacked Linux app around a stand-in
// Electron distribution. Installer targets (AppImage, deb, dmg, nsis) fetch their own tools and
// are built by the release workflow instead.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import asar from '@electron/asar';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, readFuses, writeStandInDist } from '../support/electron-stand-in';

const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  any
>;
const EXECUTABLE = config.linux.executableName as string;

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

const BUILT = ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'];

// The stand-in distribution has the Linux layout (a macOS one needs an app bundle, Windows an .exe).
describe.skipIf(process.platform !== 'linux')(
  'electron-builder --dir around a stand-in Electron',
  () => {
    let tmp: string;
    let unpacked: string;
    let archive: string;
    let entries: string[];

    beforeAll(async () => {
      // Packs the build in out/; on a clean clone (npm test builds after the unit tests) it builds.
      if (!BUILT.every((f) => existsSync(join(ROOT, f)))) {
        const build = await run(process.execPath, [
          join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'),
          'build',
        ]);
        expect(build.code, build.output).toBe(0);
      }
      tmp = mkdtempSync(join(tmpdir(), 'pieces-pack-'));
      writeStandInDist(join(tmp, 'electron-dist'));
      const pack = await run(process.execPath, [
        join(ROOT, 'node_modules', 'electron-builder', 'cli.js'),
        '--dir',
        '--linux',
        '--publish',
        'never',
        `-c.electronDist=${join(tmp, 'electron-dist')}`,
        `-c.directories.output=${join(tmp, 'dist')}`,
      ]);
      expect(pack.code, pack.output).toBe(0);
      unpacked = join(tmp, 'dist', 'linux-unpacked');
      archive = join(unpacked, 'resources', 'app.asar');
      entries = asar.listPackage(archive, { isPack: false }).map((e) => e.replaceAll('\\', '/'));
    }, 240_000);

    afterAll(() => {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    it('produces an unpacked app: the renamed executable and app.asar, no loose app folder', () => {
      expect(statSync(join(unpacked, EXECUTABLE)).mode & 0o111).not.toBe(0);
      expect(existsSync(archive)).toBe(true);
      expect(existsSync(join(unpacked, 'resources', 'app'))).toBe(false);
    });

    it('the window and tray icons sit beside app.asar, where the app looks for them', () => {
      const resources = join(unpacked, 'resources');
      for (const file of ['icon.png', 'tray/signed-in.png', 'tray/signed-in@2x.png'])
        expect(existsSync(join(resources, file)), file).toBe(true);
    });

    it('app.asar holds the built main, preload, window and its assets', () => {
      for (const file of BUILT) expect(entries).toContain(`/${file}`);
      const assets = readdirSync(join(ROOT, 'out', 'renderer', 'assets'));
      expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
      expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
      for (const asset of assets) expect(entries).toContain(`/out/renderer/assets/${asset}`);
    });

    it('package.json#main resolves inside app.asar', () => {
      const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as {
        main: string;
        devDependencies?: unknown;
      };
      const main = `/${pkg.main.replace(/^\.\//, '')}`;
      expect(entries).toContain(main);
      expect(asar.extractFile(archive, main.slice(1)).toString('utf8')).toContain('startApp');
    });

    it('holds no sources, tests, source maps, tools or dev dependencies', () => {
      const outside = entries.filter(
        (e) => !e.startsWith('/out/') && !e.startsWith('/node_modules/') && e !== '/out',
      );
      expect(outside.filter((e) => e !== '/package.json' && e !== '/node_modules')).toEqual([]);
      for (const dir of [
        'src',
        'test',
        'e2e',
        'emulator',
        'bench',
        'web-preview',
        'scripts',
        'build',
      ]) {
        expect(entries.filter((e) => e === `/${dir}` || e.startsWith(`/${dir}/`))).toEqual([]);
      }
      expect(
        entries.filter((e) => e.startsWith('/out/') && /\.(test|spec)\.|\.map$/.test(e)),
      ).toEqual([]);
      // Dev-only packages (name@version), as the lockfile marks them; electron-builder may hoist
      // a runtime package to another folder, so packages are compared by name and version.
      const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { version?: string; dev?: boolean }>;
      };
      const id = (path: string, version?: string) =>
        `${path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${version}`;
      const runtime = new Set<string>();
      const devOnly = new Set<string>();
      for (const [path, info] of Object.entries(lock.packages)) {
        if (!path.includes('node_modules/')) continue;
        (info.dev ? devOnly : runtime).add(id(path, info.version));
      }
      for (const r of runtime) devOnly.delete(r);
      expect(devOnly.size).toBeGreaterThan(100);
      const packed = entries
        .filter((e) => /^\/node_modules\/(.+\/)?(@[^/]+\/)?[^/@]+\/package\.json$/.test(e))
        .filter((e) => !/\/node_modules\/.+\/(dist|lib|esm|cjs)\/package\.json$/.test(e))
        .map((e) => {
          const { name, version } = JSON.parse(
            asar.extractFile(archive, e.slice(1)).toString(),
          ) as {
            name?: string;
            version?: string;
          };
          return `${name}@${version}`;
        });
      expect(packed.length).toBeGreaterThan(10);
      expect(packed.filter((p) => devOnly.has(p))).toEqual([]);
      // The runtime dependencies main requires (not bundled by electron-vite) are there.
      for (const dep of ['axios', 'electron-log', 'zod']) {
        expect(entries).toContain(`/node_modules/${dep}/package.json`);
      }
    });

    it('flips the Electron fuses in the packaged executable', () => {
      expect(readFuses(join(unpacked, EXECUTABLE))).toMatchObject({
        RunAsNode: false,
        EnableNodeOptionsEnvironmentVariable: false,
        EnableNodeCliInspectArguments: false,
        EnableCookieEncryption: true,
        EnableEmbeddedAsarIntegrityValidation: true,
        OnlyLoadAppFromAsar: true,
      });
    });
  },
);

describe('electron-builder.yml for the platforms not packed here', () => {
  it('names the app and builds AppImage + deb, dmg + zip, nsis', () => {
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(config.productName).toBe('Pieces Account Switcher');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg', 'zip']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('macOS: hardened runtime with an entitlements file that exists and allows JIT only', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    const plist = readFileSync(join(ROOT, config.mac.entitlements as string), 'utf8');
    expect(plist).toContain('<key>com.apple.security.cs.allow-jit</key>');
    expect(plist.match(/<key>/g)).toHaveLength(1);
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
  });

  it('ships only out/ and package.json from the project', () => {
    expect(config.files.filter((f: string) => !f.startsWith('!'))).toEqual([
      'out/**/*',
      'package.json',
    ]);
  });
});
