import { SCALING_METRIC_MINUTES } from '../../../lib/config/constants';
import type { RightSizing } from '../../../lib/config/schema';
import type { CostPriority } from './types';

/** Utilisation points `performance` keeps below each component's target: more headroom per instance. */
export const PERFORMANCE_HEADROOM_POINTS = 10;
/** How much longer (performance) or shorter (cost-optimized) the load must stay low before a scale-in. */
export const PERFORMANCE_SCALE_IN_FACTOR = 1.5;
export const COST_OPTIMIZED_SCALE_IN_FACTOR = 0.7;

/**
 * Seed 001's "Cost Priority" per environment (prod balanced, staging and dev cost-optimized) as
 * right-sizing's headroom:
 * - balanced: right-sizing as configured and measured (lib/config/components.ts);
 * - performance: sizes each instance 10 points below the target (Odoo 60 %, n8n 85 %, GPUs 80 %)
 *   and waits half as long again before releasing capacity: more instances, fewer SLO minutes;
 * - cost-optimized: releases capacity sooner (the peak of 7 minutes instead of 10 for Odoo and n8n,
 *   12 instead of 16 for GPUs), never sooner than the scale-out's own peak window. The target is not
 *   raised: it already is the SLO boundary, so a higher one would trade SLO minutes, not headroom.
 */
export function sizingFor(sizing: RightSizing, priority: CostPriority | undefined): RightSizing {
  if (priority === 'performance')
    return {
      ...sizing,
      targetUtilisation: Math.max(sizing.targetUtilisation - PERFORMANCE_HEADROOM_POINTS, 10),
      scaleInAfterMinutes: Math.min(
        Math.ceil(sizing.scaleInAfterMinutes * PERFORMANCE_SCALE_IN_FACTOR),
        SCALING_METRIC_MINUTES,
      ),
    };
  if (priority === 'cost-optimized')
    return {
      ...sizing,
      scaleInAfterMinutes: Math.max(
        Math.ceil(sizing.scaleInAfterMinutes * COST_OPTIMIZED_SCALE_IN_FACTOR),
        sizing.peakMinutes,
      ),
    };
  return sizing;
}
