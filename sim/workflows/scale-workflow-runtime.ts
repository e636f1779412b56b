import { Logger } from '@aws-lambda-powertools/logger';
import type { PlatformConfig } from '../../lib/config';
import { scalingSettings } from '../../lib/config/workflow-settings';
import { LedgerStore } from '../../lambdas/aws/ledger-store';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import type { ScalingDeps } from '../../lambdas/aws/scaling-deps';
import { StateStore } from '../../lambdas/aws/state-store';
import { makeObserveHandler } from '../../lambdas/scale-observe';
import { makePlanHandler, type PlanResult } from '../../lambdas/scale-plan';
import { makeRecordHandler } from '../../lambdas/scale-record';
import { makeVerifyHandler } from '../../lambdas/scale-verify';
import type { LocalDynamoDB } from '../aws/local-dynamodb';
import {
  twinCloudWatch,
  twinEcs,
  type ApiFaults,
  type TwinMetrics,
  type TwinService,
  twinRuntimeConfig,
} from '../aws/twin-account';
import { serviceError } from '../aws/answered-client';
import type { TimelineEvent } from '../baselines/types';
import type { JSONValue } from './asl';
import type { TwinClock } from './twin-clock';
import {
  describeServicesTask,
  dynamoItemTask,
  updateServiceTask,
  type TaskHandler,
} from './service-integrations';
import { TWIN_WAIT_RESOURCE, twinStateMachine, type TwinStateMachine } from './twin-state-machine';

/** The deployed names the twin stands in for (any names do: the twin answers them all). */
export const TWIN_TARGETS = {
  cluster: 'influencegen',
  services: { odoo: 'odoo', n8n: 'n8n', 'flux-gpu': 'flux' },
  queue: 'generation',
  loadBalancer: 'app/odoo/1',
  targetGroup: 'targetgroup/odoo/1',
  database: 'db',
} as const;

/** What running the control plane cost, counted as AWS would bill it. */
export interface WorkflowUsage {
  executions: number;
  stateTransitions: number;
  lambdaInvocations: number;
  metricsRequested: number;
  dynamoReads: number;
  dynamoWrites: number;
  /** Scaling actions that failed (recorded, escalated, ended in ScalingFailed). */
  failedActions: number;
  /** Executions that failed otherwise (planning failed, invalid request, an error): a broken twin. */
  readonly failed: string[];
}

/** Usage before any execution. */
export function noUsage(): WorkflowUsage {
  return {
    executions: 0,
    stateTransitions: 0,
    lambdaInvocations: 0,
    metricsRequested: 0,
    dynamoReads: 0,
    dynamoWrites: 0,
    failedActions: 0,
    failed: [],
  };
}

export interface ScaleWorkflowRuntimeOptions {
  readonly clock: TwinClock;
  readonly db: LocalDynamoDB;
  readonly config: PlatformConfig;
  readonly services: Readonly<Record<string, TwinService>>;
  readonly metrics: TwinMetrics;
  readonly faults: ApiFaults;
  /** What an operator would see: decisions, pages and resolutions, as they happen. */
  readonly onEvent: (event: TimelineEvent) => void;
  /** A scale-out the plan held because a seed cooldown had not run out (twin seconds). */
  readonly onCooldownHold?: (seconds: number) => void;
  /** A breached rule the plan answered without scaling: the fleet already holds the load (twin seconds). */
  readonly onSufficientHold?: (seconds: number) => void;
}

function handlerFor(handlers: Readonly<Record<string, TaskHandler>>, resource: string): TaskHandler {
  const handler = handlers[resource];
  if (!handler) throw new Error(`the twin cannot run a Task with resource ${resource}`);
  return handler;
}

/**
 * Runs state-machines/scale-decision.asl.json in the twin with the real Observe, Plan, Verify and
 * Record handlers: ECS and CloudWatch are the twin's (answered at the SDK boundary), the ledger,
 * pauses and the component lock live in dynalite, Wait states last twin seconds. Starting the
 * escalation workflow is recorded as a page (its own levels and acknowledgements are not run here).
 */
