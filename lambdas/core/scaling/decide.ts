import { floorAt } from './off-peak';
import { ruleBreaches } from './rules';
import { componentLoad } from './load';
import { rightSize } from './right-size';
import { shapeStep } from './aggressiveness';
import { sizingFor } from './cost-priority';
import { scheduledProposal } from './scheduled';
import { stillBooting } from './still-booting';
import { N8N_WORKER_CONCURRENCY } from '../../../lib/config/n8n';
import type { HoldReason } from '../../../lib/config/control-plane-metrics';
import type { ScalingRule } from '../../../lib/config/schema';
import type { Proposal } from './proposal';
import type { LedgerAction, ScalingDecision, ScalingInput } from './types';

/** Every guardrail a decision can name: those that can hold a change, and those that shape a step. */
type Guardrail = HoldReason | 'conservative' | 'aggressive';

const SECOND = 1000;

/**
 * The scale decision for one component: the seeds' rules propose, the guardrails dispose. Pure:
 * the same input always gives the same decision, so the simulator, the tests and the Lambda agree.
 * Order: automatic scaling allowed at all -> a proposal (manual target, the off-peak schedule, or
 * the rules answered by right-sizing) -> capacity still booting -> runaway protection -> cooldowns
 * -> aggressiveness -> the environment's maximum scaling rate, where it keeps one -> database guard
 * -> stalled-GPU hold -> [floor, max] (escalating at the maximum). Aggressiveness comes before the
 * rate cap so that an aggressive step never passes the cap.
 */
