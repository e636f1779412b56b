import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { PlatformConfig } from '../../lib/config';
import { stallSettings } from '../../lib/config/workflow-settings';
import { StallStore } from '../../lambdas/aws/stall-store';
import { StateStore } from '../../lambdas/aws/state-store';
import { makeRegisterHandler } from '../../lambdas/escalation-register';
import { makeStallActHandler } from '../../lambdas/stall-act';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import { makeStallCheckHandler } from '../../lambdas/stall-check';
import { makeStallCloseHandler, type StallCloseResult } from '../../lambdas/stall-close';
import { answeredBy, serviceError } from '../aws/answered-client';
import type { LocalDynamoDB } from '../aws/local-dynamodb';
import { twinRuntimeConfig } from '../aws/twin-account';
import type { GpuHosts } from '../twin/gpu-hosts';
import type { JSONValue } from './asl';
import type { TaskHandler } from './service-integrations';
import type { TwinClock } from './twin-clock';
import { TWIN_WAIT_RESOURCE, twinStateMachine } from './twin-state-machine';

/** What the stall scenario reads: how each execution ended, the escalations and the notices. */
export interface StallEvent {
  readonly seconds: number;
  readonly kind: 'repaired' | 'escalated' | 'resolved-paged' | 'joined' | 'checked';
  readonly text: string;
}

/**
 * Runs state-machines/stalled-gpu.asl.json in the twin with the real Check, Act and Close
 * handlers against the twin's GPU hosts (sim/twin/gpu-hosts.ts, answering real ECS and CloudWatch
 * clients), the incident, claim and actions in dynalite, Wait states in twin seconds. Starting the
 * escalation workflow runs its Register step (which takes the incident over to page it); the pages
 * themselves and the repair notices are not sent.
 */
export class StallWorkflowRuntime {
  readonly events: StallEvent[] = [];
  readonly failures: string[] = [];
  executions = 0;
  private readonly workflow = twinStateMachine('stalled-gpu');
  private readonly names = new Set<string>();

  constructor(
    private readonly options: {
      readonly clock: TwinClock;
      readonly db: LocalDynamoDB;
      readonly config: PlatformConfig;
      readonly hosts: GpuHosts;
    },
  ) {}

  start(name: string, input: unknown): void {
    if (this.names.has(name))
      throw serviceError('ExecutionAlreadyExists', `execution ${name} already exists`);
    this.names.add(name);
    this.executions += 1;
    void this.options.clock
      .track(() => this.execute(name, input))
      .catch((error: unknown) => this.failures.push(`${name}: ${(error as Error).message}`));
  }

  private async execute(name: string, input: unknown): Promise<void> {
    const { clock, db, config, hosts } = this.options;
    const id = `arn:aws:states:eu-west-1:123456789012:execution:influencegen-twin-stalled-gpu:${name}`;
    const common = { logger: new Logger({ logLevel: 'SILENT' }), now: () => clock.now() };
    const stall = {
      ...stallSettings(config),
      targets: {
        cluster: 'influencegen',
        service: 'flux',
        capacityProvider: hosts.capacityProvider,
        queue: 'generation',
      },
    };
    const store = new StateStore(db.doc, db.table);
    const stalls = new StallStore(db.doc, db.table);
    // The repair notice's channels need topics to render to (the twin sends nothing).
    const runtimeConfig = twinRuntimeConfig(config.env.name, db.table, {
      channelTopics: {
        slack: 'arn:aws:sns:eu-west-1:123456789012:slack',
        email: 'arn:aws:sns:eu-west-1:123456789012:email',
      },
    });
    const close = makeStallCloseHandler({ ...common, config: runtimeConfig, stall, store, stalls });
    const register = makeRegisterHandler({
      ...common,
      config: runtimeConfig,
      store,
      metrics: new RecordingMetrics(),
    });
    const functions: Record<string, (event: never) => Promise<unknown>> = {
      CheckFunctionArn: makeStallCheckHandler({
        ...common,
        stall,
        ecs: answeredBy(new ECSClient({ region: 'eu-west-1', maxAttempts: 1 }), hosts.ecsAnswers()),
        cloudwatch: answeredBy(
          new CloudWatchClient({ region: 'eu-west-1', maxAttempts: 1 }),
          hosts.cloudWatchAnswers(),
        ),
      }),
      ActFunctionArn: makeStallActHandler({
        ...common,
        stall,
        store,
        stalls,
        metrics: new RecordingMetrics(),
      }),
      CloseFunctionArn: async (event: Parameters<typeof close>[0]) => {
        const result: StallCloseResult = await close(event);
        const kind =
          result.status === 'resolved'
            ? 'repaired'
            : result.status === 'escalate'
              ? 'escalated'
              : result.status === 'resolve-paged'
                ? 'resolved-paged'
                : event.outcome === 'joined'
                  ? 'joined'
                  : 'checked';
        this.events.push({
          seconds: clock.seconds,
          kind,
          text:
            result.status === 'resolved' || result.status === 'escalate'
              ? result.findings
              : `${event.outcome}: ${event.check.summary}`,
        });
        return result;
      },
    };
    const handlers: Record<string, TaskHandler> = {
      'arn:aws:states:::lambda:invoke': async (params) => {
        const p = params as { FunctionName: string; Payload: never };
        const fn = functions[p.FunctionName.split(':').pop() ?? ''];
        if (!fn) throw new Error(`the twin has no function ${p.FunctionName}`);
        return { Payload: (await fn(p.Payload)) as JSONValue, StatusCode: 200 };
      },
      [TWIN_WAIT_RESOURCE]: async (params) => {
        await clock.sleep((params as { seconds: number }).seconds);
        return {};
      },
      'arn:aws:states:::aws-sdk:ecs:stopTask': async (params) => {
        hosts.stopTask((params as { Task: string }).Task);
        return {};
      },
      'arn:aws:states:::aws-sdk:autoscaling:setInstanceHealth': async (params) => {
        hosts.setUnhealthy((params as { InstanceId: string }).InstanceId);
        return {};
      },
      'arn:aws:states:::sns:publish': async () => ({ MessageId: 'twin' }),
      // The escalation workflow's first step, Register, takes the remediating incident over (its
      // pages and acknowledgements are not run here); later triggers then join it.
      'arn:aws:states:::states:startExecution': async (params) => {
        const p = params as { Name: string; Input: JSONValue };
        await register({ input: p.Input, phase: 'register' });
        return { ExecutionArn: p.Name };
      },
    };
    const execution = this.workflow.machine.run(input as JSONValue, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(
          this.workflow.tasks.map((t) => {
            const handler = handlers[t.resource];
            if (!handler) throw new Error(`the twin cannot run a Task with resource ${t.resource}`);
            return [t.state, handler];
          }),
        ),
        retryIntervalOverrides: Object.fromEntries(this.workflow.retrying.map((s) => [s, 0])),
      },
      context: { Execution: { Id: id, StartTime: clock.now().toISOString() } },
    });
    await execution.result;
  }
}
