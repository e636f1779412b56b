import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { CHANNEL_IDS, type ChannelId } from '../../lib/config/constants';
import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';
import { escalationSteps } from '../../lambdas/core/escalation/plan';
import type { TokenDeps } from '../../lambdas/aws/deps';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import { StateStore } from '../../lambdas/aws/state-store';
import { makeAwaitAckHandler } from '../../lambdas/escalation-await-ack';
import { makeNotifyHandler } from '../../lambdas/escalation-notify';
import { makeRegisterHandler } from '../../lambdas/escalation-register';
import { makeResolveHandler } from '../../lambdas/escalation-resolve';
import { makeAckHandler, type AckResult } from '../../lambdas/incident-ack';
import type { WorkflowInput } from '../../lambdas/core/routing/route';
import type { JSONValue } from '../../sim/workflows/asl';
import { lambdaTask, loadStateMachine, settle } from './local-run';

import type { LocalDynamoDB } from '../../sim/aws/local-dynamodb';

export interface Page {
  readonly channel: ChannelId;
  readonly level: string;
  readonly incidentId: string;
  readonly subject?: string;
  readonly message: string;
}

/** What a test does when a step waits for an acknowledgement. */
export type OnAwait = (wait: {
  incidentId: string;
  level: number;
  harness: EscalationHarness;
}) => Promise<'timeout' | 'keep-waiting'>;

const TOPIC = (c: ChannelId) => `arn:aws:sns:eu-west-1:123456789012:influencegen-test-${c}`;

/**
 * Runs state-machines/escalation.asl.json locally with the real handlers behind its Task states:
 * DynamoDB is dynalite, SNS and Step Functions' SendTaskSuccess are mocked at the SDK boundary,
 * and time is a virtual clock the scenario moves (timeouts and waits advance it, not real time).
 */
export class EscalationHarness {
  clock: Date;
  readonly sns = new SNSClient({ region: 'eu-west-1' });
  readonly sfn = new SFNClient({ region: 'eu-west-1' });
  readonly snsMock = mockClient(this.sns);
  readonly sfnMock = mockClient(this.sfn);
  readonly deps: TokenDeps;
  /** What Register, Notify and Resolve emitted: incidents opened and resolved, pages. */
  readonly metrics = new RecordingMetrics();
  private readonly waiting = new Map<string, (output: unknown) => void>();
  private executions = 0;

  constructor(db: LocalDynamoDB, start: string) {
    this.clock = new Date(start);
    this.snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
    this.sfnMock.on(SendTaskSuccessCommand).callsFake((input: { taskToken: string; output: string }) => {
      const resume = this.waiting.get(input.taskToken);
      if (!resume) throw Object.assign(new Error('task token not waiting'), { name: 'TaskTimedOut' });
      this.waiting.delete(input.taskToken);
      resume(JSON.parse(input.output));
      return {};
    });
    this.deps = {
      config: {
        environment: 'prod',
        stateTable: db.table,
        channelTopics: Object.fromEntries(CHANNEL_IDS.map((c) => [c, TOPIC(c)])),
        runbookBaseUrl: 'https://runbooks.example.com/control-plane/',
        workflowArns: {},
      },
      store: new StateStore(db.doc, db.table),
      sfn: this.sfn,
      logger: new Logger({ logLevel: 'SILENT' }),
      now: () => this.clock,
    };
  }

  /** The sns:publish integration, sent to the mocked SNS client so tests read what was paged. */
  private async publish(params: unknown): Promise<JSONValue> {
    const p = params as {
      TopicArn: string;
      Subject: string;
      Message: string;
      MessageAttributes: Record<string, { DataType: string; StringValue: string }>;
    };
    await this.sns.send(new PublishCommand(p));
    return { MessageId: 'm' };
  }

  advance(minutes: number): void {
    this.clock = new Date(this.clock.getTime() + minutes * 60_000);
  }