export function decideScaling(input: ScalingInput): ScalingDecision {
  const { policy, fleet, flags, now } = input;
  const from = fleet.desired;
  const guardrails: Guardrail[] = [];
  /** What the proposal asked for, once there is one (held and cut decisions record it). */
  const asked: { to?: number } = {};
  const hold = (reason: string, extra: Partial<ScalingDecision> = {}): ScalingDecision => ({
    action: 'hold',
    from,
    to: from,
    reason,
    guardrails,
    ...(asked.to !== undefined && asked.to !== from ? { proposed: asked.to } : {}),
    ...extra,
  });

  // 1. Is automatic scaling allowed? (A manual run is an operator's decision and skips this.)
  if (!input.manual) {
    if (!flags.scalingEnabled)
      return hold('automatic scaling is disabled in this environment', { guardrails: ['environment'] });
    if (flags.paused) return hold(`automatic scaling of ${policy.id} is paused`, { guardrails: ['paused'] });
    if (flags.maintenanceWindow)
      return hold(`${policy.id} is held by ${flags.maintenanceWindow}`, { guardrails: ['maintenance'] });
  }

  // 2. The proposal.
  const proposal = propose(input);
  if (!proposal) return hold('no rule breached');
  let { to } = proposal;
  asked.to = to;
  const { rule } = proposal;
  const outward = to > from;
  if (to === from)
    return hold(proposal.detail ?? `${rule} asks for the current capacity (${from})`, { rule });

  // 3. Capacity still booting already answers a scale-out the metrics cannot see yet (a proposal
  //    sized against the desired count has counted it).
  if (outward && !input.manual && fleet.pending > 0 && !proposal.countsBooting) {
    guardrails.push('booting');
    return hold(
      `${fleet.pending} ${plural(fleet.pending, 'instance')} still booting; metrics do not show them yet`,
      { rule },
    );
  }

  // 4. Runaway protection (seed 001): a loop that keeps reversing itself pauses automatic scaling.
  const hourAgo = now.getTime() - 3600 * SECOND;
  const lastHour = input.ledger.filter((a) => a.outcome !== 'failed' && Date.parse(a.at) > hourAgo);
  const reversals = directionChanges(lastHour, outward);
  if (!input.manual && reversals >= policy.runawayMaxReversalsPerHour) {
    guardrails.push('runaway');
    const reason = `this ${outward ? 'scale-out' : 'scale-in'} would be the ${ordinal(reversals)} change of direction in an hour (${lastHour.length} actions; limit ${policy.runawayMaxReversalsPerHour}): automatic scaling paused`;
    return hold(reason, { rule, pause: true, escalate: { alert: 'Scaling_Runaway_Paused', reason } });
  }

  // 5. Cooldowns: no scale-out within scaleUpSeconds of the last scale-out, no scale-in within
  //    scaleDownSeconds of any action.
  const last = latest(input.ledger.filter((a) => a.outcome !== 'failed'));
  const lastOut = latest(input.ledger.filter((a) => a.outcome !== 'failed' && a.to > a.from));
  const since = (a: { at: string } | undefined) =>
    a ? (now.getTime() - Date.parse(a.at)) / SECOND : Infinity;
  if (outward && lastOut && since(lastOut) < policy.cooldown.scaleUpSeconds) {
    guardrails.push('cooldown');
    const endsAt = new Date(Date.parse(lastOut.at) + policy.cooldown.scaleUpSeconds * SECOND).toISOString();
    return hold(
      `scale-out cooldown: last scale-out ${Math.floor(since(lastOut))} s ago (cooldown ${policy.cooldown.scaleUpSeconds} s)`,
      { rule, cooldownEndsAt: endsAt },
    );
  }
  if (!outward && since(last) < policy.cooldown.scaleDownSeconds) {
    guardrails.push('cooldown');
    return hold(
      `scale-in cooldown: last action ${Math.floor(since(last))} s ago (cooldown ${policy.cooldown.scaleDownSeconds} s)`,
      { rule },
    );
  }

  // 6. Environment aggressiveness (seed 001), on every automatic step, sized or fixed, out or in
  //    (lambdas/core/scaling/aggressiveness.ts). An operator's manual target is taken as asked.
  //    A fleet below the floor in force (the morning's restore) goes back to it whole, as step 10
  //    would put it anyway: the profile shapes only the step beyond the floor, so an aggressive
  //    environment does not grow a restore, nor a conservative one claim to have cut it.
  const floor = floorAt(policy, now);
  const base = outward ? Math.max(from, floor) : from;
  if (!input.manual && (outward ? to > base : to < base)) {
    const shaped = shapeStep(base, to, flags.aggressiveness, proposal.sized === true);
    if (shaped.guardrail) guardrails.push(shaped.guardrail);
    to = shaped.to;
  }

  // 7. Maximum scaling rate, where the environment keeps seed 002's cap (staging: Odoo at most 1
  //    instance per 5 minutes; prod has none, as seed 000 gives Odoo no maximum rate). Like the
  //    profile, the cap bounds the growth beyond the floor in force: a fleet below it (the
  //    morning's restore) goes back to it whole, which step 10 would do anyway, so the cap
  //    neither holds a restore nor is recorded as cutting one.
  if (outward && policy.maxScalingRate) {
    const windowStart = now.getTime() - policy.maxScalingRate.perSeconds * SECOND;
    const added = input.ledger
      .filter((a) => a.outcome !== 'failed' && Date.parse(a.at) > windowStart && a.to > a.from)
      .reduce((sum, a) => sum + (a.to - a.from), 0);
    const ceiling = Math.max(base, from + Math.max(0, policy.maxScalingRate.instances - added));
    if (to > ceiling) {
      guardrails.push('max-rate');
      const reason = `maximum scaling rate: ${added} added in the last ${policy.maxScalingRate.perSeconds} s`;
      if (ceiling <= from) return hold(reason, { rule });
      to = ceiling;
    }
  }

  // 8. Never add Odoo workers while PostgreSQL is nearly out of connections: it would make it worse.
  const guard = policy.databaseConnectionGuardPercent;
  if (
    outward &&
    guard !== undefined &&
    flags.databaseConnectionsPercent !== undefined &&
    flags.databaseConnectionsPercent > guard
  ) {
    guardrails.push('database');
    const reason = `PostgreSQL connections at ${flags.databaseConnectionsPercent.toFixed(0)} % of max (guard ${guard} %): more workers would make it worse`;
    return hold(reason, { rule, escalate: { alert: 'Scaling_Blocked_By_Database', reason } });
  }

  // 9. A stalled GPU is remediated before the fleet grows around it; nor does the off-peak
  //    schedule take hosts away while the remediation is replacing one.
  if ((outward || input.scheduled) && policy.id === 'flux-gpu' && flags.stallOpen) {
    guardrails.push('stall');
    return hold(
      `a stalled-GPU incident is open; ${outward ? 'scale-out' : 'the off-peak scale-down'} waits for its remediation`,
      { rule },
    );
  }

  // 10. [floor, max]; reaching the maximum is escalated (seed 001 "max instances reached").
  const max = policy.capacity.max;
  if (outward && from >= max) {
    guardrails.push('max');
    const reason = `${policy.id} is at its maximum of ${max} and ${rule} still asks for more`;
    return hold(reason, { rule, escalate: { alert: 'Max_Instances_Reached', reason } });
  }
  if (!outward && from <= floor) {
    guardrails.push('floor');
    return hold(`${policy.id} is at its minimum of ${floor}`, { rule });
  }
  if (to > max || to < floor) guardrails.push(to > max ? 'max' : 'floor');
  to = Math.min(max, Math.max(floor, to));
  const reachedMax = outward && to === max;
  const reason = `${rule}: ${from} -> ${to}${proposal.detail ? ` (${proposal.detail})` : ''}`;
  return {
    action: 'scale',
    from,
    to,
    reason,
    rule,
    guardrails,
    ...(asked.to !== to ? { proposed: asked.to } : {}),
    ...(reachedMax
      ? {
          escalate: {
            alert: 'Max_Instances_Reached' as const,
            reason: `${policy.id} reached its maximum of ${max}`,
          },
        }
      : {}),
  };
}

/**
 * The seeds' rules are the triggers; right-sizing answers them. A breached scale-out rule on one
 * of the load's signals asks for what right-sizing says the load needs (never for nothing more: a
 * breach the current fleet already holds at the target is held, saying so); a rule on anything
 * else (memory) adds its step. With no rule breached, right-sizing may still scale out ahead of a
 * trend, or in once the scale-in window's peak no longer needs the capacity.
 */
