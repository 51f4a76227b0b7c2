// The small JSON files settings and tokens live in: what reading keeps and drops, how copies of a
// damaged file are named and kept, and what the two ways of writing leave on disk. Real files in a
// temp dir.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  backupFile,
  jsonFile,
  KEPT_BACKUPS,
  readJsonObject,
  removeOrphanTemps,
  tidyBackups,
} from './json-file';
import { useTempFolder } from '../../../test/support/temp-folder';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const temp = useTempFolder('json-file-test-', 'data.json');

const names = (): string[] => fs.readdirSync(temp.dir).sort();
const modeOf = (p: string): number => fs.statSync(p).mode & 0o777;

describe('readJsonObject', () => {
  it('reads a file an editor saved with a byte order mark', () => {
    fs.writeFileSync(temp.file, '\uFEFF{"theme":"dark"}');
    expect(readJsonObject(temp.file)).toEqual({ kind: 'ok', value: { theme: 'dark' } });
  });

  it('keeps a byte order mark that is part of a value', () => {
    fs.writeFileSync(temp.file, '{"note":"a\uFEFFb"}');
    expect(readJsonObject(temp.file)).toEqual({ kind: 'ok', value: { note: 'a\uFEFFb' } });
  });

  it('drops __proto__, constructor and prototype keys at every depth, arrays included', () => {
    fs.writeFileSync(
      temp.file,
      '{"__proto__":{"x":1},"constructor":2,"prototype":3,"keep":1,' +
        '"nested":{"__proto__":{"y":1},"ok":true,"list":[{"constructor":{"z":1},"v":1},[{"prototype":0}]]}}',
    );
    const read = readJsonObject(temp.file);
    expect(read.kind).toBe('ok');
    const value = (read as { value: Record<string, unknown> }).value;
    expect(Object.keys(value).sort()).toEqual(['keep', 'nested']);
    const nested = value.nested as Record<string, unknown>;
    expect(Object.keys(nested).sort()).toEqual(['list', 'ok']);
    const list = nested.list as unknown[];
    expect(Object.keys(list[0] as object)).toEqual(['v']);
    expect(Object.keys((list[1] as object[])[0]!)).toEqual([]);
  });

  it('keeps the data keys of the named property as own keys, but cleans inside their entries', () => {
    fs.writeFileSync(
      temp.file,
      '{"tokens":{"__proto__":{"encoding":"plain","__proto__":{"a":1}},"x":{"constructor":1}},' +
        '"other":{"__proto__":{"b":1}}}',
    );
    const read = readJsonObject(temp.file, { dataKeys: 'tokens' });
    const value = (read as { value: Record<string, Record<string, unknown>> }).value;
    expect(Object.keys(value.tokens!).sort()).toEqual(['__proto__', 'x']);
    expect(Object.keys(value.tokens!['__proto__'] as object)).toEqual(['encoding']);
    expect(Object.keys(value.tokens!.x as object)).toEqual([]);
    expect(Object.keys(value.other!)).toEqual([]);
  });

  it('says missing, corrupt (not JSON, or not an object) or unreadable, with the reason', () => {
    expect(readJsonObject(temp.file)).toEqual({ kind: 'missing' });
    fs.writeFileSync(temp.file, '[1]');
    expect(readJsonObject(temp.file)).toEqual({ kind: 'corrupt' });
    fs.writeFileSync(temp.file, '{"a":');
    expect(readJsonObject(temp.file)).toEqual({ kind: 'corrupt' });
    fs.rmSync(temp.file);
    fs.mkdirSync(temp.file);
    expect(readJsonObject(temp.file)).toEqual({ kind: 'unreadable', code: 'EISDIR' });
  });
});

