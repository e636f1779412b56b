import { Logger } from '@aws-lambda-powertools/logger';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { documentClient } from './dynamo';
import { readRuntimeConfig, type RuntimeConfig } from './runtime-config';
import { StateStore } from './state-store';

/**
 * What the escalation functions are built from; tests build their own. Clients are created once
 * per execution environment, on the first invocation (not at import), so a configuration error
 * surfaces as that invocation's error. Only the functions that complete task tokens get a Step
 * Functions client (TokenDeps): every client costs its bundle about 25 KB.
 */
export interface Deps {
  readonly config: RuntimeConfig;
  readonly store: StateStore;
  readonly logger: Logger;
  readonly now: () => Date;
}

export interface TokenDeps extends Deps {
  readonly sfn: SFNClient;
}

export function defaultDeps(): Deps {
  const config = readRuntimeConfig();
  return {
    config,
    store: new StateStore(documentClient(), config.stateTable),
    logger: new Logger(),
    now: () => new Date(),
  };
}
