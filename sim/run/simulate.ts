import type { ComponentId } from '../../lib/config/constants';
import type { PlatformConfig } from '../../lib/config';
import type { ComponentPolicy } from '../../lib/config/schema';
import { hpa } from '../baselines/hpa';
import { stepScaling } from '../baselines/step-scaling';
import { targetTracking } from '../baselines/target-tracking';
import type { Controller } from '../baselines/types';
import { monthlyCostUsd } from '../metrics/cost';
import type { Fault } from '../twin/faults';
import type { WorkflowUsage } from '../workflows/scale-workflow-runtime';
import { workflowControlPlane, type WorkflowControlPlane } from '../policies/control-plane-workflows';
import { DEFAULT_FUNCTION_MEMORY_MB } from '../../lib/constructs/control-plane-function';
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
  /** What the control plane's workflow executions used in the twin. */
  readonly usage: WorkflowUsage;
}

/** The utilisation the baselines track: the seeds' scale-out CPU threshold of the component. */
function trackedUtilisation(policy: ComponentPolicy): number {
  const rule = policy.rules.find((r) => r.signal === 'cpu-utilization' && r.change > 0);
  if (!rule) throw new Error(`${policy.id} has no CPU scale-out rule for the baselines to track`);
  return rule.threshold;
}

function controllers(
  config: PlatformConfig,
  component: ComponentId,
  faults: readonly Fault[],
): Record<PolicyName, Controller> & { 'control-plane': WorkflowControlPlane } {
  const policy = config.components[component];
  const bounds = { min: policy.capacity.min, max: policy.capacity.max };
  const target = trackedUtilisation(policy);
  return {
    'control-plane': workflowControlPlane({ config, component, faults }),
    'target-tracking': targetTracking({ metric: 'cpu-utilization', target, ...bounds }),
    'step-seed': stepScaling(policy),
    hpa: hpa({ metric: 'cpu-utilization', target, ...bounds }),
  };
}

/** The twin does not time the handlers as Lambda would bill them: an assumed duration per call. */
const ASSUMED_FUNCTION_SECONDS = 0.3;

/**
 * What the control plane itself would cost at this decision rate for a month, from what its
 * executions used in the twin: state transitions, function calls (at the house construct's memory
 * for ASSUMED_FUNCTION_SECONDS each), metrics requested and DynamoDB requests (one request unit
 * each: every item is far below 1 KB).
 */
function controlPlaneCost(usage: WorkflowControlPlane['usage'], minutes: number): number {
  return monthlyCostUsd({
    stateTransitions: usage.stateTransitions,
    lambdaInvocations: usage.lambdaInvocations,
    lambdaGbSeconds: usage.lambdaInvocations * (DEFAULT_FUNCTION_MEMORY_MB / 1024) * ASSUMED_FUNCTION_SECONDS,
    metricsRequested: usage.metricsRequested,
    dynamoReadRequestUnits: usage.dynamoReads,
    dynamoWriteRequestUnits: usage.dynamoWrites,
    simulatedSeconds: minutes * 60,
  });
}

/** Runs the four policies against one component's per-minute load, one after another. */
export async function simulateComponent(
  config: PlatformConfig,
  component: ComponentId,
  load: readonly number[],
  options: { readonly seed?: number; readonly faults?: readonly Fault[] } = {},
): Promise<ComponentResult> {
  const model = defaultModel(component, config.components[component], config.env.flux);
  const policies = controllers(config, component, options.faults ?? []);
  const runs = {} as Record<PolicyName, PolicyRun>;
  for (const name of POLICY_NAMES) runs[name] = await runPolicy(model, load, policies[name], options);
  const usage = policies['control-plane'].usage;
  if (usage.failed.length > 0)
    throw new Error(`control-plane executions failed in the twin: ${usage.failed.slice(0, 3).join('; ')}`);
  const metrics = Object.fromEntries(
    POLICY_NAMES.map((name) => [name, runs[name].metrics]),
  ) as ComponentSummary['policies'];
  metrics['control-plane'] = {
    ...metrics['control-plane'],
    controlPlaneCostPerMonthUsd: controlPlaneCost(usage, load.length),
  };
  return { summary: { component, steps: load.length, policies: metrics }, runs, load, usage };
}
