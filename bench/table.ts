// Renders rows as a plain-text table (stdout) or a Markdown table (README).
import type { FigureError, Measure, Row, Unit } from './report';

const UNIT_TEXT: Record<Unit, string> = { ms: 'ms', KB: 'kB', MB: 'MB', count: '' };

function num(x: number): string {
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function withUnit(text: string, unit: Unit): string {
  return UNIT_TEXT[unit] ? `${text} ${UNIT_TEXT[unit]}` : text;
}

export function formatMeasure(m: Measure, unit: Unit): string {
  if (m.kind === 'value') return withUnit(unit === 'count' ? String(m.value) : num(m.value), unit);
  return withUnit(`${num(m.median)} / ${num(m.p95)}`, unit);
}

const runsOf = (m: Measure) => (m.kind === 'samples' ? String(m.n) : '1');

function ratioText(row: Row): string {
  if (row.ratio === undefined) return '—';
  const r = `${row.ratio.toFixed(2)}×`;
  const s = row.ratioSpread;
  if (!s || s.perRepeat.length < 2) return r;
  return `${r} (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
}

const HEADER = [
  '#',
  'Figure',
  'Ours (median / p95)',
  'Baseline (median / p95)',
  'Ratio: median (min–max) of repeats',
  'Target',
  'Runs',
];

function cells(row: Row): string[] {
  const target = row.target ? `${row.target.text} ${row.target.pass ? 'pass' : 'MISS'}` : '—';
  const baseline = row.baseline ? formatMeasure(row.baseline.measure, row.unit) : '—';
  const runs = row.baseline
    ? `${runsOf(row.ours)} + ${runsOf(row.baseline.measure)}`
    : runsOf(row.ours);
  return [
    String(row.figure),
    row.baseline ? `${row.label} [vs ${row.baseline.label}]` : row.label,
    formatMeasure(row.ours, row.unit),
    baseline,
    ratioText(row),
    target,
    runs,
  ];
}

export function textTable(rows: readonly Row[], errors: readonly FigureError[] = []): string {
  const body = rows.map(cells);
  for (const e of errors)
    body.push([String(e.figure), e.label, 'NOT MEASURED', '—', '—', '—', '0']);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(HEADER), rule, ...body.map(line)].join('\n');
}

export function markdownTable(rows: readonly Row[], errors: readonly FigureError[] = []): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  const body = rows.map(cells);
  for (const e of errors)
    body.push([String(e.figure), e.label, 'not measured', '—', '—', '—', '0']);
  return [
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...body.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** One line per distinct note, numbered by figure. */
export function notes(rows: readonly Row[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const row of rows) {
    if (!row.note || seen.has(row.note)) continue;
    seen.add(row.note);
    out.push(`  [${row.figure}] ${row.label}: ${row.note}`);
  }
  return out.join('\n');
}
