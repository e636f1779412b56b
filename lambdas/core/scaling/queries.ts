import type { ComponentId } from '../../../lib/config/constants';
import { N8N_QUEUE_METRICS } from '../../../lib/config/n8n';
import { N8N_JOBS_PER_WORKER } from '../../../lib/config/scale-alerts';
import type { Signal } from './types';

/** The deployed names the scaling signals are read from. */
export interface ScalingTargets {
  readonly cluster: string;
  readonly services: Readonly<Record<ComponentId, string>>;
  readonly queue: string;
  readonly loadBalancer: string;
  readonly targetGroup: string;
  readonly database: string;
}

/** A GetMetricData query, in the SDK's shape, without the SDK. */
export interface MetricQuery {
  readonly Id: string;
  readonly Expression?: string;
  readonly ReturnData: boolean;
  readonly MetricStat?: {
    readonly Metric: {
      readonly Namespace: string;
      readonly MetricName: string;
      readonly Dimensions: Array<{ Name: string; Value: string }>;
    };
    readonly Period: number;
    readonly Stat: string;
  };
}

/** A one-minute statistic of one metric, as GetMetricData takes it. */
export const stat = (
  id: string,
  namespace: string,
  metricName: string,
  dims: Record<string, string>,
  statistic: string,
  returnData = true,
): MetricQuery => ({
  Id: id,
  ReturnData: returnData,
  MetricStat: {
    Metric: {
      Namespace: namespace,
      MetricName: metricName,
      Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
    },
    Period: 60,
    Stat: statistic,
  },
});

/**
 * The queries behind each scaling signal of a component (the same metrics as its scale alarms,
 * lib/config/scale-alerts.ts), with ids the plan maps back to signals; plus PostgreSQL's
 * connections and the generation queue's arrivals, which the guardrails and GPU sizing read.
 * n8n's queue sizing needs no query of its own: jobs are the signal times the running workers.
 */
export function scalingQueries(
  component: ComponentId,
  t: ScalingTargets,
): { queries: MetricQuery[]; signals: Partial<Record<Signal, string>> } {
  const service = { ClusterName: t.cluster, ServiceName: t.services[component] };
  const queue = { QueueName: t.queue };
  const queries: MetricQuery[] = [
    stat('cpu', 'AWS/ECS', 'CPUUtilization', service, 'Average'),
    stat('memory', 'AWS/ECS', 'MemoryUtilization', service, 'Average'),
    stat('dbconnections', 'AWS/RDS', 'DatabaseConnections', { DBInstanceIdentifier: t.database }, 'Maximum'),
    // The tasks each minute's CPU was averaged over (right-sizing's load), and the queue signals' denominator.
    stat('tasks', 'ECS/ContainerInsights', 'RunningTaskCount', service, 'Average'),
  ];
  const signals: Partial<Record<Signal, string>> = {
    'cpu-utilization': 'cpu',
    'memory-utilization': 'memory',
  };
  if (component === 'odoo') {
    queries.push(
      stat(
        'latencyseconds',
        'AWS/ApplicationELB',
        'TargetResponseTime',
        { LoadBalancer: t.loadBalancer, TargetGroup: t.targetGroup },
        'p95',
        false,
      ),
    );
    queries.push({ Id: 'latency', Expression: '1000 * latencyseconds', ReturnData: true });
    signals['api-latency-p95-ms'] = 'latency';
  }
  if (component === 'flux-gpu') {
    queries.push(stat('backlog', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', queue, 'Maximum'));
    queries.push(stat('arrivals', 'AWS/SQS', 'NumberOfMessagesSent', queue, 'Sum'));
    queries.push(
      stat('inflight', 'AWS/SQS', 'ApproximateNumberOfMessagesNotVisible', queue, 'Maximum', false),
    );
    queries.push({ Id: 'gputasks', Expression: 'inflight / MAX([tasks, 1])', ReturnData: true });
    signals['queue-backlog'] = 'backlog';
    signals['active-gpu-tasks-per-node'] = 'gputasks';
  }
  if (component === 'n8n') {
    // n8n's queue gauges carry the worker service as their one dimension (the agent's label).
    const workers = { ServiceName: t.services.n8n };
    const { namespace, waiting, active } = N8N_QUEUE_METRICS;
    queries.push(stat('waiting', namespace, waiting, workers, 'Maximum', false));
    queries.push(stat('active', namespace, active, workers, 'Maximum', false));
    queries.push({ Id: 'jobsperworker', Expression: N8N_JOBS_PER_WORKER, ReturnData: true });
    signals['workflow-queue-per-worker'] = 'jobsperworker';
  }
  return { queries, signals };
}