export class ScaleWorkflowRuntime {
  readonly usage: WorkflowUsage = noUsage();
  private readonly deps: ScalingDeps;
  private readonly workflow: TwinStateMachine = twinStateMachine('scale-decision');
  private readonly names = new Set<string>();
  private readonly escalations = new Set<string>();

  constructor(private readonly options: ScaleWorkflowRuntimeOptions) {
    const { clock, db, config } = options;
    const cloudwatch = twinCloudWatch(options.metrics);
    cloudwatch.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetMetricDataCommand') {
          const queries = (args.input as { MetricDataQueries?: unknown[] }).MetricDataQueries ?? [];
          this.usage.metricsRequested += queries.length;
        }
        return next(args);
      },
      { step: 'initialize', name: 'countMetrics', priority: 'high' },
    );
    this.deps = {
      config: twinRuntimeConfig(config.env.name, db.table),
      scaling: { ...scalingSettings(config), targets: TWIN_TARGETS },
      ledger: new LedgerStore(db.doc, db.table),
      store: new StateStore(db.doc, db.table),
      ecs: twinEcs(options.services, options.faults),
      cloudwatch,
      logger: new Logger({ logLevel: 'SILENT' }),
      // The twin reports the same facts from the ledger; the handlers' EMF datapoints are kept, unread.
      metrics: new RecordingMetrics(),
      now: () => clock.now(),
    };
    this.countDynamoCalls();
  }

  /** `ops resume`: lifts a pause of the component's automatic scaling (runaway protection's). */
  resume(component: string): Promise<void> {
    return this.deps.ledger.resume(component);
  }

  /**
   * StartExecution: a name already used throws ExecutionAlreadyExists (as Step Functions does,
   * which is what makes a duplicate alarm delivery start nothing). The execution runs on the twin's
   * clock; the caller settles the clock to let it progress.
   */
  start(name: string, input: unknown): void {
    if (this.names.has(name))
      throw serviceError('ExecutionAlreadyExists', `execution ${name} already exists`);
    this.names.add(name);
    this.usage.executions += 1;
    const id = `arn:aws:states:eu-west-1:123456789012:execution:influencegen-twin-scale-decision:${name}`;
    void this.options.clock
      .track(() => this.execute(id, input))
      .catch((error: unknown) => this.usage.failed.push(`${name}: ${(error as Error).message}`));
  }

  private async execute(id: string, input: unknown): Promise<void> {
    const handlers = this.buildHandlers();
    const overrides = {
      taskResourceLocalHandlers: Object.fromEntries(
        this.workflow.tasks.map((t) => [t.state, handlerFor(handlers, t.resource)]),
      ),
      retryIntervalOverrides: Object.fromEntries(this.workflow.retrying.map((s) => [s, 0])),
    };
    const execution = this.workflow.machine.run(input as JSONValue, {
      overrides: overrides,
      context: { Execution: { Id: id, StartTime: this.options.clock.now().toISOString() } },
    });
    let lastState: string | undefined;
    const counting = (async () => {
      for await (const event of execution.eventLogs) {
        const e = event as { type: string; state?: { name: string } };
        if (e.type !== 'StateEntered') continue;
        this.usage.stateTransitions += 1;
        lastState = e.state?.name;
      }
    })();
    try {
      await execution.result;
    } catch (error) {
      await counting.catch(() => undefined);
      // A failed scaling action ends in ScalingFailed after recording and escalating: an outcome
      // the report shows. Any other failure means the twin or the workflow is broken.
      if (lastState === 'ScalingFailed') this.usage.failedActions += 1;
      else throw error;
    } finally {
      await counting.catch(() => undefined);
    }
  }

  /** One execution's task handlers (they remember its plan, to describe its action). */
  private buildHandlers(): Record<string, TaskHandler> {
    const { deps } = this;
    const plan = makePlanHandler(deps);
    let decided: PlanResult | undefined;
    const updateService = updateServiceTask(deps.ecs);
    const functions: Record<string, (event: never) => Promise<unknown>> = {
      ObserveFunctionArn: makeObserveHandler(deps),
      PlanFunctionArn: async (event: Parameters<typeof plan>[0]) => {
        decided = await plan(event);
        const { decision } = decided;
        if (decision.pause)
          this.options.onEvent({ time: this.options.clock.seconds, kind: 'pause', text: decision.reason });
        if (
          decision.action === 'hold' &&
          decision.guardrails.includes('cooldown') &&
          (decision.proposed ?? decision.from) > decision.from
        )
          this.options.onCooldownHold?.(this.options.clock.seconds);
        if (decision.action === 'hold' && decision.guardrails.length === 0 && decision.rule)
          this.options.onSufficientHold?.(this.options.clock.seconds);
        return decided;
      },
      VerifyFunctionArn: makeVerifyHandler(deps),
      RecordFunctionArn: makeRecordHandler(deps),
    };
    return {
      'arn:aws:states:::lambda:invoke': async (params) => {
        const p = params as { FunctionName: string; Payload: never };
        const fn = functions[p.FunctionName.split(':').pop() ?? ''];
        if (!fn) throw new Error(`the twin has no function ${p.FunctionName}`);
        this.usage.lambdaInvocations += 1;
        return { Payload: (await fn(p.Payload)) as JSONValue, StatusCode: 200 };
      },
      [TWIN_WAIT_RESOURCE]: async (params) => {
        const p = params as { seconds?: number; timestamp?: string };
        const seconds =
          p.seconds ?? (Date.parse(p.timestamp ?? '') - this.options.clock.now().getTime()) / 1000;
        await this.options.clock.sleep(Math.max(0, seconds));
        return {};
      },
      'arn:aws:states:::aws-sdk:ecs:describeServices': describeServicesTask(deps.ecs),
      'arn:aws:states:::dynamodb:putItem': dynamoItemTask(this.options.db, 'put'),
      'arn:aws:states:::dynamodb:deleteItem': dynamoItemTask(this.options.db, 'delete'),
      'arn:aws:states:::aws-sdk:ecs:updateService': async (params) => {
        await updateService(params);
        const decision = decided?.decision;
        this.options.onEvent({
          time: this.options.clock.seconds,
          kind: 'scale',
          ...(decision?.rule ? { rule: decision.rule } : {}),
          text: decision
            ? `${decision.from} -> ${decision.to} (${decision.rule ?? 'rule'}): ${decision.reason}`
            : `desired count set to ${(params as { DesiredCount: number }).DesiredCount}`,
        });
        return {};
      },
      'arn:aws:states:::states:startExecution': async (params) => this.escalate(params),
    };
  }

  /** Starting the escalation workflow: a page (ALARM) or a resolution (OK), once per name. */
  private escalate(params: JSONValue): JSONValue {
    const p = params as {
      Name: string;
      Input: { alert: { name: string }; state: string; signal: { detail: string } };
    };
    if (this.escalations.has(p.Name))
      throw serviceError('StepFunctions.ExecutionAlreadyExistsException', `execution ${p.Name} exists`);
    this.escalations.add(p.Name);
    const resolved = p.Input.state === 'OK';
    this.options.onEvent({
      time: this.options.clock.seconds,
      kind: resolved ? 'resolve' : 'escalate',
      text: `${p.Input.alert.name}${resolved ? ' resolved' : ''}: ${p.Input.signal.detail}`,
    });
    return { ExecutionArn: p.Name };
  }

  private countDynamoCalls(): void {
    const reads = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'ScanCommand']);
    this.options.db.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (reads.has(context.commandName ?? '')) this.usage.dynamoReads += 1;
        else this.usage.dynamoWrites += 1;
        return next(args);
      },
      { step: 'initialize', name: `countCalls-${this.options.db.table}` },
    );
  }
}
