import { QUEUE_SIGNAL } from '../../lambdas/core/scaling/queue-sizing';
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

/**
 * What target tracking and the HPA track: the scale-out threshold of the component's queue rule
 * when it has one, else of its CPU rule. Why the queue for n8n's workers: it is what AWS documents
 * for a fleet of queue workers (target tracking on the backlog per instance, "Scaling policy based
 * on Amazon SQS"), and what KEDA offers the HPA for Bull queues; CPU shows neither the jobs a
 * worker holds while they wait on other services nor those waiting for a slot. The target is the
 * control plane's own threshold (7 jobs a worker), as CPU's is the seeds' 70 %.
 */
export function trackedSignal(policy: ComponentPolicy): { readonly metric: string; readonly target: number } {
  const out = (signal: string) => policy.rules.find((r) => r.signal === signal && r.change > 0);
  const rule = out(QUEUE_SIGNAL) ?? out('cpu-utilization');
  if (!rule) throw new Error(`${policy.id} has no queue or CPU scale-out rule for the baselines to track`);
  return { metric: rule.signal, target: rule.threshold };
}

function controllers(
  config: PlatformConfig,
  component: ComponentId,
  faults: readonly Fault[],
): Record<PolicyName, Controller> & { 'control-plane': WorkflowControlPlane } {
  const policy = config.components[component];
  const bounds = { min: policy.capacity.min, max: policy.capacity.max };
  const tracked = trackedSignal(policy);
  return {
    'control-plane': workflowControlPlane({ config, component, faults }),
    'target-tracking': targetTracking({ ...tracked, ...bounds }),
    'step-seed': stepScaling(policy),
    hpa: hpa({ ...tracked, ...bounds }),
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
  const model = defaultModel(component, config.components[component], config.env);
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
