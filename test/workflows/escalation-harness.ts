import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { CHANNEL_IDS, type ChannelId } from '../../lib/config/constants';
import { catalogueAlert } from '../../lambdas/core/escalation/catalogue';
import { escalationSteps } from '../../lambdas/core/escalation/plan';
import type { TokenDeps } from '../../lambdas/aws/deps';
import type { PagingDeps } from '../../lambdas/aws/paging-deps';
import { RecordingMetrics } from '../../lambdas/core/metrics-sink';
import { StateStore } from '../../lambdas/aws/state-store';
import type { LeaseOptions } from '../../lambdas/aws/lease-lock';
import { makeAwaitAckHandler } from '../../lambdas/escalation-await-ack';
import { makeNotifyHandler } from '../../lambdas/escalation-notify';
import { makeRegisterHandler } from '../../lambdas/escalation-register';
import { makeResolveHandler } from '../../lambdas/escalation-resolve';
import { fixedCaller, makeAckHandler, type AckResult } from '../../lambdas/incident-ack';
import type { WorkflowInput } from '../../lambdas/core/routing/route';
import type { JSONValue } from '../../sim/workflows/asl';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { lambdaTask, loadStateMachine, settle, type LocalRun } from './local-run';
import { signAcknowledgementProof } from '../../lambdas/incident-ack/sign-proof';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseTicketing, type TicketingConfigInput } from '../../lib/config/ticketing';
import {
  makeTicketHandler,
  ticketSystemFor,
  type TicketDeps,
  type TicketEvent,
  type TicketResult,
} from '../../lambdas/escalation-ticket';

export interface Page {
  readonly channel: ChannelId;
  readonly level: string;
  readonly incidentId: string;
  readonly subject?: string;
  readonly message: string;
  /** Position in the harness's event sequence (pages and resolutions share it). */
  readonly seq: number;
}

/** What a test does when a step waits for an acknowledgement. */
export type OnAwait = (wait: {
  incidentId: string;
  level: number;
  harness: EscalationHarness;
}) => Promise<'timeout' | 'keep-waiting'>;

/**
 * Faults injected at the SDK boundary: a DynamoDB call can fail before it reaches the table (not
 * written) or after (written, but the caller sees an error: a timeout); an SNS publish can be
 * refused. Called for every call; undefined means no fault.
 */
export interface Faults {
  dynamo?(command: string, key: string): 'before' | 'after' | undefined;
  sns?(channel: ChannelId): boolean;
}

/** The states that run the ticket function. */
const TICKET_STATES = [
  'OpenTicket',
  'RecordTicketFailure',
  'SyncTicketAcknowledged',
  'RecordTicketAcknowledgedFailure',
  'SyncTicketStopped',
  'RecordTicketStoppedFailure',
  'SyncTicketResolved',
  'RecordTicketResolvedFailure',
];

export const ACKER = 'arn:aws:iam::123456789012:role/influencegen-prod-oncall';
const TOPIC = (c: ChannelId) => `arn:aws:sns:eu-west-1:123456789012:influencegen-test-${c}`;

export interface HarnessRun extends LocalRun {
  readonly executionId: string;
}

/**
 * Runs state-machines/escalation.asl.json locally with the real handlers behind its Task states:
 * DynamoDB is dynalite (behind a wrapper that can inject faults and reorder calls), SNS and Step
 * Functions' SendTaskSuccess are mocked at the SDK boundary, and time is a virtual clock the
 * scenario moves (timeouts and waits advance it, not real time). Executions may run concurrently.
 */
export class EscalationHarness {
  clock: Date;
  readonly sns = new SNSClient({ region: 'eu-west-1' });
  readonly sfn = new SFNClient({ region: 'eu-west-1' });
  readonly snsMock = mockClient(this.sns);
  readonly sfnMock = mockClient(this.sfn);
  readonly deps: TokenDeps & PagingDeps;
  /** The ticket function's secret, served by a mocked Secrets Manager. */
  readonly secrets = new SecretsManagerClient({ region: 'eu-west-1' });
  readonly secretsMock = mockClient(this.secrets);
  /** TicketingFailures the ticket function published (a ticket step that gave up). */
  ticketingFailures = 0;
  /**
   * The health probe behind ProbeService (lambdas/health-probe's contract); undefined: no probe is
   * deployed, and Register marks nothing for validation.
   */
  probe: ((payload: { mode: string; target: string; executionId: string }) => Promise<unknown>) | undefined;
  /** What the probe was asked, in order. */
  readonly probeCalls: { target: string; mode: string }[] = [];
  private ticketHandler: ((event: never) => Promise<unknown>) | undefined;
  /** What Register, Notify and Resolve emitted: incidents opened and resolved, pages. */
  readonly metrics = new RecordingMetrics();
  faults: Faults = {};
  /** Awaited before every DynamoDB and SNS call: a test spreads concurrent executions with it. */
  gate: () => Promise<void> = async () => undefined;
  /** Whether an acknowledgement timeout moves the clock by the step's wait (false: time stands). */
  advanceOnTimeout = true;
  /** Resolutions committed (status set to resolved), in the sequence pages share. */
  readonly resolutions: { readonly incidentId: string; readonly seq: number }[] = [];
  private readonly published: Page[] = [];
  private seq = 0;
  private readonly waiting = new Map<string, (output: unknown) => void>();
  private executions = 0;

