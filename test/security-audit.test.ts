// The logic of scripts/security-audit.ts: that it fails on what it should, and that its
// allow-list is read strictly. The script itself runs in `npm test` (npm run test:security).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  VERIFIERS,
  classifyAudit,
  evaluateCsp,
  extractCsp,
  parseAllowList,
  runElectronegativity,
  triage,
  type Finding,
} from '../scripts/security-audit';

const ALLOWLIST = JSON.parse(
  readFileSync(join(__dirname, '..', 'scripts', 'security-allowlist.json'), 'utf8'),
) as unknown;

describe('the allow-list', () => {
  it('is valid, justified, and names only verifiers that exist', () => {
    const list = parseAllowList(ALLOWLIST);
    expect(list.electronegativity.length).toBeGreaterThan(0);
    for (const e of list.electronegativity) {
      for (const v of e.verifiedBy ?? []) expect(Object.keys(VERIFIERS)).toContain(v);
    }
  });

  it('refuses an entry without a real justification', () => {
    expect(() =>
      parseAllowList({
        electronegativity: [{ check: 'X', file: 'a.ts', sample: 'x', justification: 'ok' }],
      }),
    ).toThrow(/justification/);
    expect(() => parseAllowList({ csp: [{ directive: 'script-src' }] })).toThrow(/justification/);
    expect(() => parseAllowList({ electronegativity: {} })).toThrow(/list/);
  });

  it('holds: every verifier passes on the code as it is', async () => {
    for (const verify of Object.values(VERIFIERS)) await verify();
  });
});

describe('triage', () => {
  const finding = (check: string, file: string, sample: string): Finding => ({
    check,
    file,
    line: 1,
    sample,
    severity: 'HIGH',
    confidence: 'FIRM',
    description: '',
  });
  const entry = {
    check: 'SANDBOX_JS_CHECK',
    file: 'main/app.ts',
    sample: 'new BrowserWindow(',
    justification: 'x'.repeat(40),
  };

  it('allows a finding only when check, file and sample all match, and reports stale entries', () => {
    const t = triage(
      [
        finding('SANDBOX_JS_CHECK', 'main/app.ts', 'const w = new BrowserWindow('),
        finding('SANDBOX_JS_CHECK', 'main/other.ts', 'const w = new BrowserWindow('),
        finding('NODE_INTEGRATION_JS_CHECK', 'main/app.ts', 'const w = new BrowserWindow('),
      ],
      [entry, { ...entry, check: 'AUXCLICK_JS_CHECK' }],
    );
    expect(t.allowed.map((a) => a.finding.file)).toEqual(['main/app.ts']);
    expect(t.unlisted.map((f) => `${f.check} ${f.file}`)).toEqual([
      'SANDBOX_JS_CHECK main/other.ts',
      'NODE_INTEGRATION_JS_CHECK main/app.ts',
    ]);
    expect(t.stale.map((e) => e.check)).toEqual(['AUXCLICK_JS_CHECK']);
  });
});

describe('Electronegativity on insecure code', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pieces-eneg-'));
    writeFileSync(
      join(dir, 'main.ts'),
      [
        "import { BrowserWindow, shell } from 'electron';",
        'export function open(url: string): void {',
        '  const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });',
        '  void w.loadURL(url);',
        '  void shell.openExternal(url);',
        '}',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'finds it, offline, and the project allow-list does not excuse it',
    { timeout: 30_000 },
    async () => {
      const { findings } = await runElectronegativity(dir, '45.3.4');
      const checks = findings.map((f) => f.check);
      expect(checks).toEqual(
        expect.arrayContaining([
          'CONTEXT_ISOLATION_JS_CHECK',
          'SANDBOX_JS_CHECK',
          'OPEN_EXTERNAL_JS_CHECK',
          'LIMIT_NAVIGATION_GLOBAL_CHECK',
          'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
        ]),
      );
      const t = triage(findings, parseAllowList(ALLOWLIST).electronegativity);
      expect(t.allowed).toEqual([]);
      expect(t.unlisted.length).toBe(findings.length);
    },
  );
});

describe('CSP', () => {
  it('reads the policy from the renderer page, and the evaluator finds nothing of high severity', () => {
    const policy = extractCsp(
      readFileSync(join(__dirname, '..', 'src', 'renderer', 'index.html'), 'utf8'),
    );
    expect(policy).toMatch(/default-src 'none'/);
    expect(evaluateCsp(policy!).filter((f) => f.blocking)).toEqual([]);
  });

  it('fails a weak policy', () => {
    const weak = evaluateCsp(
      "default-src *; script-src 'self' 'unsafe-inline' 'unsafe-eval' https:",
    );
    expect(weak.filter((f) => f.blocking).map((f) => f.directive)).toEqual(
      expect.arrayContaining(['script-src']),
    );
    expect(extractCsp('<meta name="viewport" content="x">')).toBeNull();
    expect(extractCsp(`<meta content='a' http-equiv='Content-Security-Policy'>`)).toBe('a');
  });
});

describe('npm audit', () => {
  it('counts a report and lists high and critical advisories', () => {
    const report = {
      auditReportVersion: 2,
      vulnerabilities: {
        axios: { severity: 'high' },
        ms: { severity: 'low' },
        evil: { severity: 'critical' },
      },
      metadata: {
        vulnerabilities: { info: 0, low: 1, moderate: 0, high: 1, critical: 1, total: 3 },
      },
    };
    expect(classifyAudit(JSON.stringify(report))).toEqual({
      ran: true,
      counts: { info: 0, low: 1, moderate: 0, high: 1, critical: 1, total: 3 },
      severe: [
        { name: 'axios', severity: 'high' },
        { name: 'evil', severity: 'critical' },
      ],
    });
  });

  it('tells an audit that could not run from one that found nothing', () => {
    const clean = {
      auditReportVersion: 2,
      vulnerabilities: {},
      metadata: {
        vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 },
      },
    };
    expect(classifyAudit(JSON.stringify(clean))).toMatchObject({ ran: true, severe: [] });
    const unreachable = {
      message:
        '405 Method Not Allowed - POST https://registry.invalid/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
    };
    expect(classifyAudit(JSON.stringify(unreachable))).toEqual({
      ran: false,
      reason: unreachable.message,
    });
    expect(
      classifyAudit(
        JSON.stringify({
          error: { code: 'ENOTFOUND', summary: 'getaddrinfo ENOTFOUND registry.invalid' },
        }),
      ),
    ).toEqual({
      ran: false,
      reason: 'getaddrinfo ENOTFOUND registry.invalid',
    });
    expect(classifyAudit('')).toMatchObject({ ran: false });
  });
});
