import { QUEUE_SIGNAL } from '../../lambdas/core/scaling/load';
import type { ComponentId } from '../../lib/config/constants';
import type { PlatformConfig } from '../../lib/config';
import type { ComponentPolicy } from '../../lib/config/schema';
import { hpa } from '../baselines/hpa';
import { stepScaling } from '../baselines/step-scaling';
import { targetTracking } from '../baselines/target-tracking';
import type { Controller } from '../baselines/types';
import { monthlyCostUsd } from '../metrics/cost';
import {
  FRONTIER_TARGETS,
  frontierRatios,
  type FrontierPoint,
  type FrontierRatios,
} from '../metrics/frontier';
import { oracle } from '../baselines/oracle';
import type { Fault } from '../twin/faults';
import type { WorkflowUsage } from '../workflows/scale-workflow-runtime';
import { workflowControlPlane, type WorkflowControlPlane } from '../policies/control-plane-workflows';
import { DEFAULT_FUNCTION_MEMORY_MB } from '../../lib/config/constants';
import { defaultModel } from './model';
import { instancesNeeded, runPolicy, type PolicyMetrics, type PolicyRun } from './run-policy';

export const POLICY_NAMES = ['control-plane', 'target-tracking', 'step-seed', 'hpa'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** The swept baselines of the frontier. */
export const FRONTIER_BASELINES = ['target-tracking', 'hpa'] as const;
export type FrontierBaseline = (typeof FRONTIER_BASELINES)[number];

export type PolicySummary = PolicyMetrics &
  Partial<FrontierRatios> & { controlPlaneCostPerMonthUsd?: number };

export interface ComponentSummary {
  readonly component: ComponentId;
  readonly steps: number;
  /** The environment profile the run used, its capacity range and whether it scales by itself at all. */
  readonly profile: {
    readonly env: string;
    readonly capacity: { readonly min: number; readonly max: number };
    readonly automaticScaling: boolean;
    readonly note?: string;
  };
  readonly policies: Record<PolicyName, PolicySummary>;
  /** Target tracking and the HPA swept over FRONTIER_TARGETS on the same trace and twin. */
  readonly frontier?: Record<FrontierBaseline, FrontierPoint[]>;
  /** Perfect foresight (sim/baselines/oracle.ts): what no policy can beat. */
  readonly oracle?: PolicyMetrics;
}

export interface ComponentResult {
  readonly summary: ComponentSummary;
  readonly runs: Record<PolicyName, PolicyRun>;
  readonly load: readonly number[];
  /** What the control plane's workflow executions used in the twin. */
  readonly usage: WorkflowUsage;
  /** The AWS faults injected into this run (the report marks them on the time axis). */
  readonly faults: readonly Fault[];
  /** Epoch seconds (UTC) of the trace's first minute, when the trace has dates; else minute 0 is 00:00. */
  readonly start?: number;
}

/**
 * The tracked metric's full scale: a target of 0.7 is 70 % CPU, or 7 jobs a worker for n8n's queue
 * signal (a worker's slots are its capacity).
 */
function fullScale(policy: ComponentPolicy, concurrency: number): number {
  return trackedSignal(policy).metric === QUEUE_SIGNAL ? concurrency : 100;
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

export interface SimulateOptions {
  readonly seed?: number;
  readonly faults?: readonly Fault[];
  /** Also sweep target tracking and the HPA over FRONTIER_TARGETS and run the oracle. */
  readonly frontier?: boolean;
  /** Epoch seconds (UTC) of the trace's first minute, for the report's clock. */
  readonly start?: number;
}

/** Runs the four policies against one component's per-minute load, one after another. */
export async function simulateComponent(
  config: PlatformConfig,
  component: ComponentId,
  load: readonly number[],
  options: SimulateOptions = {},
): Promise<ComponentResult> {
  const policy = config.components[component];
  const model = defaultModel(component, policy, config.env);
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
  const profile = {
    env: config.env.name,
    capacity: { ...policy.capacity },
    automaticScaling: config.env.scaling.enabled,
    ...(config.env.scaling.enabled
      ? {}
      : {
          note: `automatic scaling is off in ${config.env.name}: the control plane holds ${component} at its pinned capacity, so its figures show no scaling (run with --env prod or staging to judge scaling)`,
        }),
  };
  const summary: ComponentSummary = { component, steps: load.length, profile, policies: metrics };
  const faults = options.faults ?? [];
  const start = options.start !== undefined ? { start: options.start } : {};
  if (!options.frontier) return { summary, runs, load, usage, faults, ...start };

  const sweep = await sweepFrontier(config, component, model, load, options);
  const need = load.map((v) => instancesNeeded(model, v));
  const oracleRun = await runPolicy(
    model,
    load,
    oracle({ need, maxBootSeconds: maxBoot(model.bootSeconds), ...policy.capacity }),
    options,
  );
  for (const name of POLICY_NAMES)
    metrics[name] = {
      ...metrics[name],
      ...frontierRatios(metrics[name], sweep['target-tracking'], oracleRun.metrics),
    };
  return {
    summary: { ...summary, frontier: sweep, oracle: oracleRun.metrics },
    runs,
    load,
    usage,
    faults,
    ...start,
  };
}

function maxBoot(boot: number | { readonly max: number }): number {
  return typeof boot === 'number' ? boot : boot.max;
}

/** Target tracking and the HPA at every FRONTIER_TARGETS target, on the same trace, twin and faults. */
async function sweepFrontier(
  config: PlatformConfig,
  component: ComponentId,
  model: ReturnType<typeof defaultModel>,
  load: readonly number[],
  options: SimulateOptions,
): Promise<Record<FrontierBaseline, FrontierPoint[]>> {
  const policy = config.components[component];
  const { metric } = trackedSignal(policy);
  const scale = fullScale(policy, config.env.n8n.workerConcurrency);
  const bounds = { min: policy.capacity.min, max: policy.capacity.max };
  const sweep = { 'target-tracking': [] as FrontierPoint[], hpa: [] as FrontierPoint[] };
  for (const target of FRONTIER_TARGETS) {
    for (const name of FRONTIER_BASELINES) {
      const tracking = { metric, target: target * scale, ...bounds };
      const controller = name === 'hpa' ? hpa(tracking) : targetTracking(tracking);
      const { metrics } = await runPolicy(model, load, controller, options);
      sweep[name].push({
        target,
        sloViolationMinutes: metrics.sloViolationMinutes,
        instanceHours: Math.round(metrics.instanceHours * 1000) / 1000,
      });
    }
  }
  return sweep;
}
