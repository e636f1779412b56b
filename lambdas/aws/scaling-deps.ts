import type { Logger } from '@aws-lambda-powertools/logger';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { MetricsSink } from '../core/metrics-sink';
import type { LedgerStore } from './ledger-store';
import type { RuntimeConfig } from './runtime-config';
import type { ScalingConfig } from './scaling-config';
import type { StateStore } from './state-store';

/**
 * What the scale-decision functions are built from. Each handler takes only the part it uses and
 * builds only those clients (every client costs its bundle about 25 KB); tests build their own.
 */
export interface ScalingDeps {
  readonly config: RuntimeConfig;
  readonly scaling: ScalingConfig;
  readonly ledger: LedgerStore;
  readonly store: StateStore;
  readonly ecs: ECSClient;
  readonly cloudwatch: CloudWatchClient;
  readonly logger: Logger;
  readonly metrics: MetricsSink;
  readonly now: () => Date;
}
