import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { STAKEHOLDER_LISTS, type StakeholderList } from '../../lib/config/major-incidents';
import { MajorIncidentStore } from '../../lambdas/aws/major-incident-store';
import { makeMajorPagerDutyHandler } from '../../lambdas/major-pagerduty';
import { makeMajorRecordHandler, type MajorRecordEvent } from '../../lambdas/major-record';
import { serviceError } from '../../sim/aws/answered-client';
import type { LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import type { JSONValue } from '../../sim/workflows/asl';
import { lambdaTask, loadStateMachine, settle } from './local-run';

/** What sim/workflows/asl.ts fills each `${<List>TopicArn}` placeholder with. */
export const TOPIC = (list: StakeholderList) =>
  `arn:aws:lambda:eu-west-1:123456789012:function:${list}TopicArn`;
export const ROUTING_KEY = 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12';
export const IC = 'arn:aws:sts::123456789012:assumed-role/influencegen-prod-incident-commander/carol';

/** What the local PagerDuty Events API received, as PagerDuty would read it. */
export interface PagerDutyRequest {
  readonly routing_key: string;
  readonly event_action: string;
  readonly dedup_key: string;
  readonly payload?: { severity: string; summary: string; custom_details: Record<string, string> };
}

/**
 * Runs state-machines/major-incident.asl.json locally with the real Record and PagerDuty handlers:
 * the state table is dynalite; each stakeholder list's `sns:publish` goes through a real SNSClient
 * mocked at the SDK boundary (failing as Step Functions names SNS errors: `SNS.<name>`); PagerDuty's
 * Events API is a node:http server on 127.0.0.1 answering what the test queues (202 by default);
 * the routing key comes from a mocked Secrets Manager.
 */
export class MajorIncidentHarness {
  readonly sns = new SNSClient({ region: 'eu-west-1' });
  readonly snsMock = mockClient(this.sns);
  readonly secrets = new SecretsManagerClient({ region: 'eu-west-1' });
  readonly secretsMock = mockClient(this.secrets);
  readonly store: MajorIncidentStore;
  readonly pagerDuty: PagerDutyRequest[] = [];
  /** HTTP statuses the PagerDuty server answers with, one per request; then 202. */
  pagerDutyStatuses: number[] = [];
  pagerDutyEnabled = true;
  private server?: http.Server;
  private url = '';
  private executions = 0;

  constructor(private readonly db: LocalDynamoDB) {
    this.store = new MajorIncidentStore(db.doc, db.table);
    this.snsMock.on(PublishCommand).callsFake((input: PublishCommandInput) => ({
      MessageId: `m-${input.TopicArn?.split('-').pop()}`,
    }));
    this.secretsMock.on(GetSecretValueCommand).resolves({ SecretString: `${ROUTING_KEY}\n` });
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        this.pagerDuty.push(JSON.parse(body) as PagerDutyRequest);
        const status = this.pagerDutyStatuses.shift() ?? 202;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            status === 202 ? { status: 'success', message: 'Event processed' } : { status: 'error' },
          ),
        );
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v2/enqueue`;
  }

  async stop(): Promise<void> {
    this.snsMock.restore();
    this.secretsMock.restore();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The publishes SNS accepted or refused, by stakeholder list. */
  publishes(): Array<{ list: string; subject: string; sms: string; email: string; structure: string }> {
    return this.snsMock.commandCalls(PublishCommand).map((call) => {
      const input = call.args[0].input;
      const message = JSON.parse(input.Message ?? '{}') as { sms: string; email: string };
      const list = STAKEHOLDER_LISTS.find((l) => input.TopicArn === TOPIC(l)) ?? String(input.TopicArn);
      return {
        list,
        subject: input.Subject ?? '',
        sms: message.sms,
        email: message.email,
        structure: input.MessageStructure ?? '',
      };
    });
  }

  /** Runs one execution, started at `startedAt` (Step Functions' clock: it orders declarations and ends). */
  async run(input: unknown, startedAt: string, name = `major-${++this.executions}`) {
    const logger = new Logger({ logLevel: 'SILENT' });
    const record = makeMajorRecordHandler({
      settings: {
        environment: 'prod',
        stateTable: this.db.table,
        runbookUrl: 'https://runbooks.example.com/runbooks/major_incident.md',
        pagerDuty: this.pagerDutyEnabled,
      },
      store: this.store,
      logger,
    });
    const page = makeMajorPagerDutyHandler({
      settings: {
        routingKeySecret: 'influencegen/prod/pagerduty-major-incident-routing-key',
        eventsUrl: this.url,
      },
      secrets: this.secrets,
      send: fetch,
      logger,
      timeoutMs: 2000,
    });
    // aws-local-stepfunctions sets $$.Execution.StartTime to the real clock: the run's start time
    // replaces it, once the definition has been seen to pass it.
    const atStart = async (event: MajorRecordEvent) => {
      if (Number.isNaN(Date.parse(event.startedAt))) throw new Error('Record was not given the start time');
      return record({ ...event, startedAt });
    };
    const publish = async (params: JSONValue): Promise<JSONValue> => {
      try {
        const result = await this.sns.send(new PublishCommand(params as unknown as PublishCommandInput));
        return { MessageId: result.MessageId ?? '' };
      } catch (error) {
        throw serviceError(`SNS.${(error as Error).name}`, (error as Error).message);
      }
    };
    const executionId = `arn:aws:states:eu-west-1:123456789012:execution:influencegen-prod-major-incident:${name}`;
    const execution = loadStateMachine('major-incident').run(input as never, {
      context: { Execution: { Id: executionId, Name: name, StartTime: startedAt } },
      overrides: {
        retryIntervalOverrides: Object.fromEntries(
          ['Record', 'Report', 'PagePagerDuty', ...STAKEHOLDER_LISTS.map((l) => `Publish${l}`)].map((s) => [
            s,
            0,
          ]),
        ),
        taskResourceLocalHandlers: {
          Record: lambdaTask(atStart),
          Report: lambdaTask(record),
          PagePagerDuty: lambdaTask(page),
          ...Object.fromEntries(STAKEHOLDER_LISTS.map((l) => [`Publish${l}`, publish])),
        },
      },
    });
    return { ...(await settle(execution)), name };
  }
}
