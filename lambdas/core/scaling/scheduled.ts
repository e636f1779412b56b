import type { RightSizing } from '../../../lib/config/schema';
import { offPeakCount } from './off-peak';
import type { Proposal } from './proposal';
import type { RightSize } from './right-size';
import { stillBooting } from './still-booting';
import type { ScalingInput } from './types';

/**
 * The off-peak schedule's proposal (seed 001: scale down 02:00-06:00 UTC; seed 002: Odoo down to 2
 * in the night, "only if ... load pattern supports it"). The schedule asks; the decision engine's
 * guardrails dispose exactly as for a rule (maintenance, pause, runaway, cooldowns, aggressiveness,
 * stalled GPU, [floor, max]).
 * `sizing` is right-sizing as the cost priority adjusts it; `sized`, what it asks of the load.
 * - Window start: lower the desired count toward the off-peak count, never below what the load
 *   needs. The load wins over the schedule: the seeds make the night's scale-down conditional on
 *   the load being predictably low, and right-sizing's scale-in need (the peak of the scale-in
 *   window at the target) is what "low enough" means everywhere else. No complete scale-in window
 *   (a missing datapoint) cuts nothing: the schedule does not cut blind.
 * - Window end ("the morning"): restore the daytime floor, the configured minimum, raised to what
 *   the load needs now. Not the count before the window: that was sized for yesterday evening's
 *   load, and the morning's is measured (right-sizing and the target triggers add within a minute
 *   of the load outgrowing the target).
 */
export function scheduledProposal(
  input: ScalingInput,
  sizing: RightSizing,
  sized: RightSize | undefined,
): Proposal {
  const { policy, fleet } = input;
  const from = fleet.desired;
  const window = `${policy.offPeak.start}-${policy.offPeak.end} ${policy.offPeak.timezone}`;
  const minutes = sizing.scaleInAfterMinutes;
  if (input.scheduled === 'off-peak-end') {
    const daytime = policy.capacity.min;
    const need = sized?.up ?? 0;
    const to = Math.max(daytime, need);
    const needText = sized ? `; the load needs ${need}` : '';
    if (to <= from)
      return {
        to: from,
        rule: 'off-peak-end',
        detail: `off-peak window ${window} ended: ${from} already hold the daytime minimum of ${daytime}${needText}`,
      };
    return {
      to,
      rule: 'off-peak-end',
      sized: true,
      countsBooting: true,
      detail: `off-peak window ${window} ended: back to the daytime minimum of ${daytime}${needText}`,
    };
  }

  const rule = 'off-peak-start';
  const hold = (detail: string): Proposal => ({ to: from, rule, detail });
  if (!policy.offPeak.enabled) return hold(`off-peak scale-down is not enabled for ${policy.id}`);
  const count = offPeakCount(policy);
  if (from <= count) return hold(`${from} running: already at the off-peak count of ${count}`);
  const booting = stillBooting(fleet);
  if (booting) return hold(booting);
  if (!sized || sized.down === undefined)
    return hold(`the load lacks a datapoint in the last ${minutes} minutes: the schedule does not cut blind`);
  const to = Math.max(count, sized.down);
  if (to >= from)
    return hold(`the peak of the last ${minutes} minutes needs ${sized.down}: the load keeps ${from}`);
  return {
    to,
    rule,
    detail: `off-peak window ${window}: toward ${count}; the peak of the last ${minutes} minutes needs ${sized.down}`,
  };
}
