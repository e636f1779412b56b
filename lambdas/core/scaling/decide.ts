import { floorAt } from './off-peak';
import { ruleBreaches } from './rules';
import { guardQueueScaleIn, queueRules, QUEUE_SIGNAL, sizeByQueue, type QueueRules } from './queue-sizing';
import { guardGpuScaleIn, rightSizeDown, sizeByCpu, sizeGpuFleet, type Proposal } from './sizing';
import type { HoldReason } from '../../../lib/config/control-plane-metrics';
import type { ScalingRule } from '../../../lib/config/schema';
import type { ScalingDecision, ScalingInput } from './types';

/** Every guardrail a decision can name: those that can hold a change, and those that shape a step. */
type Guardrail = HoldReason | 'conservative' | 'aggressive';

const SECOND = 1000;

/**
 * The scale decision for one component: the seeds' rules propose, the guardrails dispose. Pure:
 * the same input always gives the same decision, so the simulator, the tests and the Lambda agree.
 * Order: automatic scaling allowed at all -> a proposal (manual target, rules, GPU sizing) ->
 * capacity still booting -> runaway protection -> cooldowns -> maximum scaling rate ->
 * aggressiveness -> database guard -> stalled-GPU hold -> [floor, max] (escalating at the maximum).
 */
export function decideScaling(input: ScalingInput): ScalingDecision {
  const { policy, fleet, flags, now } = input;
  const from = fleet.desired;
  const guardrails: Guardrail[] = [];
  const hold = (reason: string, extra: Partial<ScalingDecision> = {}): ScalingDecision => ({
    action: 'hold',
    from,
    to: from,
    reason,
    guardrails,
    ...extra,
  });

  // 1. Is automatic scaling allowed? (A manual run is an operator's decision and skips this.)
  if (!input.manual) {
    if (!flags.scalingEnabled)
      return hold('automatic scaling is disabled in this environment', { guardrails: ['environment'] });
    if (flags.paused) return hold(`automatic scaling of ${policy.id} is paused`, { guardrails: ['paused'] });
    if (flags.inMaintenance)
      return hold(`${policy.id} is in a maintenance window`, { guardrails: ['maintenance'] });
  }

  // 2. The proposal.
  const proposal = propose(input);
  if (!proposal) return hold('no rule breached');
  let { to } = proposal;
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

  // 4. Runaway protection (seed 001): too many actions in an hour pauses automatic scaling.
  const hourAgo = now.getTime() - 3600 * SECOND;
  const lastHour = input.ledger.filter((a) => a.outcome !== 'failed' && Date.parse(a.at) > hourAgo);
  if (!input.manual && lastHour.length >= policy.runawayMaxActionsPerHour) {
    guardrails.push('runaway');
    const reason = `${lastHour.length} scaling actions in the last hour (limit ${policy.runawayMaxActionsPerHour}): automatic scaling paused`;
    return hold(reason, { rule, pause: true, escalate: { alert: 'Scaling_Runaway_Paused', reason } });
  }

  // 5. Cooldowns: no scale-out within scaleUpSeconds of the last scale-out, no scale-in within
  //    scaleDownSeconds of any action.
  const last = latest(input.ledger.filter((a) => a.outcome !== 'failed'));
  const lastOut = latest(input.ledger.filter((a) => a.outcome !== 'failed' && a.to > a.from));
  const since = (a: { at: string } | undefined) =>
    a ? (now.getTime() - Date.parse(a.at)) / SECOND : Infinity;
  if (outward && since(lastOut) < policy.cooldown.scaleUpSeconds) {
    guardrails.push('cooldown');
    return hold(
      `scale-out cooldown: last scale-out ${Math.floor(since(lastOut))} s ago (cooldown ${policy.cooldown.scaleUpSeconds} s)`,
      { rule },
    );
  }
  if (!outward && since(last) < policy.cooldown.scaleDownSeconds) {
    guardrails.push('cooldown');
    return hold(
      `scale-in cooldown: last action ${Math.floor(since(last))} s ago (cooldown ${policy.cooldown.scaleDownSeconds} s)`,
      { rule },
    );
  }

  // 6. Maximum scaling rate (seed 002: Odoo at most 1 instance per 5 minutes).
  if (outward && policy.maxScalingRate) {
    const windowStart = now.getTime() - policy.maxScalingRate.perSeconds * SECOND;
    const added = input.ledger
      .filter((a) => a.outcome !== 'failed' && Date.parse(a.at) > windowStart && a.to > a.from)
      .reduce((sum, a) => sum + (a.to - a.from), 0);
    const allowed = policy.maxScalingRate.instances - added;
    if (allowed <= 0) {
      guardrails.push('max-rate');
      return hold(`maximum scaling rate: ${added} added in the last ${policy.maxScalingRate.perSeconds} s`, {
        rule,
      });
    }
    if (to - from > allowed) {
      guardrails.push('max-rate');
      to = from + allowed;
    }
  }

  // 7. Environment aggressiveness (seed 001): conservative adds one at a time, aggressive doubles.
  //    A sized proposal is already the size the demand needs: aggressiveness shapes fixed steps.
  if (outward && !input.manual && !proposal.sized) {
    if (flags.aggressiveness === 'conservative' && to - from > 1) {
      guardrails.push('conservative');
      to = from + 1;
    } else if (flags.aggressiveness === 'aggressive') {
      guardrails.push('aggressive');
      to = from + (to - from) * 2;
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

  // 9. A stalled GPU is remediated before the fleet grows around it.
  if (outward && policy.id === 'flux-gpu' && flags.stallOpen) {
    guardrails.push('stall');
    return hold('a stalled-GPU incident is open; scale-out waits for its remediation', { rule });
  }

  // 10. [floor, max]; reaching the maximum is escalated (seed 001 "max instances reached").
  const floor = floorAt(policy, now);
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
 * Scale-out rules win over scale-in rules; among scale-out rules the largest proposal wins (on a
 * tie, the largest change, then one sized from demand). With no rule breached, a component with
 * CPU sizing may still right-size down. A fleet with queue rules (n8n) scales in only as far as its
 * queue allows.
 */
function propose(input: ScalingInput): Proposal | undefined {
  const { policy, fleet } = input;
  if (input.manual) return { to: input.manual.to, rule: 'manual', detail: input.manual.reason };
  const fired = policy.rules.filter((r) => ruleBreaches(r, input.metrics[r.signal]));
  const out = fired.filter((r) => r.change > 0).sort((a, b) => b.change - a.change);
  if (out[0]) {
    if (policy.id === 'flux-gpu' && input.gpu) return sizeGpuFleet(input, out[0].id);
    const queue = queueRules(policy);
    return out
      .map((r) => scaleOut(input, r, queue))
      .reduce((best, p) => (p.to > best.to || (p.to === best.to && p.sized && !best.sized) ? p : best));
  }
  const inward = fired.find((r) => r.change < 0);
  const down = inward
    ? { to: fleet.desired - policy.scaleDownStep, rule: inward.id }
    : policy.cpuSizing
      ? rightSizeDown(input, policy.cpuSizing, policy.scaleDownStep)
      : undefined;
  if (!down) return undefined;
  if (inward && policy.id === 'flux-gpu' && input.gpu)
    return guardGpuScaleIn(input.gpu, fleet.desired, down.to, inward.id);
  const queue = queueRules(policy);
  return queue ? guardQueueScaleIn(input, queue, down) : down;
}

/** One breached scale-out rule's proposal: sized from the jobs, from CPU, or the rule's step. */
function scaleOut(input: ScalingInput, rule: ScalingRule, queue: QueueRules | undefined): Proposal {
  if (queue && rule.signal === QUEUE_SIGNAL) return sizeByQueue(input, queue, rule);
  if (input.policy.cpuSizing) return sizeByCpu(input, input.policy.cpuSizing, rule.id, rule.change);
  return { to: input.fleet.desired + rule.change, rule: rule.id };
}

function latest<T extends { at: string }>(items: readonly T[]): T | undefined {
  return [...items].sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
