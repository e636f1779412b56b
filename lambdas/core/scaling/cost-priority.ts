import { SCALING_PROFILES } from '../../../lib/config/components';
import { SCALING_METRIC_MINUTES } from '../../../lib/config/constants';
import type { RightSizing } from '../../../lib/config/schema';
import type { CostPriority } from './types';

/**
 * Seed 001's "Cost Priority" per environment (prod balanced, staging and dev cost-optimized) as
 * right-sizing's headroom (the numbers and their reasons: SCALING_PROFILES in
 * lib/config/components.ts):
 * - balanced: right-sizing as configured and measured (lib/config/components.ts);
 * - performance: sizes each instance 10 points below the target (Odoo 60 %, n8n 85 %, GPUs 80 %)
 *   and waits half as long again before releasing capacity: more instances, fewer SLO minutes;
 * - cost-optimized: releases capacity sooner (the peak of 7 minutes instead of 10 for Odoo and n8n,
 *   12 instead of 16 for GPUs), never sooner than the scale-out's own peak window. The target is not
 *   raised: it already is the SLO boundary, so a higher one would trade SLO minutes, not headroom.
 */
export function sizingFor(sizing: RightSizing, priority: CostPriority | undefined): RightSizing {
  const p = SCALING_PROFILES;
  if (priority === 'performance')
    return {
      ...sizing,
      targetUtilisation: Math.max(
        sizing.targetUtilisation - p.performanceHeadroomPoints,
        p.performanceMinTargetPercent,
      ),
      scaleInAfterMinutes: Math.min(
        Math.ceil(sizing.scaleInAfterMinutes * p.performanceScaleInFactor),
        SCALING_METRIC_MINUTES,
      ),
    };
  if (priority === 'cost-optimized')
    return {
      ...sizing,
      scaleInAfterMinutes: Math.max(
        Math.ceil(sizing.scaleInAfterMinutes * p.costOptimizedScaleInFactor),
        sizing.peakMinutes,
      ),
    };
  return sizing;
}
