import type { AlertSignal } from './alert-schema';
import type { AlarmSignalType, RuntimeAlert } from './alert-runtime';
import { generationQueueMetric } from './generation-queue';
import { n8nQueueMetric } from './n8n';
import type { ComponentId, ComponentPolicy, ScalingRule } from './schema';

/**
 * The scale alarms, generated from the component policies (lib/config/components.ts): one per
 * rule, named `Scale_<component>_<rule>`, of kind `scale`, so that a breach starts the
 * scale-decision workflow at once rather than at the next periodic evaluation. scaleAlerts gives
 * what the handlers read (lib/config/alert-runtime.ts); lib/config/alerts.ts adds each one's alarm
 * (scaleSignal below) and source (the rule's).
 */
export function scaleAlertName(component: ComponentId, ruleId: string): string {
  return `Scale_${component}_${ruleId}`.replace(/-/g, '_');
}

/** The type of each scaling signal's alarm, as scaleSignal builds it. */
const SCALE_SIGNAL_TYPES: Readonly<Record<ScalingRule['signal'], AlarmSignalType>> = {
  'cpu-utilization': 'metric',
  'memory-utilization': 'metric',
  'api-latency-p95-ms': 'metric-math',
  'queue-backlog': 'metric',
  'active-gpu-tasks-per-node': 'metric-math',
  'workflow-queue-per-worker': 'metric-math',
};

export function scaleAlerts(policies: Readonly<Record<ComponentId, ComponentPolicy>>): RuntimeAlert[] {
  return Object.values(policies).flatMap((policy) =>
    policy.rules.map((rule): RuntimeAlert => ({
      name: scaleAlertName(policy.id, rule.id),
      kind: 'scale',
      component: policy.id,
      severity: 'Low',
      description: `Scaling rule ${rule.id} of ${policy.id} (${rule.source}).`,
      condition: `${rule.signal} ${rule.comparison} ${rule.threshold} in ${rule.datapointsToAlarm} of ${rule.evaluationPeriods} periods of ${rule.periodSeconds} s: ${rule.change > 0 ? '+' : ''}${rule.change}`,
      signal: { type: SCALE_SIGNAL_TYPES[rule.signal] },
      correlationGroup: `scaling_${policy.id.replace(/-/g, '_')}`,
      security: false,
      suppressedByMaintenance: true,
      confirmation: { count: 1, windowMinutes: 0 },
      runbook: 'runbooks/scaling.md',
    })),
  );
}

/** The alarm and source of each scale alert, by name: what lib/config/alerts.ts adds to scaleAlerts. */
export function scaleAlertInfrastructure(
  policies: Readonly<Record<ComponentId, ComponentPolicy>>,
): Record<string, { readonly signal: AlertSignal; readonly source: string }> {
  return Object.fromEntries(
    Object.values(policies).flatMap((policy) =>
      policy.rules.map((rule) => [
        scaleAlertName(policy.id, rule.id),
        { signal: scaleSignal(policy.id, rule), source: rule.source },
      ]),
    ),
  );
}

/**
 * The metric math of `workflow-queue-per-worker`, shared with the plan's query
 * (lambdas/core/scaling/queries.ts): with no worker running, the jobs count against one.
 */
export const N8N_JOBS_PER_WORKER = '(waiting + active) / MAX([tasks, 1])';

/** Where each scaling signal lives in CloudWatch (the twin evaluates the same, sim/twin/alarm-signal.ts). */
export function scaleSignal(component: ComponentId, rule: ScalingRule): AlertSignal {
  const evaluation = {
    periodSeconds: rule.periodSeconds,
    evaluationPeriods: rule.evaluationPeriods,
    datapointsToAlarm: rule.datapointsToAlarm,
    treatMissingData: 'missing' as const,
  };
  const service = { ClusterName: 'cluster' as const, ServiceName: `service:${component}` as const };
  // The running tasks of the component, the denominator of every per-task signal.
  const runningTasks = {
    namespace: 'ECS/ContainerInsights',
    metricName: 'RunningTaskCount',
    dimensions: service,
    statistic: 'Average',
  };
  const threshold = { comparison: rule.comparison, threshold: rule.threshold, evaluation };
  switch (rule.signal) {
    case 'cpu-utilization':
      return {
        type: 'metric',
        metric: {
          namespace: 'AWS/ECS',
          metricName: 'CPUUtilization',
          dimensions: service,
          statistic: 'Average',
        },
        ...threshold,
      };
    case 'memory-utilization':
      return {
        type: 'metric',
        metric: {
          namespace: 'AWS/ECS',
          metricName: 'MemoryUtilization',
          dimensions: service,
          statistic: 'Average',
        },
        ...threshold,
      };
    case 'api-latency-p95-ms':
      return {
        type: 'metric-math',
        expression: '1000 * latency',
        metrics: {
          latency: {
            namespace: 'AWS/ApplicationELB',
            metricName: 'TargetResponseTime',
            dimensions: { LoadBalancer: 'alb', TargetGroup: 'target-group:odoo' },
            statistic: 'p95',
          },
        },
        ...threshold,
      };
    case 'queue-backlog':
      return {
        type: 'metric',
        metric: generationQueueMetric('waiting', 'Maximum'),
        ...threshold,
      };
    case 'active-gpu-tasks-per-node':
      // Jobs in flight (received, not yet deleted) per running Flux task: one task per GPU host.
      return {
        type: 'metric-math',
        expression: 'inflight / MAX([tasks, 1])',
        metrics: {
          inflight: generationQueueMetric('inFlight', 'Maximum'),
          tasks: runningTasks,
        },
        ...threshold,
      };
    case 'workflow-queue-per-worker':
      // n8n in queue mode: jobs waiting plus jobs running (n8n's own queue gauges, scraped from the
      // main process) per running worker task. Both gauges, not the waiting jobs alone: a queue
      // that is empty says nothing about how full the workers' slots are, so waiting alone could
      // never tell a scale-in that would fill them from one that would not. Maximum of the gauges
      // (scraped every 30 s): the alarm sees the minute's peak, as it does for the generation queue.
      return {
        type: 'metric-math',
        expression: N8N_JOBS_PER_WORKER,
        metrics: {
          waiting: n8nQueueMetric('waiting', 'Maximum'),
          active: n8nQueueMetric('active', 'Maximum'),
          tasks: runningTasks,
        },
        ...threshold,
      };
  }
}
