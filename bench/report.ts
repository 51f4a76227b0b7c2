// The shape of one benchmark run: rows of the table, the machine, the settings. Written as JSON.
import type { Summary } from './stats';

/** A measured quantity: many timed samples, or one value (a size, a count). */
export type Measure = ({ kind: 'samples' } & Summary) | { kind: 'value'; value: number };

export type Unit = 'ms' | 'KB' | 'MB' | 'count';

export interface Target {
  /** As printed, e.g. "≤ 1.3×" or "< 50 ms". */
  text: string;
  /** Which number the target is about. */
  on: 'ratio' | 'ours';
  /** Compared with the ratio or ours' median (or value). */
  op: '<' | '<=' | '>=';
  limit: number;
}

export interface Row {
  /** Stable key, e.g. "client.listUsers". */
  id: string;
  /** Figure number from the issue (1-6). */
  figure: number;
  label: string;
  unit: Unit;
  ours: Measure;
  baseline?: { label: string; measure: Measure };
  /**
   * ours / baseline, medians (or values); with `ratioSpread`, the median of the per-repeat ratios.
   */
  ratio?: number;
  /** The ratio in each repeat of the comparison within this run, and its min / median / max. */
  ratioSpread?: { perRepeat: number[]; min: number; median: number; max: number };
  target?: Target & { pass: boolean };
  /** What exactly is measured, in a sentence. */
  note?: string;
  /** More numbers for the JSON only (breakdowns, cross-checks). */
  detail?: Record<string, Measure | string>;
}

export interface FigureError {
  figure: number;
  label: string;
  message: string;
}

export interface BenchReport {
  startedAt: string;
  durationS: number;
  command: string;
  quick: boolean;
  machine: Record<string, string | number>;
  rows: Row[];
  errors: FigureError[];
}

export const valueOf = (m: Measure): number => (m.kind === 'samples' ? m.median : m.value);

/** Fills in ratio and pass/miss. */
export function finishRow(row: Omit<Row, 'ratio' | 'target'>, target?: Target): Row {
  const out: Row = { ...row };
  if (row.ratioSpread) {
    out.ratio = row.ratioSpread.median;
  } else if (row.baseline) {
    const base = valueOf(row.baseline.measure);
    if (base > 0) out.ratio = valueOf(row.ours) / base;
  }
  if (target) {
    const x = target.on === 'ratio' ? out.ratio : valueOf(row.ours);
    const pass =
      x !== undefined &&
      (target.op === '<'
        ? x < target.limit
        : target.op === '>='
          ? x >= target.limit
          : x <= target.limit);
    out.target = { ...target, pass };
  }
  return out;
}