describe('backupFile', () => {
  const at = new Date('2026-01-02T03:04:05.678Z');

  it('names the copy by its time, without characters a Windows file name cannot hold', () => {
    fs.writeFileSync(temp.file, 'original');
    const copy = backupFile(temp.file, at);
    expect(path.basename(copy)).toBe('data.json.bak-2026-01-02T03-04-05-678Z');
    expect(fs.readFileSync(copy, 'utf8')).toBe('original');
  });

  it('numbers copies made in the same millisecond, never overwriting one', () => {
    fs.writeFileSync(temp.file, 'one');
    backupFile(temp.file, at);
    fs.writeFileSync(temp.file, 'two');
    backupFile(temp.file, at);
    fs.writeFileSync(temp.file, 'three');
    backupFile(temp.file, at);
    expect(names()).toEqual([
      'data.json',
      'data.json.bak-2026-01-02T03-04-05-678Z',
      'data.json.bak-2026-01-02T03-04-05-678Z-001',
      'data.json.bak-2026-01-02T03-04-05-678Z-002',
    ]);
    const text = (n: string) => fs.readFileSync(path.join(temp.dir, n), 'utf8');
    expect(text('data.json.bak-2026-01-02T03-04-05-678Z')).toBe('one');
    expect(text('data.json.bak-2026-01-02T03-04-05-678Z-002')).toBe('three');
  });

  it('writes a scrubbed copy owner-only, and a second one beside it', () => {
    const scrub = (t: string) => t.replace('secret', '[removed]');
    fs.writeFileSync(temp.file, 'a secret', { mode: 0o644 });
    const first = backupFile(temp.file, at, scrub);
    fs.writeFileSync(temp.file, 'another secret');
    const second = backupFile(temp.file, at, scrub);
    expect(first).not.toBe(second);
    expect(fs.readFileSync(first, 'utf8')).toBe('a [removed]');
    expect(fs.readFileSync(second, 'utf8')).toBe('another [removed]');
    expect(modeOf(first)).toBe(0o600);
  });

  it('gives up with the error after a hundred taken names', () => {
    fs.writeFileSync(temp.file, 'x');
    const stamp = 'data.json.bak-2026-01-02T03-04-05-678Z';
    fs.writeFileSync(path.join(temp.dir, stamp), '');
    for (let n = 1; n <= 100; n++) {
      fs.writeFileSync(path.join(temp.dir, `${stamp}-${String(n).padStart(3, '0')}`), '');
    }
    expect(() => backupFile(temp.file, at)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(names()).toHaveLength(102);
  });

  it('passes on why a copy cannot be made', () => {
    expect(() => backupFile(temp.file, at)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('tidyBackups', () => {
  it(`keeps the newest ${KEPT_BACKUPS} copies, whatever order they were made in`, () => {
    const stamps = ['2026-03', '2026-01', '2026-05', '2026-02', '2026-06', '2026-04'];
    for (const s of stamps) fs.writeFileSync(`${temp.file}.bak-${s}`, s);
    tidyBackups(temp.file);
    expect(names()).toEqual([
      'data.json.bak-2026-04',
      'data.json.bak-2026-05',
      'data.json.bak-2026-06',
    ]);
  });

  it('with a scrub, rewrites a copy that still holds what it removes', () => {
    fs.writeFileSync(`${temp.file}.bak-2026-01`, 'a secret');
    tidyBackups(temp.file, (t) => t.replace('secret', '[removed]'));
    expect(fs.readFileSync(`${temp.file}.bak-2026-01`, 'utf8')).toBe('a [removed]');
  });

  it('does nothing, and does not throw, in a folder that is not there', () => {
    expect(() => tidyBackups(path.join(temp.dir, 'gone', 'data.json'))).not.toThrow();
  });
});

describe('removeOrphanTemps', () => {
  it('removes the temp files and folders of writes that never finished, and says how many', () => {
    fs.writeFileSync(`${temp.file}.tmp-1`, '{"half":');
    fs.mkdirSync(`${temp.file}.tmp-2`);
    fs.writeFileSync(`${temp.file}.tmp-2/inside`, 'x');
    fs.writeFileSync(path.join(temp.dir, 'other.json.tmp-3'), '');
    expect(removeOrphanTemps(temp.file)).toBe(2);
    expect(names()).toEqual(['other.json.tmp-3']);
  });

  it('finds none in a folder that is not there', () => {
    expect(removeOrphanTemps(path.join(temp.dir, 'gone', 'data.json'))).toBe(0);
  });
});

describe('jsonFile', () => {
  it('writes in the background in the same format as a synchronous write', async () => {
    const value = { version: 1, theme: 'dark', list: ['a', 'ü'], nested: { n: 1 } };
    const sync = jsonFile({ cwd: temp.dir, name: 'sync' });
    sync.write(value);
    const background = jsonFile({ cwd: temp.dir, name: 'background' });
    expect(await background.writeInBackground(value, () => true)).toBe(true);
    expect(fs.readFileSync(background.path, 'utf8')).toBe(fs.readFileSync(sync.path, 'utf8'));
    expect(background.read()).toEqual({ kind: 'ok', value });
  });

  it('leaves the file alone, and no temp file, when the write is no longer wanted', async () => {
    const f = jsonFile({ cwd: temp.dir, name: 'data' });
    f.write({ newer: true });
    expect(await f.writeInBackground({ older: true }, () => false)).toBe(false);
    expect(f.read()).toEqual({ kind: 'ok', value: { newer: true } });
    expect(names()).toEqual(['data.json']);
  });

  it('gives the file the mode it was opened with, both ways of writing', async () => {
    const sync = jsonFile({ cwd: temp.dir, name: 'sync', mode: 0o600 });
    sync.write({ a: 1 });
    const background = jsonFile({ cwd: temp.dir, name: 'background', mode: 0o600 });
    await background.writeInBackground({ a: 1 }, () => true);
    expect(modeOf(sync.path)).toBe(0o600);
    expect(modeOf(background.path)).toBe(0o600);
  });
});