  /** Every page published so far, in order. */
  pages(): Page[] {
    return this.snsMock.commandCalls(PublishCommand).map((call) => {
      const input = call.args[0].input;
      const channel = CHANNEL_IDS.find((c) => TOPIC(c) === input.TopicArn) as ChannelId;
      return {
        channel,
        level: input.MessageAttributes?.level?.StringValue ?? '?',
        incidentId: input.MessageAttributes?.incidentId?.StringValue ?? '?',
        ...(input.Subject ? { subject: input.Subject } : {}),
        message: input.Message ?? '',
      };
    });
  }

  ack(incidentId: string, comment?: string): Promise<AckResult> {
    return makeAckHandler(this.deps)({
      incidentId,
      by: 'arn:aws:iam::123456789012:user/oncall',
      ...(comment ? { comment } : {}),
    }) as Promise<AckResult>;
  }

  /**
   * Executes the workflow on `input`. `alarmStates` answers the confirmation checks in order;
   * `onAwait` decides each acknowledgement wait (default: nobody acknowledges).
   */
  async run(
    input: WorkflowInput | Record<string, unknown>,
    options: { alarmStates?: string[]; onAwait?: OnAwait } = {},
  ) {
    const token = `task-token-${++this.executions}`;
    const alarmStates = [...(options.alarmStates ?? [])];
    const onAwait: OnAwait = options.onAwait ?? (async () => 'timeout');
    const register = lambdaTask(makeRegisterHandler({ ...this.deps, metrics: this.metrics }));
    const execution = loadStateMachine('escalation').run(input as never, {
      context: { Execution: { Id: `execution-${this.executions}` }, Task: { Token: token } } as never,
      overrides: {
        waitTimeOverrides: { WaitBeforeConfirmationCheck: 0 },
        retryIntervalOverrides: {
          PublishPage: 0,
          PublishResolutionNotice: 0,
          CompleteWaitingStep: 0,
          Register: 0,
          RegisterConfirmed: 0,
          Notify: 0,
          Resolve: 0,
          AwaitAcknowledgement: 0,
          CheckAlarmState: 0,
        },
        taskResourceLocalHandlers: {
          Register: register,
          RegisterConfirmed: register,
          Notify: lambdaTask(makeNotifyHandler({ ...this.deps, metrics: this.metrics })),
          Resolve: lambdaTask(makeResolveHandler({ ...this.deps, metrics: this.metrics })),
          PublishPage: async (params) => this.publish(params),
          PublishResolutionNotice: async (params) => this.publish(params),
          CompleteWaitingStep: async (params) => {
            const p = params as { TaskToken: string; Output: string };
            try {
              await this.sfn.send(new SendTaskSuccessCommand({ taskToken: p.TaskToken, output: p.Output }));
            } catch (error) {
              // Step Functions' SDK integrations name errors Sfn.<Exception>.
              throw Object.assign(new Error((error as Error).message), {
                name: `Sfn.${(error as Error).name}Exception`,
              });
            }
            return {};
          },
          CheckAlarmState: async (params) => {
            const alarmName = ((params as { AlarmNames: string[] }).AlarmNames ?? [])[0];
            const state = alarmStates.shift() ?? 'ALARM';
            return { MetricAlarms: [{ AlarmName: alarmName ?? null, StateValue: state }] };
          },
          AwaitAcknowledgement: async (params) => {
            const payload = (params as { Payload: { incidentId: string; taskToken: string } }).Payload;
            const resumed = new Promise<unknown>((resolve) => this.waiting.set(payload.taskToken, resolve));
            await makeAwaitAckHandler(this.deps)(payload);
            const incident = await this.deps.store.incident(payload.incidentId);
            const steps = escalationSteps(catalogueAlert(incident?.alertName ?? ''));
            const step = steps[(incident?.pages.length ?? 1) - 1];
            const decision = await onAwait({
              incidentId: payload.incidentId,
              level: step?.level ?? -1,
              harness: this,
            });
            if (decision === 'timeout' && this.waiting.has(payload.taskToken)) {
              this.waiting.delete(payload.taskToken);
              this.advance((step?.waitSeconds ?? 0) / 60);
              throw Object.assign(new Error('acknowledgement timeout'), { name: 'States.Timeout' });
            }
            return resumed as Promise<never>;
          },
        },
      },
    });
    return settle(execution);
  }
}
