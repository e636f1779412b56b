import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { FleetState } from '../../lambdas/core/scaling/types';
import type { EnvironmentName } from '../../lib/config/constants';
import type { RuntimeConfig } from '../../lambdas/aws/runtime-config';
import { evaluateMetricMath } from '../twin/metric-math';
import { answeredBy, serviceError } from './answered-client';

/** One ECS service of the twin, as the control plane's API calls see it. */
export interface TwinService {
  describe(): FleetState;
  /** UpdateService's desiredCount, applied at the twin's current time. */
  setDesired(count: number): void;
}

/**
 * The twin's metric datapoints by the query ids the scaling functions ask for
 * (lambdas/core/scaling/queries.ts), where the twin records the signal itself. The twin models no
 * database: `dbconnections` has no datapoints, which the plan reads as "no signal" (the database
 * guard then does not apply). Any other query is answered from the datapoints recorded under its
 * metric's name (n8n's queue gauges, RunningTaskCount), and an expression by evaluating it over
 * the request's other queries, as CloudWatch does.
 */
const SIGNAL_OF_QUERY: Readonly<Record<string, string>> = {
  cpu: 'cpu-utilization',
  memory: 'memory-utilization',
  latency: 'api-latency-p95-ms',
  backlog: 'queue-backlog',
  arrivals: 'arrivals',
  gputasks: 'active-gpu-tasks-per-node',
};

/** One-minute datapoints as CloudWatch stores them: stamped with the start of their minute. */
export class TwinMetrics {
  private readonly points = new Map<string, Map<number, number>>();

  constructor(private readonly epochMs: number) {}

  /** The minute starting at `minuteStartSeconds` (twin time) closed with these values. */
  record(minuteStartSeconds: number, values: Readonly<Record<string, number | null>>): void {
    const stamp = this.epochMs + minuteStartSeconds * 1000;
    for (const [signal, value] of Object.entries(values)) {
      if (value === null || value === undefined) continue;
      let series = this.points.get(signal);
      if (!series) this.points.set(signal, (series = new Map<number, number>()));
      series.set(stamp, value);
    }
  }

  /** GetMetricData over [start, end): returned queries only, ascending, missing minutes absent. */
  query(queries: readonly TwinQuery[], start: number, end: number) {
    const byId = new Map(queries.map((q) => [q.Id ?? '', q]));
    const valueAt = (q: TwinQuery, t: number): number | null => {
      const signal = SIGNAL_OF_QUERY[q.Id ?? ''];
      if (signal) return this.points.get(signal)?.get(t) ?? null;
      if (q.Expression) {
        return evaluateMetricMath(q.Expression, (id) => {
          const input = byId.get(id);
          if (!input) throw new Error(`expression ${q.Id} reads ${id}, which the request does not define`);
          return valueAt(input, t);
        });
      }
      return this.points.get(q.MetricStat?.Metric?.MetricName ?? '')?.get(t) ?? null;
    };
    return queries
      .filter((q) => q.ReturnData !== false)
      .map((q) => {
        const timestamps: Date[] = [];
        const values: number[] = [];
        for (let t = Math.ceil(start / 60_000) * 60_000; t < end; t += 60_000) {
          const v = valueAt(q, t);
          if (v === null) continue;
          timestamps.push(new Date(t));
          values.push(v);
        }
        return { Id: q.Id, Timestamps: timestamps, Values: values, StatusCode: 'Complete' };
      });
  }
}

/** A GetMetricData query as the twin reads it. */
export interface TwinQuery {
  readonly Id?: string;
  readonly ReturnData?: boolean;
  readonly Expression?: string;
  readonly MetricStat?: { readonly Metric?: { readonly MetricName?: string } };
}

/** API faults a scenario injects into the control plane's calls. */
export interface ApiFaults {
  /** Called before each UpdateService: the error code to fail it with, if any. */
  updateServiceError(): string | undefined;
}

/** A real ECSClient whose DescribeServices and UpdateService the twin service answers. */
export function twinEcs(services: Readonly<Record<string, TwinService>>, faults: ApiFaults): ECSClient {
  const serviceNamed = (name: string | undefined): TwinService => {
    const service = services[name ?? ''];
    if (!service) throw serviceError('ServiceNotFoundException', `service ${name} not found in the twin`);
    return service;
  };
  return answeredBy(new ECSClient({ region: 'eu-west-1', maxAttempts: 1 }), {
    DescribeServicesCommand: (input: { services?: string[] }) => ({
      services: (input.services ?? []).map((name) => {
        const fleet = serviceNamed(name).describe();
        return {
          serviceName: name,
          desiredCount: fleet.desired,
          runningCount: fleet.running,
          pendingCount: fleet.pending,
        };
      }),
      failures: [],
    }),
    UpdateServiceCommand: (input: { service?: string; desiredCount?: number }) => {
      const error = faults.updateServiceError();
      if (error) throw serviceError(error, `${error} (injected by the scenario)`);
      const service = serviceNamed(input.service);
      if (input.desiredCount !== undefined) service.setDesired(input.desiredCount);
      return { service: { serviceName: input.service, desiredCount: service.describe().desired } };
    },
  });
}

/** A real CloudWatchClient whose GetMetricData the twin's datapoints answer. */
export function twinCloudWatch(metrics: TwinMetrics): CloudWatchClient {
  return answeredBy(new CloudWatchClient({ region: 'eu-west-1', maxAttempts: 1 }), {
    GetMetricDataCommand: (input: { MetricDataQueries?: TwinQuery[]; StartTime?: Date; EndTime?: Date }) => ({
      MetricDataResults: metrics.query(
        input.MetricDataQueries ?? [],
        new Date(input.StartTime ?? 0).getTime(),
        new Date(input.EndTime ?? 0).getTime(),
      ),
    }),
  });
}

/**
 * The runtime configuration the control-plane functions get in the twin: this environment, the
 * dynalite table, and topics and workflow ARNs only where a run needs them (any ARN does: the
 * twin answers every call).
 */
export function twinRuntimeConfig(
  environment: EnvironmentName,
  stateTable: string,
  extra: Pick<Partial<RuntimeConfig>, 'channelTopics' | 'workflowArns'> = {},
): RuntimeConfig {
  return {
    environment,
    stateTable,
    channelTopics: extra.channelTopics ?? {},
    runbookBaseUrl: 'https://runbooks.invalid/',
    workflowArns: extra.workflowArns ?? {},
  };
}
