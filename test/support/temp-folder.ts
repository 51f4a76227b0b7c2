// A real folder on disk for each test of a file that reads and writes real files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';

export interface TempFolder {
  /** The current test's folder. */
  dir: string;
  /** The file named `fileName` in it (not created). */
  file: string;
}

/**
 * Registers beforeEach/afterEach: a fresh temp folder before each test; after it, every spy
 * restored (a disk fault injected into node:fs must not outlive its test) and the folder removed.
 * Read the fields inside tests, not at import time.
 */
export function useTempFolder(prefix: string, fileName: string): TempFolder {
  const temp: TempFolder = { dir: '', file: '' };
  beforeEach(() => {
    temp.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    temp.file = path.join(temp.dir, fileName);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    fs.rmSync(temp.dir, { recursive: true, force: true });
  });
  return temp;
}
