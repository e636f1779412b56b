import { Logger } from '@aws-lambda-powertools/logger';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { awsClients } from './clients';
import { Notifier } from './notifier';
import { readRuntimeConfig, type RuntimeConfig } from './runtime-config';
import { StateStore } from './state-store';

/** What the control-plane handlers are built from; tests build their own. */
export interface Deps {
  readonly config: RuntimeConfig;
  readonly store: StateStore;
  readonly notifier: Notifier;
  readonly sfn: SFNClient;
  readonly logger: Logger;
  readonly now: () => Date;
}

export function defaultDeps(): Deps {
  const config = readRuntimeConfig();
  const clients = awsClients();
  return {
    config,
    store: new StateStore(clients.db, config.stateTable),
    notifier: new Notifier(clients.sns, config.channelTopics),
    sfn: clients.sfn,
    logger: new Logger(),
    now: () => new Date(),
  };
}

/**
 * A Lambda handler whose dependencies are built on the first invocation (not at import), so a
 * configuration error surfaces as that invocation's error, and reused afterwards.
 */
export function lazyHandler<E, R>(build: (deps: Deps) => (event: E) => Promise<R>): (event: E) => Promise<R> {
  let built: ((event: E) => Promise<R>) | undefined;
  return async (event: E) => {
    built ??= build(defaultDeps());
    return built(event);
  };
}
