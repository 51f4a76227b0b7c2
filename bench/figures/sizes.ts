// Figure 5: what `npm run build` produced. Gzip per file (zlib level 9), summed; 1 kB = 1000 bytes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { finishRow, type Row } from '../report';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'out');

function files(dir: string, exts: readonly string[]): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...files(path, exts));
    else if (exts.some((e) => name.endsWith(e))) found.push(path);
  }
  return found.sort();
}

function measure(dir: string, exts: readonly string[]) {
  const list = files(join(OUT, dir), exts);
  if (list.length === 0)
    throw new Error(`No ${exts.join('/')} files in out/${dir}: run the build.`);
  let raw = 0;
  let gz = 0;
  for (const f of list) {
    const bytes = readFileSync(f);
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gz, files: list.map((f) => relative(ROOT, f)) };
}

const kB = (bytes: number) => bytes / 1000;

export function buildSizes(): Row[] {
  const parts = [
    { id: 'size.renderer', dir: 'renderer', exts: ['.js', '.css'], label: 'renderer JS+CSS' },
    { id: 'size.preload', dir: 'preload', exts: ['.js', '.cjs', '.mjs'], label: 'preload' },
    { id: 'size.main', dir: 'main', exts: ['.js', '.cjs', '.mjs'], label: 'main bundle' },
  ];
  return parts.map((p) => {
    const m = measure(p.dir, p.exts);
    return finishRow(
      {
        id: p.id,
        figure: 5,
        label: `${p.label}, gzipped`,
        unit: 'KB',
        ours: { kind: 'value', value: kB(m.gz) },
        note: `${kB(m.raw).toFixed(1)} kB before gzip: ${m.files.join(', ')}.`,
      },
      p.id === 'size.renderer' ? { text: '≤ 40 kB', on: 'ours', op: '<=', limit: 40 } : undefined,
    );
  });
}
