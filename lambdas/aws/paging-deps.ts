import { SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MetricsSink } from '../core/metrics-sink';
import { ControlPlaneMetrics } from './control-plane-metrics';
import { defaultDeps, type Deps } from './deps';
import { documentClient } from './dynamo';

/**
 * What the functions that page (Notify, Resolve) are built from: they publish to SNS themselves,
 * under the incident's group lock, so that a page and the resolution Register commits are ordered.
 * SNS retries a refused publish 3 times (standard mode) before the channel counts as failed.
 */
export interface PagingDeps extends Deps {
  readonly sns: SNSClient;
  readonly metrics: MetricsSink;
  /** The state table's client, for the notes outside StateStore (a transient's probe verdict). */
  readonly db: Pick<DynamoDBDocumentClient, 'send'>;
}

export function pagingDeps(): PagingDeps {
  const deps = defaultDeps();
  return {
    ...deps,
    sns: new SNSClient({ maxAttempts: 3 }),
    metrics: new ControlPlaneMetrics(deps.config.environment),
    db: documentClient(),
  };
}
