import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readMajorPagerDutySettings, readMajorRecordSettings } from '../../lambdas/aws/major-incident-config';
import {
  declarationNotice,
  pagerDutyTrigger,
  type MajorNotice,
} from '../../lambdas/core/major-incident/messages';
import { subjectLine } from '../../lambdas/core/sns-subject';
import { makeMajorPagerDutyHandler } from '../../lambdas/major-pagerduty';

const secrets = new SecretsManagerClient({ region: 'eu-west-1' });
const secretsMock = mockClient(secrets);
const notice: MajorNotice = {
  environment: 'prod',
  majorId: 'major-20261204T100000Z-0001',
  reason: 'DRP activated: eu-west-1 database lost',
  requestedBy: 'arn:aws:sts::123456789012:assumed-role/ic/carol',
  at: '2026-12-04T10:00:00.000Z',
  lists: ['CrisisManagementTeam', 'ExecutiveLeadership'],
  runbookUrl: 'https://runbooks.example.com/runbooks/major_incident.md',
};

describe('the PagerDuty function (Events API v2 on a local server)', () => {
  let server: http.Server;
  let url: string;
  const received: Array<Record<string, unknown>> = [];
  let statuses: number[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        received.push(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(statuses.shift() ?? 202).end('{"status":"success"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/enqueue`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
    statuses = [];
    secretsMock.reset();
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: ' routing-key-0123456789abcdef \n' });
  });

  const handler = (send: typeof fetch = fetch) =>
    makeMajorPagerDutyHandler({
      settings: {
        routingKeySecret: 'influencegen/prod/pagerduty-major-incident-routing-key',
        eventsUrl: url,
      },
      secrets,
      send,
      logger: new Logger({ logLevel: 'SILENT' }),
      timeoutMs: 2000,
    });

  test('a trigger at severity critical with the trimmed routing key; the secret is read once per environment', async () => {
    const page = handler();
    const event = pagerDutyTrigger(notice, false);
    await expect(page({ majorId: notice.majorId, event })).resolves.toEqual({
      status: 'sent',
      dedupKey: 'influencegen-prod-major-major-20261204T100000Z-0001',
      eventAction: 'trigger',
    });
    await page({ majorId: notice.majorId, event });
    expect(received).toHaveLength(2);
    expect(received[0]).toMatchObject({
      routing_key: 'routing-key-0123456789abcdef',
      event_action: 'trigger',
      payload: {
        severity: 'critical',
        summary: 'MAJOR INCIDENT InfluenceGen prod: DRP activated: eu-west-1 database lost',
      },
    });
    expect(secretsMock).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsMock).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: 'influencegen/prod/pagerduty-major-incident-routing-key',
    });
  });

  test.each([
    [429, 'PagerDutyUnavailable'],
    [500, 'PagerDutyUnavailable'],
    [400, 'PagerDutyRejected'],
  ])('HTTP %i fails as %s (the workflow retries only the first)', async (status, name) => {
    statuses = [status];
    await expect(handler()({ majorId: 'x', event: pagerDutyTrigger(notice, true) })).rejects.toMatchObject({
      name,
    });
  });

  test('PagerDuty unreachable is retryable', async () => {
    const unreachable = (() => Promise.reject(new TypeError('fetch failed'))) as unknown as typeof fetch;
    await expect(
      handler(unreachable)({ majorId: 'x', event: pagerDutyTrigger(notice, true) }),
    ).rejects.toMatchObject({
      name: 'PagerDutyUnavailable',
    });
  });

  test('a secret without a value is refused, and nothing is sent', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: '  ' });
    await expect(handler()({ majorId: 'x', event: pagerDutyTrigger(notice, true) })).rejects.toMatchObject({
      name: 'PagerDutyRejected',
    });
    expect(received).toEqual([]);
  });

  test('a malformed event is refused before the secret is read or anything is sent', async () => {
    await expect(
      handler()({ majorId: 'x', event: { event_action: 'acknowledge' } as never }),
    ).rejects.toMatchObject({
      name: 'InvalidInput',
    });
    expect(secretsMock).toHaveReceivedCommandTimes(GetSecretValueCommand, 0);
    expect(received).toEqual([]);
  });
});

describe('the notices', () => {
  test('the email subject is printable ASCII of 100 characters at most (SNS refuses anything else)', () => {
    const { subject } = declarationNotice({
      ...notice,
      reason: `Rechenzentrum Köln ausgefallen ${'x'.repeat(100)}`,
    });
    expect(subject).toMatch(/^[\x20-\x7E]{1,100}$/);
    expect(subject).toContain('K?ln');
  });

  test('the SMS stays within two segments; the email carries who, when and the procedure', () => {
    const { message } = declarationNotice({
      ...notice,
      reason: 'y'.repeat(120),
      requestedBy: 'z'.repeat(500),
    });
    const parsed = JSON.parse(message) as { default: string; sms: string; email: string };
    expect(parsed.sms.length).toBeLessThanOrEqual(300);
    expect(parsed.default).toBe(parsed.sms);
    expect(parsed.email).toContain('https://runbooks.example.com/runbooks/major_incident.md');
    expect(subjectLine('a'.repeat(120))).toHaveLength(100);
  });
});

describe('the functions’ settings', () => {
  test('a missing variable is named', () => {
    expect(() =>
      readMajorRecordSettings({ ENVIRONMENT: 'prod', STATE_TABLE: 't', MAJOR_PAGERDUTY: 'enabled' }),
    ).toThrow('MAJOR_RUNBOOK_URL is not set');
    expect(() =>
      readMajorPagerDutySettings({ PAGERDUTY_EVENTS_URL: 'https://events.pagerduty.com/v2/enqueue' }),
    ).toThrow('PAGERDUTY_ROUTING_KEY_SECRET is not set');
  });

  test('PagerDuty is reached over HTTPS only, and enabled or disabled explicitly', () => {
    expect(() =>
      readMajorPagerDutySettings({
        PAGERDUTY_EVENTS_URL: 'http://events.pagerduty.com',
        PAGERDUTY_ROUTING_KEY_SECRET: 's',
      }),
    ).toThrow('PAGERDUTY_EVENTS_URL must be an https:// URL');
    expect(() =>
      readMajorRecordSettings({
        ENVIRONMENT: 'prod',
        STATE_TABLE: 't',
        MAJOR_RUNBOOK_URL: 'u',
        MAJOR_PAGERDUTY: 'yes',
      }),
    ).toThrow('MAJOR_PAGERDUTY must be enabled or disabled, not yes');
  });
});
