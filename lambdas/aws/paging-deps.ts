import { SNSClient } from '@aws-sdk/client-sns';
import type { MetricsSink } from '../core/metrics-sink';
import { ControlPlaneMetrics } from './control-plane-metrics';
import { defaultDeps, type Deps } from './deps';

/**
 * What the functions that page (Notify, Resolve) are built from: they publish to SNS themselves,
 * under the incident's group lock, so that a page and the resolution Register commits are ordered.
 * SNS retries a refused publish 3 times (standard mode) before the channel counts as failed.
 */
export interface PagingDeps extends Deps {
  readonly sns: SNSClient;
  readonly metrics: MetricsSink;
}

export function pagingDeps(): PagingDeps {
  const deps = defaultDeps();
  return {
    ...deps,
    sns: new SNSClient({ maxAttempts: 3 }),
    metrics: new ControlPlaneMetrics(deps.config.environment),
  };
}
