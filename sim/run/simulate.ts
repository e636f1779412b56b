import type { ComponentId } from '../../lib/config/constants';
import type { PlatformConfig } from '../../lib/config';
import type { ComponentPolicy } from '../../lib/config/schema';
import { hpa } from '../baselines/hpa';
import { stepScaling } from '../baselines/step-scaling';
import { targetTracking } from '../baselines/target-tracking';
import type { Controller } from '../baselines/types';
import { monthlyCostUsd } from '../metrics/cost';
import { controlPlane } from '../policies/control-plane';
import { defaultModel } from './model';
import { runPolicy, type PolicyMetrics, type PolicyRun } from './run-policy';

export const POLICY_NAMES = ['control-plane', 'target-tracking', 'step-seed', 'hpa'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface ComponentSummary {
  readonly component: ComponentId;
  readonly steps: number;
  readonly policies: Record<PolicyName, PolicyMetrics & { controlPlaneCostPerMonthUsd?: number }>;
}

export interface ComponentResult {
  readonly summary: ComponentSummary;
  readonly runs: Record<PolicyName, PolicyRun>;
  readonly load: readonly number[];
}

/** The utilisation the baselines track: the seeds' scale-out CPU threshold of the component. */
function trackedUtilisation(policy: ComponentPolicy): number {
  const rule = policy.rules.find((r) => r.signal === 'cpu-utilization' && r.change > 0);
  if (!rule) throw new Error(`${policy.id} has no CPU scale-out rule for the baselines to track`);
  return rule.threshold;
}

function controllers(config: PlatformConfig, component: ComponentId): Record<PolicyName, Controller> {
  const policy = config.components[component];
  const model = defaultModel(component, policy, config.env.flux);
  const bounds = { min: policy.capacity.min, max: policy.capacity.max };
  const target = trackedUtilisation(policy);
  return {
    'control-plane': controlPlane({
      policy,
      flags: { scalingEnabled: true, aggressiveness: config.env.scaling.aggressiveness },
      ...(model.gpu ? { gpu: model.gpu } : {}),
    }),
    'target-tracking': targetTracking({ metric: 'cpu-utilization', target, ...bounds }),
    'step-seed': stepScaling(policy),
    hpa: hpa({ metric: 'cpu-utilization', target, ...bounds }),
  };
}

/**
 * What the control plane itself would cost running this decision rate for a month: per decision
 * the scale-decision workflow's state transitions and function calls, per evaluation one
 * GetMetricData over the component's signals (counted from the workflow definition: about 12
 * transitions for a hold, 22 for an action; 2 Lambda calls for a hold, 4 for an action).
 */
function controlPlaneCost(run: PolicyRun, minutes: number): number {
  const evaluations = Math.ceil(minutes / 5);
  const actions = run.metrics.actions;
  return monthlyCostUsd({
    stateTransitions: evaluations * 12 + actions * 10,
    lambdaInvocations: evaluations * 2 + actions * 2,
    lambdaGbSeconds: (evaluations * 2 + actions * 2) * 0.25 * 0.3,
    metricsRequested: evaluations * 8,
    dynamoReadRequestUnits: evaluations * 6,
    dynamoWriteRequestUnits: evaluations * 2 + actions * 4,
    simulatedSeconds: minutes * 60,
  });
}

/** Runs the four policies against one component's per-minute load. */
export function simulateComponent(
  config: PlatformConfig,
  component: ComponentId,
  load: readonly number[],
  seed = 1,
): ComponentResult {
  const model = defaultModel(component, config.components[component], config.env.flux);
  const policies = controllers(config, component);
  const runs = Object.fromEntries(
    POLICY_NAMES.map((name) => [name, runPolicy(model, load, policies[name], seed)]),
  ) as Record<PolicyName, PolicyRun>;
  const metrics = Object.fromEntries(
    POLICY_NAMES.map((name) => [name, runs[name].metrics]),
  ) as ComponentSummary['policies'];
  metrics['control-plane'] = {
    ...metrics['control-plane'],
    controlPlaneCostPerMonthUsd: controlPlaneCost(runs['control-plane'], load.length),
  };
  return { summary: { component, steps: load.length, policies: metrics }, runs, load };
}
