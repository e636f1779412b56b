import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { RUNTIME_ALERT_CATALOGUE, RUNTIME_INTERNAL_ALARMS } from '../../lib/config/alert-runtime';
import { routeSignal, type RouteDecision } from '../core/routing/route';
import { normaliseEvent } from '../core/signals/normalise';
import { signalTimeProblem } from '../core/signals/timestamps';
import { Logger } from '@aws-lambda-powertools/logger';
import { SFNClient } from '@aws-sdk/client-sfn';
import { lazyHandler } from '../aws/lazy-handler';
import { readRuntimeConfig, type RuntimeConfig } from '../aws/runtime-config';

export type RouterResult =
  | { readonly status: 'started'; readonly workflow: string; readonly executionName: string }
  | { readonly status: 'duplicate'; readonly workflow: string; readonly executionName: string }
  | { readonly status: 'ignored'; readonly reason: string }
  | { readonly status: 'heartbeat' };

export interface DecideOptions {
  /**
   * Refuse a signal whose time is unparsable or more than a day from `now`
   * (lambdas/core/signals/timestamps.ts). The router always does; `ops route`, which replays saved
   * event files, does not unless asked.
   */
  readonly checkTime?: boolean;
}

/** What the router would do with an event, without touching AWS (also `ops route`). */
export function decide(
  event: unknown,
  environment: string,
  now: Date = new Date(),
  options: DecideOptions = {},
): RouteDecision {
  const normalised = normaliseEvent(event, now);
  if (!normalised.ok) return { action: 'ignore', reason: normalised.reason };
  const late = options.checkTime ? signalTimeProblem(normalised.signal, now) : undefined;
  if (late) return { action: 'ignore', reason: late };
  return routeSignal(normalised.signal, {
    environment,
    alerts: RUNTIME_ALERT_CATALOGUE,
    internal: RUNTIME_INTERNAL_ALARMS,
  });
}

/**
 * The alarm router: every alarm shape, AWS Backup job events, ECS service actions, failed
 * control-plane executions and schedules come in; at most one workflow execution goes out, named
 * after the state change so that a duplicate delivery starts nothing. Bad, unknown, stale or
 * oversized input is logged with its reason and ignored. AWS errors other than "already exists"
 * are thrown, so the delivery is retried, and after the retries kept in the router's on-failure
 * queue (lib/constructs/control-plane/alarm-router.ts), whose alarm pages.
 */
export interface RouterDeps {
  readonly config: RuntimeConfig;
  readonly sfn: SFNClient;
  readonly logger: Logger;
  readonly now: () => Date;
}

export function makeRouterHandler(deps: RouterDeps) {
  return async (event: unknown): Promise<RouterResult> => {
    const decision = decide(event, deps.config.environment, deps.now(), { checkTime: true });
    if (decision.action === 'heartbeat') {
      // Logged with this exact message: the watchdog's metric filter counts it.
      deps.logger.info('heartbeat');
      return { status: 'heartbeat' };
    }
    if (decision.action === 'ignore') {
      deps.logger.info('ignored', { reason: decision.reason });
      return { status: 'ignored', reason: decision.reason };
    }
    const stateMachineArn = deps.config.workflowArns[decision.workflow];
    if (!stateMachineArn) {
      const reason = `workflow ${decision.workflow} is not deployed in ${deps.config.environment}`;
      deps.logger.warn('ignored', { reason, executionName: decision.executionName });
      return { status: 'ignored', reason };
    }
    try {
      await deps.sfn.send(
        new StartExecutionCommand({
          stateMachineArn,
          name: decision.executionName,
          input: JSON.stringify(decision.input),
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ExecutionAlreadyExists') {
        deps.logger.info('duplicate delivery', { executionName: decision.executionName });
        return { status: 'duplicate', workflow: decision.workflow, executionName: decision.executionName };
      }
      throw error;
    }
    deps.logger.info('started', {
      workflow: decision.workflow,
      executionName: decision.executionName,
      alert: 'alert' in decision.input ? decision.input.alert.name : undefined,
      subject: 'subject' in decision.input ? decision.input.subject : undefined,
      component: 'component' in decision.input ? decision.input.component : undefined,
    });
    return { status: 'started', workflow: decision.workflow, executionName: decision.executionName };
  };
}

export const handler = lazyHandler(
  (): RouterDeps => ({
    config: readRuntimeConfig(),
    sfn: new SFNClient({ maxAttempts: 5 }),
    logger: new Logger(),
    now: () => new Date(),
  }),
  makeRouterHandler,
);
