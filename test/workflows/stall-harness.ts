import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig } from '../../lib/config';
import { stallSettings } from '../../lib/config/workflow-settings';
import type { ChannelId } from '../../lib/config/constants';
import type { RuntimeConfig } from '../../lambdas/aws/runtime-config';
import type { StallConfig } from '../../lambdas/aws/stall-config';
import { StallStore } from '../../lambdas/aws/stall-store';
import { StateStore } from '../../lambdas/aws/state-store';
import type { WorkflowInput } from '../../lambdas/core/routing/route';
import { makeStallActHandler } from '../../lambdas/stall-act';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import { makeStallCheckHandler, type StallCheckEvent } from '../../lambdas/stall-check';
import { makeStallCloseHandler } from '../../lambdas/stall-close';
import { answeredBy } from '../../sim/aws/answered-client';
import type { LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { GpuHosts } from '../../sim/twin/gpu-hosts';
import type { JSONValue } from '../../sim/workflows/asl';
import { lambdaTask, loadStateMachine, settle } from './local-run';
import { twinRuntimeConfig } from '../../sim/aws/twin-account';

const TOPIC = (c: ChannelId) => `arn:aws:sns:eu-west-1:123456789012:influencegen-test-${c}`;

export interface Escalation {
  readonly name: string;
  readonly input: WorkflowInput & { signal: { detail: string } };
}

/**
 * Runs state-machines/stalled-gpu.asl.json locally with the real Check, Act and Close handlers.
 * The GPU fleet is the twin's host model (sim/twin/gpu-hosts.ts) answering real ECS and
 * CloudWatch clients at the SDK boundary; StopTask and SetInstanceHealth act on it; the state
 * table is dynalite; escalation starts and SNS notices are captured; time is virtual (each Wait
 * moves the clock by its seconds).
 */
export class StallHarness {
  clock: Date;
  readonly hosts: GpuHosts;
  readonly stall: StallConfig;
  readonly config: RuntimeConfig;
  readonly store: StateStore;
  readonly stalls: StallStore;
  readonly escalations: Escalation[] = [];
  /** What stall-act emitted: restarts and replacements. */
  readonly metrics = new RecordingMetrics();
  readonly notices: Array<{ channel: string; subject: string; message: string }> = [];
  /** Errors ECS StopTask fails with (by name, as Step Functions names them), one per call. */
  stopTaskFailures: string[] = [];
  /** Runs at the start of each recheck, after the wait (a test can start a second trigger here). */
  onRecheck: ((step: string) => Promise<void>) | undefined;
  private executions = 0;

  constructor(db: LocalDynamoDB, start: string) {
    this.clock = new Date(start);
    this.hosts = new GpuHosts({ now: () => this.clock });
    const platform = loadConfig({ envName: 'prod', region: 'eu-west-1' });
    this.stall = {
      ...stallSettings(platform),
      targets: {
        cluster: 'influencegen',
        service: 'flux',
        capacityProvider: this.hosts.capacityProvider,
        queue: 'generation',
      },
    };
    this.config = twinRuntimeConfig('prod', db.table, {
      channelTopics: { slack: TOPIC('slack'), email: TOPIC('email') },
    });
    this.store = new StateStore(db.doc, db.table);
    this.stalls = new StallStore(db.doc, db.table);
  }

  advance(seconds: number): void {
    this.clock = new Date(this.clock.getTime() + seconds * 1000);
  }

  async run(input: unknown, executionName = `run-${++this.executions}`) {
    const executionId = `arn:aws:states:eu-west-1:123456789012:execution:influencegen-prod-stalled-gpu:${executionName}`;
    const common = { logger: new Logger({ logLevel: 'SILENT' }), now: () => this.clock };
    const check = makeStallCheckHandler({
      ...common,
      stall: this.stall,
      ecs: answeredBy(new ECSClient({ region: 'eu-west-1' }), this.hosts.ecsAnswers()),
      cloudwatch: answeredBy(new CloudWatchClient({ region: 'eu-west-1' }), this.hosts.cloudWatchAnswers()),
    });
    const act = makeStallActHandler({
      ...common,
      stall: this.stall,
      store: this.store,
      stalls: this.stalls,
      metrics: this.metrics,
    });
    const close = makeStallCloseHandler({
      ...common,
      config: this.config,
      stall: this.stall,
      store: this.store,
      stalls: this.stalls,
    });
    // The Wait before a recheck lasts the seconds its step asked for: the clock moves by them.
    const recheck = async (event: StallCheckEvent) => {
      if (event.phase === 'recheck') {
        this.advance(
          event.step === 'restart' ? this.stall.restartWaitSeconds : this.stall.replaceWaitSeconds,
        );
        await this.onRecheck?.(event.step);
      }
      return check(event);
    };
    const execution = loadStateMachine('stalled-gpu').run(input as never, {
      context: { Execution: { Id: executionId, StartTime: this.clock.toISOString() } },
      overrides: {
        waitTimeOverrides: { WaitAfterRestart: 0, WaitAfterReplacement: 0 },
        retryIntervalOverrides: Object.fromEntries(
          [
            'Confirm',
            'ClaimAndOpenIncident',
            'StopTask',
            'RecheckAfterRestart',
            'PlanReplacement',
            'MarkUnhealthy',
            'RecheckAfterReplacement',
            'Close',
            'PublishNotice',
            'Escalate',
            'ResolvePagedIncident',
          ].map((s) => [s, 0]),
        ),
        taskResourceLocalHandlers: {
          Confirm: lambdaTask(check),
          ClaimAndOpenIncident: lambdaTask(act),
          PlanReplacement: lambdaTask(act),
          RecheckAfterRestart: lambdaTask(recheck),
          RecheckAfterReplacement: lambdaTask(recheck),
          Close: lambdaTask(close),
          StopTask: async (params) => {
            const failure = this.stopTaskFailures.shift();
            if (failure) throw Object.assign(new Error(`${failure} (simulated)`), { name: failure });
            this.hosts.stopTask((params as { Task: string }).Task);
            return {};
          },
          MarkUnhealthy: async (params) => {
            this.hosts.setUnhealthy((params as { InstanceId: string }).InstanceId);
            return {};
          },
          PublishNotice: async (params) => {
            const p = params as { TopicArn: string; Subject: string; Message: string };
            this.notices.push({
              channel: p.TopicArn.split('-').pop() ?? '',
              subject: p.Subject,
              message: p.Message,
            });
            return { MessageId: 'm' };
          },
          ResolvePagedIncident: async (params) => this.startEscalation(params),
          Escalate: async (params) => this.startEscalation(params),
        },
      },
    });
    return { ...(await settle(execution)), executionId };
  }

  /** Starting the escalation workflow (page or resolution): captured, once per name. */
  private startEscalation(params: JSONValue): JSONValue {
    const p = params as unknown as { Name: string; Input: Escalation['input'] };
    if (this.escalations.some((e) => e.name === p.Name))
      throw Object.assign(new Error('exists'), { name: 'StepFunctions.ExecutionAlreadyExistsException' });
    this.escalations.push({ name: p.Name, input: p.Input });
    return { ExecutionArn: p.Name };
  }

  /** The stall incident as the state table holds it, if any was opened. */
  async incident() {
    return this.store.latestOpenIncident('AI_Service_Stalled').then(async (open) => {
      if (open) return open;
      const checks = await this.stalls.checksSince(new Date(0));
      const id = checks.map((c) => c.incidentId).find((i) => typeof i === 'string');
      return typeof id === 'string' ? this.store.incident(id) : undefined;
    });
  }
}
