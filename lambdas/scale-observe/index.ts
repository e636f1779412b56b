import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SCALING_METRIC_MINUTES } from '../../lib/config/constants';
import { scalingQueries } from '../core/scaling/queries';
import { parseScaleRequest, type ScaleRequest } from '../core/scaling/request';
import type { FleetState, Series } from '../core/scaling/types';
import { describeFleet } from '../aws/fleet';
import { lazyHandler } from '../aws/lazy-handler';
import { readSeries } from '../aws/metrics';
import { readScalingConfig } from '../aws/scaling-config';
import type { ScalingDeps } from '../aws/scaling-deps';

export interface ObserveEvent {
  readonly request: unknown;
}

/** What Plan decides from: the validated request, the service as ECS sees it, the metrics. */
export interface Observation {
  readonly request: ScaleRequest;
  readonly observedAt: string;
  readonly fleet: FleetState;
  /** One-minute series by query id (cpu, memory, latency, backlog, arrivals, gputasks, dbconnections). */
  readonly series: Readonly<Record<string, Series>>;
}

type ObserveDeps = Pick<ScalingDeps, 'scaling' | 'ecs' | 'cloudwatch' | 'logger' | 'now'>;

/**
 * Observe: validates the request (a bad console input fails here, naming the field, before
 * anything is read or written) and reads the component's fleet and the last 30 minutes of its
 * metrics. Separate from Plan so that no function carries ECS, CloudWatch and DynamoDB clients.
 */
export function makeObserveHandler(deps: ObserveDeps) {
  return async (event: ObserveEvent): Promise<Observation> => {
    const request = parseScaleRequest(event.request, deps.scaling.capacity);
    const now = deps.now();
    const { queries } = scalingQueries(request.component, deps.scaling.targets);
    const [series, fleet] = await Promise.all([
      readSeries(deps.cloudwatch, queries, now, SCALING_METRIC_MINUTES),
      describeFleet(deps.ecs, deps.scaling.targets.cluster, deps.scaling.targets.services[request.component]),
    ]);
    deps.logger.info('observed', { component: request.component, fleet });
    return { request, observedAt: now.toISOString(), fleet, series };
  };
}

export const handler = lazyHandler(
  (): ObserveDeps => ({
    scaling: readScalingConfig(),
    ecs: new ECSClient({ maxAttempts: 5 }),
    cloudwatch: new CloudWatchClient({ maxAttempts: 5 }),
    logger: new Logger(),
    now: () => new Date(),
  }),
  makeObserveHandler,
);
