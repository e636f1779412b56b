import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LedgerStore } from './ledger-store';
import { readRuntimeConfig, type RuntimeConfig } from './runtime-config';
import { readScalingConfig, type ScalingConfig } from './scaling-config';
import { StateStore } from './state-store';

/** What the scale-decision functions are built from; tests build their own. */
export interface ScalingDeps {
  readonly config: RuntimeConfig;
  readonly scaling: ScalingConfig;
  readonly ledger: LedgerStore;
  readonly store: StateStore;
  readonly ecs: ECSClient;
  readonly cloudwatch: CloudWatchClient;
  readonly logger: Logger;
  readonly now: () => Date;
}

export function lazyScalingHandler<E, R>(
  build: (deps: ScalingDeps) => (event: E) => Promise<R>,
): (event: E) => Promise<R> {
  let built: ((event: E) => Promise<R>) | undefined;
  return async (event: E) => {
    if (!built) {
      const config = readRuntimeConfig();
      const db = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 5 }), {
        marshallOptions: { removeUndefinedValues: true },
      });
      built = build({
        config,
        scaling: readScalingConfig(),
        ledger: new LedgerStore(db, config.stateTable),
        store: new StateStore(db, config.stateTable),
        ecs: new ECSClient({ maxAttempts: 5 }),
        cloudwatch: new CloudWatchClient({ maxAttempts: 5 }),
        logger: new Logger(),
        now: () => new Date(),
      });
    }
    return built(event);
  };
}
