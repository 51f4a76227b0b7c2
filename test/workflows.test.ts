// The GitHub Actions workflows cannot run here: check that they parse, have the jobs and steps
// they are for, and that CI runs the same commands as .ci/run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');

interface Step {
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  strategy?: { matrix: { os?: string[]; include?: { os: string }[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

function load(name: string): Workflow {
  const doc = parseDocument(readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8'), {
    prettyErrors: true,
  });
  expect(doc.errors.map((e) => e.message)).toEqual([]);
  expect(doc.warnings.map((e) => e.message)).toEqual([]);
  return doc.toJS() as Workflow;
}

function oses(job: Job): string[] {
  const matrix = job.strategy?.matrix;
  return [...(matrix?.os ?? []), ...(matrix?.include ?? []).map((i) => i.os)].sort();
}

const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? s.run.split('\n') : []));
const OSES = ['macos-latest', 'ubuntu-latest', 'windows-latest'];

// The commands .ci/run runs (its apt-get lines are this machine's package manager).
const ciRun = readFileSync(join(ROOT, '.ci', 'run'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => /^(xvfb-run -a )?npm /.test(l));

describe('.github/workflows/ci.yml', () => {
  const ci = load('ci.yml');
  const test = ci.jobs.test!;

  it('runs on pushes to main and on pull requests, on Linux, macOS and Windows with Node 22', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(oses(test)).toEqual(OSES);
    const setup = test.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setup?.with?.['node-version']).toBe(22);
  });

  it('runs the same commands as .ci/run, with the Electron binary downloaded first', () => {
    expect(ciRun).toEqual(['npm ci --no-audit --no-fund', 'xvfb-run -a npm test', 'npm test']);
    const lines = runs(test).map((l) => l.trim());
    for (const command of ciRun) expect(lines).toContain(command);
    const order = (l: string) => lines.indexOf(l);
    expect(order('npm ci --no-audit --no-fund')).toBeLessThan(order('npx install-electron'));
    expect(order('npx install-electron')).toBeLessThan(order('xvfb-run -a npm test'));
    expect(order('npx install-electron')).toBeLessThan(order('npm test'));
    // Xvfb on Linux only, plain npm test elsewhere.
    const xvfb = test.steps.find((s) => s.run?.includes('xvfb-run -a npm test'));
    const plain = test.steps.find((s) => s.run?.trim() === 'npm test');
    expect(xvfb?.if).toBe("runner.os == 'Linux'");
    expect(plain?.if).toBe("runner.os != 'Linux'");
  });

  it('audits the shipped dependencies for high-severity advisories', () => {
    expect(runs(test)).toContain('npm audit --omit=dev --audit-level=high');
  });
});

describe('.github/workflows/release.yml', () => {
  const release = load('release.yml');
  const job = Object.values(release.jobs)[0]!;

  it('on a v* tag, builds and publishes the installers with npm run dist on each platform', () => {
    expect(release.on).toEqual({ push: { tags: ['v*'] } });
    expect(oses(job)).toEqual(OSES);
    const dist = job.steps.find((s) => s.run?.startsWith('npm run dist'));
    expect(dist?.run).toBe('npm run dist -- --publish always');
    expect(dist?.env?.GH_TOKEN).toBe('${{ secrets.GITHUB_TOKEN }}');
    // Signing material only ever comes from secrets.
    for (const [key, value] of Object.entries(dist?.env ?? {})) {
      expect(value, key).toMatch(/\$\{\{.*secrets\.[A-Z_]+.*\}\}/);
    }
  });
});