  constructor(db: LocalDynamoDB, start: string, lease: LeaseOptions = { leaseMs: 2_000, waitMs: 30_000 }) {
    this.clock = new Date(start);
    this.snsMock.on(PublishCommand).callsFake(async (input: PublishCommand['input']) => {
      await this.gate();
      const channel = CHANNEL_IDS.find((c) => TOPIC(c) === input.TopicArn) as ChannelId;
      if (this.faults.sns?.(channel))
        throw Object.assign(new Error(`injected: ${channel} refused`), { name: 'InternalErrorException' });
      this.published.push({
        channel,
        level: input.MessageAttributes?.level?.StringValue ?? '?',
        incidentId: input.MessageAttributes?.incidentId?.StringValue ?? '?',
        ...(input.Subject ? { subject: input.Subject } : {}),
        message: input.Message ?? '',
        seq: ++this.seq,
      });
      return { MessageId: `m-${this.seq}` };
    });
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
        acknowledgers: [ACKER],
      },
      store: new StateStore(this.faulty(db.doc), db.table, lease),
      db: this.faulty(db.doc),
      sfn: this.sfn,
      sns: this.sns,
      metrics: this.metrics,
      logger: new Logger({ logLevel: 'SILENT' }),
      now: () => this.clock,
    };
  }

  /**
   * The ticket function for this harness's executions: `config` as the construct would pass it, the
   * secret JSON behind Secrets Manager. Without a call, tickets are off (`system: none`).
   */
  useTickets(config: TicketingConfigInput, secret: Record<string, string> = {}): void {
    this.secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    const ticketing = parseTicketing(config);
    const deps: TicketDeps = {
      ...this.deps,
      ticketing,
      ...ticketSystemFor(ticketing, this.secrets),
      failures: { failed: () => void this.ticketingFailures++ },
    };
    this.ticketHandler = makeTicketHandler(deps);
  }

  /** The ticket function invoked directly (as a second execution's task would invoke it). */
  ticket(event: TicketEvent): Promise<TicketResult> {
    return this.tickets()(event as never) as Promise<TicketResult>;
  }

  private tickets(): (event: never) => Promise<unknown> {
    if (!this.ticketHandler) this.useTickets({ system: 'none' });
    return this.ticketHandler as (event: never) => Promise<unknown>;
  }

  /** The document client behind a gate and the injected faults; it also sees resolutions commit. */
  private faulty(doc: DynamoDBDocumentClient): DynamoDBDocumentClient {
    const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      await this.gate();
      const key = ((command.input.Key ?? command.input.Item) as { pk?: string } | undefined)?.pk ?? '';
      const fault = this.faults.dynamo?.(command.constructor.name, key);
      const injected = () =>
        Object.assign(new Error(`injected ${fault} ${command.constructor.name} ${key}`), {
          name: 'InternalServerError',
        });
      if (fault === 'before') throw injected();
      const result = await doc.send(command as never);
      const values = command.input.ExpressionAttributeValues as Record<string, unknown> | undefined;
      if (command.constructor.name === 'UpdateCommand' && values?.[':resolved'] === 'resolved')
        this.resolutions.push({ incidentId: key.replace(/^INCIDENT#/, ''), seq: ++this.seq });
      if (fault === 'after') throw injected();
      return result;
    };
    return { send } as unknown as DynamoDBDocumentClient;
  }

  advance(minutes: number): void {
    this.clock = new Date(this.clock.getTime() + minutes * 60_000);
  }

  /** Every page SNS accepted so far, in order. */
  pages(): Page[] {
    return [...this.published];
  }

  /** An acknowledgement by the on-call role, with its signed identity proof. */
  async ack(incidentId: string, comment?: string): Promise<AckResult> {
    const proof = await signAcknowledgementProof({
      incidentId,
      region: 'eu-west-1',
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      },
      now: this.clock,
    });
    const request = { incidentId, ...(comment ? { comment } : {}), proof };
    return (await makeAckHandler({ ...this.deps, verifyCaller: fixedCaller(ACKER) })(request)) as AckResult;
  }

  /**
   * Executes the workflow on `input`. `alarmStates` answers the confirmation checks in order (then
   * `alarmState`); `onAwait` decides each acknowledgement wait (default: nobody acknowledges).
   */
  async run(
    input: WorkflowInput | Record<string, unknown>,
    options: {
      alarmStates?: string[];
      alarmState?: () => string;
      onAwait?: OnAwait;
      executionId?: string;
      startAt?: { state: string; input: JSONValue };
    } = {},
  ): Promise<HarnessRun> {
    const executionId = options.executionId ?? `execution-${++this.executions}`;
    let tokens = 0;
    const alarmStates = [...(options.alarmStates ?? [])];
    const onAwait: OnAwait = options.onAwait ?? (async () => 'timeout');
    const register = lambdaTask(makeRegisterHandler({ ...this.deps, healthProbe: this.probe !== undefined }));
    const ticket = lambdaTask(this.tickets());
    const resolve = lambdaTask(makeResolveHandler(this.deps));
    const machine = loadStateMachine('escalation', options.startAt?.state);
    const execution = machine.run((options.startAt?.input ?? input) as never, {
      context: {
        Execution: { Id: executionId },
        get Task() {
          return { Token: `${executionId}-token-${++tokens}` };
        },
      },
      overrides: {
        waitTimeOverrides: { WaitBeforeConfirmationCheck: 0, WaitForDampening: 0 },
        retryIntervalOverrides: Object.fromEntries(
          [
            'Register',
            'RegisterConfirmed',
            'RegisterAfterDampening',
            'Notify',
            'Resolve',
            'AwaitAcknowledgement',
            'VerifyAcknowledgement',
            'CompleteWaitingStep',
            'CheckAlarmState',
            'ProbeService',
            'RecordTransient',
            ...TICKET_STATES,
          ].map((s) => [s, 0]),
        ),
        taskResourceLocalHandlers: {
          Register: register,
          RegisterConfirmed: register,
          RegisterAfterDampening: async (params) => {
            // Stands in for the Wait state: the clock reaches the end of the dampening.
            const at = Date.parse((params as { Payload: { recheckAt?: string } }).Payload.recheckAt ?? '');
            if (!Number.isNaN(at) && at > this.clock.getTime()) this.clock = new Date(at);
            return register(params);
          },
          Notify: lambdaTask(makeNotifyHandler(this.deps)),
          Resolve: resolve,
          RecordTransient: resolve,
          ...Object.fromEntries(TICKET_STATES.map((state) => [state, ticket])),
          ProbeService: async (params) => {
            const payload = (params as { Payload: { mode: string; target: string; executionId: string } })
              .Payload;
            this.probeCalls.push({ target: payload.target, mode: payload.mode });
            if (!this.probe)
              throw Object.assign(new Error('no probe deployed'), {
                name: 'Lambda.ResourceNotFoundException',
              });
            return { Payload: (await this.probe(payload)) as JSONValue, StatusCode: 200 };
          },
          VerifyAcknowledgement: lambdaTask(makeAwaitAckHandler(this.deps)),
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
            const state = alarmStates.shift() ?? options.alarmState?.() ?? 'ALARM';
            return { MetricAlarms: [{ AlarmName: alarmName ?? null, StateValue: state }] };
          },
          AwaitAcknowledgement: async (params) => {
            const payload = (
              params as { Payload: { incidentId: string; taskToken: string; waitSeconds: number } }
            ).Payload;
            const resumed = new Promise<unknown>((resolve) => this.waiting.set(payload.taskToken, resolve));
            await makeAwaitAckHandler(this.deps)({ phase: 'wait', ...payload });
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
              // The wait times out after its own TimeoutSeconds (what is left of the step's delay).
              if (this.advanceOnTimeout) this.advance(payload.waitSeconds / 60);
              throw Object.assign(new Error('acknowledgement timeout'), { name: 'States.Timeout' });
            }
            return resumed as Promise<never>;
          },
        },
      },
    });
    return { ...(await settle(execution)), executionId };
  }

  /** Step Functions' redrive: the failed execution resumes at the state that failed, same execution. */
  redrive(
    failed: HarnessRun,
    options: { alarmState?: () => string; onAwait?: OnAwait } = {},
  ): Promise<HarnessRun> {
    if (!failed.failedAt) throw new Error(`execution ${failed.executionId} did not fail at a state`);
    return this.run({}, { ...options, executionId: failed.executionId, startAt: failed.failedAt });
  }

  /** A bare SendTaskSuccess with the token stored on the incident (what anyone holding it could send). */
  async bareWake(incidentId: string): Promise<void> {
    const incident = await this.deps.store.incident(incidentId);
    if (!incident?.taskToken) throw new Error(`incident ${incidentId} has no waiting step`);
    await this.sfn.send(
      new SendTaskSuccessCommand({ taskToken: incident.taskToken, output: '{"outcome":"acknowledged"}' }),
    );
  }
}

/**
 * Registers the per-test setup the escalation workflow tests share: a fresh dynalite and a harness
 * on it with its clock at `start`, handed to the test file by `use` (a test may replace its harness,
 * e.g. to start at another time), and both torn down after the test.
 */
export function harnessPerTest(
  start: string,
  use: (db: LocalDynamoDB, harness: EscalationHarness) => void,
): void {
  let db: LocalDynamoDB | undefined;
  let harness: EscalationHarness | undefined;
  beforeEach(async () => {
    db = await startLocalDynamoDB();
    harness = new EscalationHarness(db, start);
    use(db, harness);
  });
  afterEach(async () => {
    harness?.snsMock.reset();
    harness?.sfnMock.reset();
    harness?.secretsMock.reset();
    await db?.stop();
  });
}
