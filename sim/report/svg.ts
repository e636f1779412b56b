import type { PolicyName } from '../run/simulate';

/** One colour per policy, the same in every chart and table of the report and docs/simulator.md. */
export const COLOURS: Record<PolicyName | 'demand', string> = {
  demand: '#222222',
  'control-plane': '#d62728',
  'target-tracking': '#1f77b4',
  'step-seed': '#2ca02c',
  hpa: '#9467bd',
};

/** Injected AWS faults, and pages: colours no policy uses. */
export const FAULT_COLOUR = '#e08a00';
export const PAGE_COLOUR = '#a00000';

export const escape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** A white outline behind a label's letters, so that it stays legible where it crosses a line. */
export const HALO = ' paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round"';

/** SVG coordinates to a tenth of a pixel: finer only makes the files bigger. */
export const px = (n: number) => n.toFixed(1);

/** A step of 1, 2 or 5 times a power of ten that cuts `span` into at most `maxTicks` parts. */
function niceStep(span: number, maxTicks: number, minStep = 0): number {
  const raw = Math.max(span / Math.max(1, maxTicks), minStep, Number.EPSILON);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw - 1e-12) ?? 10 * power;
  return Math.max(step, minStep);
}

/** An axis from `lo` to `hi` widened to whole steps, and its tick values. */
export function niceAxis(
  lo: number,
  hi: number,
  maxTicks: number,
  minStep = 0,
): { lo: number; hi: number; step: number; ticks: number[] } {
  // All points equal: an axis one step wide around them rather than none.
  if (hi - lo < 1e-9) hi = lo + Math.max(1, minStep);
  const step = niceStep(hi - lo, maxTicks, minStep);
  const from = Math.floor(lo / step + 1e-9) * step;
  const to = Math.max(from + step, Math.ceil(hi / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let v = from; v <= to + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  return { lo: from, hi: to, step, ticks };
}

/** A tick value with no more decimals than its step needs. */
export function tickLabel(value: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(decimals);
}

/** A metric for a table cell: whole numbers as they are, others to two decimals. */
export const figure = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/**
 * A symmetric-log axis (position log10(1 + v)): SLO-violation minutes span 0 to hundreds, and the
 * differences that matter (0, 5 or 30 minutes) would vanish on a linear axis under the cheap
 * targets' hundreds. Ticks at 1, 2, 5 per decade, or 1, 3 when that makes too many; the axis
 * starts at the highest tick at or below `min`, so points far from 0 are not crowded at the top.
 */
export function symlogAxis(
  min: number,
  max: number,
  maxTicks = 10,
): { lo: number; hi: number; ticks: number[]; at(v: number): number } {
  const sequence = (multiples: readonly number[]) => {
    const all = [0];
    const last = () => all[all.length - 1] as number;
    for (let power = 1; last() < max || last() <= min; power *= 10)
      for (const m of multiples) if (last() < max || last() <= min) all.push(m * power);
    const lo = Math.max(...all.filter((t) => t <= min));
    return all.filter((t) => t >= lo);
  };
  // Within one decade 1, 2, 5 leaves too few ticks to read a value by: every digit then.
  const fine = sequence([1, 2, 5]);
  const dense = sequence([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const ticks =
    fine.length < 4 && dense.length <= maxTicks ? dense : fine.length <= maxTicks ? fine : sequence([1, 3]);
  const lo = ticks[0] as number;
  const hi = ticks[ticks.length - 1] as number;
  const log = (v: number) => Math.log10(1 + Math.max(0, v));
  return { lo, hi, ticks, at: (v) => (log(v) - log(lo)) / (log(hi) - log(lo)) };
}