function propose(input: ScalingInput): Proposal | undefined {
  const { policy, fleet } = input;
  if (input.manual) return { to: input.manual.to, rule: 'manual', detail: input.manual.reason };
  const load = componentLoad(input, N8N_WORKER_CONCURRENCY);
  const sizing = sizingFor(policy.rightSizing, input.flags.costPriority);
  const sized = rightSize(load.values, sizing);
  if (input.scheduled) return scheduledProposal(input, sizing, sized);
  const fired = policy.rules.filter((r) => ruleBreaches(r, input.metrics[r.signal]));
  const out = fired.filter((r) => r.change > 0);
  const target = sizing.targetUtilisation;
  const loadText = (value: number) =>
    `load ${value.toFixed(2)} ${load.unit}${sized && sized.slopePerMinute > 0 ? ` (peak ${sized.peak.toFixed(2)} + trend ${sized.slopePerMinute.toFixed(3)}/min over ${sizing.leadMinutes} min)` : ''}`;

  const stepped = out
    .filter((r) => !load.signals.includes(r.signal) || !sized)
    .map((r) => ({ to: fleet.desired + r.change, rule: r.id }) satisfies Proposal);
  const byLoad: Proposal | undefined =
    sized && sized.up > fleet.desired
      ? {
          to: sized.up,
          rule:
            creditedRule(
              input,
              out.filter((r) => load.signals.includes(r.signal)),
            ) ?? 'right-size',
          sized: true,
          countsBooting: true,
          detail: `${loadText(sized.projected)} needs ${sized.up} at ${target} %`,
        }
      : undefined;
  const outward = [...stepped, ...(byLoad ? [byLoad] : [])].sort((a, b) => b.to - a.to)[0];
  if (outward) return outward;
  // Below the floor in force (the morning after an off-peak window whose end was missed or held):
  // back to it, so a quiet morning does not keep the night's count for want of a breached rule.
  const floor = floorAt(policy, input.now);
  if (fleet.desired < floor)
    return {
      to: floor,
      rule: 'floor',
      countsBooting: true,
      detail: `${fleet.desired} is below the minimum of ${floor} in force`,
    };
  const heldBreach = out[0];
  if (heldBreach && sized)
    return {
      to: fleet.desired,
      rule: heldBreach.id,
      detail: `${heldBreach.id} breached, but ${fleet.desired} running or booting hold the ${loadText(sized.projected)} at ${target} %`,
    };

  const inward = fired.find((r) => r.change < 0);
  if (!sized || sized.down === undefined) {
    return inward
      ? {
          to: fleet.desired,
          rule: inward.id,
          detail: `${inward.id} breached, but the load lacks a datapoint in the last ${sizing.scaleInAfterMinutes} minutes`,
        }
      : undefined;
  }
  // A scale-in waits for the fleet to be what was asked for: booting capacity is not yet measured.
  const booting = stillBooting(fleet);
  if (booting) {
    return inward
      ? { to: fleet.desired, rule: inward.id, detail: `${inward.id} breached, but ${booting}` }
      : undefined;
  }
  if (sized.down >= fleet.desired) {
    return inward
      ? {
          to: fleet.desired,
          rule: inward.id,
          detail: `${inward.id} breached, but the peak of the last ${sizing.scaleInAfterMinutes} minutes needs ${sized.down}`,
        }
      : undefined;
  }
  return {
    to: sized.down,
    rule: inward?.id ?? 'right-size',
    detail: `the peak of the last ${sizing.scaleInAfterMinutes} minutes, ${loadText(sized.peak)}, needs ${sized.down} at ${target} %`,
  };
}

/**
 * The breached rule a sized scale-out is credited to: the one whose alarm started this decision,
 * else the first breached in the policy's order. Why: the ledger and the decision latency should
 * name what asked, not a rule that had been breaching while the fleet still held its load.
 */
function creditedRule(input: ScalingInput, fired: readonly ScalingRule[]): string | undefined {
  return (fired.find((r) => r.id === input.triggeredBy) ?? fired[0])?.id;
}

/**
 * Changes of direction among the last hour's actions, oldest first, counting the one proposed
 * (outward or not) as the newest.
 */
function directionChanges(actions: readonly LedgerAction[], outward: boolean): number {
  const directions = [...actions]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .filter((a) => a.to !== a.from)
    .map((a) => a.to > a.from);
  directions.push(outward);
  let changes = 0;
  for (let i = 1; i < directions.length; i++) if (directions[i] !== directions[i - 1]) changes += 1;
  return changes;
}

function ordinal(n: number): string {
  const suffix =
    n % 10 === 1 && n % 100 !== 11
      ? 'st'
      : n % 10 === 2 && n % 100 !== 12
        ? 'nd'
        : n % 10 === 3 && n % 100 !== 13
          ? 'rd'
          : 'th';
  return `${n}${suffix}`;
}

function latest<T extends { at: string }>(items: readonly T[]): T | undefined {
  return [...items].sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
