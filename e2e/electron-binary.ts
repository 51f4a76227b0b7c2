import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Electron binary is, or why there is none. Never require('electron') here: on a machine
 * without the binary that tries to download it.
 */
export function findElectronBinary(root = process.cwd()): { path: string } | { missing: string } {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      missing: 'the Electron binary is not installed (node_modules/electron/path.txt is missing)',
    };
  }
  const exe = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(exe))
    return { missing: `the Electron binary is missing (${exe} does not exist)` };
  return { path: exe };
}
