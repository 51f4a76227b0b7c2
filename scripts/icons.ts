// `npm run icons`: writes the icon set (scripts/icon-set.ts) into the repository, only the files
// whose bytes changed. `npm run icons -- --check` compares instead and exits 1 when one is stale.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT, renderIcons } from './icon-set';

function main(): void {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const { file, bytes } of renderIcons()) {
    const target = join(REPO_ROOT, file);
    const same = existsSync(target) && readFileSync(target).equals(bytes);
    if (check) {
      if (!same) stale.push(file);
      continue;
    }
    if (same) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
    console.log(`wrote ${file}`);
  }
  if (check && stale.length > 0) {
    console.error(`Out of date (run npm run icons): ${stale.join(', ')}`);
    process.exitCode = 1;
  } else if (check) console.log('Icons are up to date.');
}

main();
