import type { RightSizing } from '../../../lib/config/schema';
import type { Series } from './types';

/** What right-sizing asks for, and why, from one component's load. */
export interface RightSize {
  /** Instances the peak, grown by its trend over the lead, needs at the target. */
  readonly up: number;
  /**
   * Instances the peak of the whole scale-in window needs (never fewer than `up`): undefined when
   * a datapoint of the window is missing (a scale-in needs every minute to agree).
   */
  readonly down: number | undefined;
  readonly peak: number;
  readonly projected: number;
  readonly slopePerMinute: number;
}

/**
 * Right-sizing toward the SLO boundary. Scale-out: the peak of the last `peakMinutes` plus the
 * trend's growth over `leadMinutes`, divided by the target utilisation: proportional (one step to
 * what the load needs) and ahead of the boot. Scale-in: only to what the peak of the last
 * `scaleInAfterMinutes` still needs, so capacity goes as soon as the load has stayed below it that
 * long (time, not a second threshold, is the hysteresis: per-minute noise cannot hold a task for
 * hours, and a lull shorter than the window releases nothing). Undefined without any datapoint.
 */
export function rightSize(load: Series, sizing: RightSizing): RightSize | undefined {
  const target = sizing.targetUtilisation / 100;
  const recent = present(load.slice(-sizing.peakMinutes));
  if (recent.length === 0) return undefined;
  const peak = Math.max(...recent);
  const slopePerMinute = Math.max(0, slope(load.slice(-sizing.trendMinutes)));
  const projected = peak + slopePerMinute * sizing.leadMinutes;
  const instances = (value: number) => Math.ceil(value / target - 1e-9);
  const up = instances(projected);
  const window = load.slice(-sizing.scaleInAfterMinutes);
  const complete = window.length === sizing.scaleInAfterMinutes && window.every((v) => v !== null);
  const down = complete ? Math.max(up, instances(Math.max(...window))) : undefined;
  return { up, down, peak, projected, slopePerMinute };
}

function present(values: Series): number[] {
  return values.filter((v): v is number => v !== null);
}

/** The least-squares slope per minute of the present datapoints (0 with fewer than 2). */
export function slope(values: Series): number {
  const points = values.flatMap((v, i) => (v === null ? [] : [[i, v] as const]));
  if (points.length < 2) return 0;
  const n = points.length;
  const meanX = points.reduce((s, [x]) => s + x, 0) / n;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
