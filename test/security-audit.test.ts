// The logic of scripts/security-audit.ts: that it fails on what it should, and that its
// allow-list is read strictly. The script itself runs in `npm test` (npm run test:security).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditReport,
  classifyAudit,
  evaluateCsp,
  extractCsp,
  installedElectronVersion,
  missingProofs,
  parseAllowList,
  runElectronegativity,
  summary,
  triage,
  type Finding,
} from '../scripts/security-audit';

const ALLOWLIST = JSON.parse(
  readFileSync(join(__dirname, '..', 'scripts', 'security-allowlist.json'), 'utf8'),
) as unknown;

describe('the allow-list', () => {
  it('is valid, justified, and every entry names test files that exist', () => {
    const list = parseAllowList(ALLOWLIST);
    expect(list.electronegativity.length).toBeGreaterThan(0);
    for (const e of list.electronegativity) expect(missingProofs(e), e.check).toEqual([]);
    const entry = list.electronegativity[0]!;
    expect(
      missingProofs({ ...entry, provedBy: ['test/nothing-here.test.ts', 'README.md'] }),
    ).toEqual(['test/nothing-here.test.ts', 'README.md']);
  });

  it('refuses an entry without a real justification', () => {
    expect(() =>
      parseAllowList({
        electronegativity: [{ check: 'X', file: 'a.ts', sample: 'x', justification: 'ok' }],
      }),
    ).toThrow(/justification/);
    expect(() => parseAllowList({ csp: [{ directive: 'script-src' }] })).toThrow(/justification/);
    const unproved = { check: 'X', file: 'a.ts', sample: 'x', justification: 'x'.repeat(40) };
    expect(() => parseAllowList({ electronegativity: [unproved] })).toThrow(/provedBy/);
    expect(() => parseAllowList({ electronegativity: [{ ...unproved, provedBy: [] }] })).toThrow(
      /provedBy/,
    );
    expect(() => parseAllowList({ electronegativity: {} })).toThrow(/list/);
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
    provedBy: ['test/window-hardening.test.ts'],
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
    { timeout: 90_000 }, // Electronegativity parses with Babel: tens of seconds on a busy machine
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

describe('what the audit reports', () => {
  it('checks the Electron version installed in node_modules, not the range in package.json', () => {
    const installed = JSON.parse(
      readFileSync(join(__dirname, '..', 'node_modules', 'electron', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(installedElectronVersion()).toBe(installed.version);
    const empty = mkdtempSync(join(tmpdir(), 'pieces-no-electron-'));
    try {
      expect(() => installedElectronVersion(empty)).toThrow(/not installed/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('says npm audit is not available here, and never counts it as passed', () => {
    const unavailable = {
      ran: false as const,
      reason: '405 Method Not Allowed - POST https://r.example/x',
    };
    const report = auditReport(unavailable, [], false);
    expect(report.line).toMatch(
      /^npm audit --omit=dev: not available here \(405 Method Not Allowed - POST \(the registry\)\)/,
    );
    expect(report.line).toMatch(/NOT checked/);
    expect(report.line).not.toMatch(/SKIPPED|passed/i);
    expect(report.problems).toEqual([]);
    expect(report.unchecked).toBe('npm audit (not available here)');
    expect(summary([report.unchecked!], '1.0')).toBe(
      'security audit passed what it could check (1.0 s); NOT checked: npm audit (not available here)',
    );
    // Where it must run, its absence fails the audit.
    expect(auditReport(unavailable, [], true).problems).toEqual([
      'npm audit is required but not available here: 405 Method Not Allowed - POST (the registry)',
    ]);
  });

  it('fails a high advisory in a production dependency unless allow-listed, and passes a clean one', () => {
    const counts = { info: 0, low: 0, moderate: 0, high: 1, critical: 0, total: 1 };
    const severe = { ran: true as const, counts, severe: [{ name: 'axios', severity: 'high' }] };
    expect(auditReport(severe, [], false).problems).toEqual([
      'npm audit: high advisory in axios (production dependency)',
    ]);
    const excused = [{ package: 'axios', justification: 'x'.repeat(40) }];
    expect(auditReport(severe, excused, false).problems).toEqual([]);
    const clean = auditReport(
      { ran: true, counts: { ...counts, high: 0, total: 0 }, severe: [] },
      [],
      true,
    );
    expect(clean).toEqual({ line: expect.stringMatching(/0 vulnerabilities/), problems: [] });
    expect(summary([], '1.0')).toBe('security audit passed (1.0 s)');
  });
});
