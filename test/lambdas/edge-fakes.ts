import { randomUUID } from 'node:crypto';
import {
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
  CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  GetIPSetCommand,
  ListIPSetsCommand,
  UpdateIPSetCommand,
  WAFOptimisticLockException,
  WAFV2Client,
  WAFV2ServiceException,
} from '@aws-sdk/client-wafv2';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * A WAF IP set that behaves as WAFv2's does where the edge code depends on it: GetIPSet returns the
 * addresses and a lock token, UpdateIPSet replaces the whole list and fails with
 * WAFOptimisticLockException on a stale token, and every update changes the token. `throttle(n)`
 * makes the next n calls fail with ThrottlingException, as WAF's API rate limit does.
 */
export class FakeWafSet {
  readonly client = new WAFV2Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  readonly mock: ReturnType<typeof mockClient>;
  addresses: string[] = [];
  token = randomUUID();
  updates = 0;
  calls = 0;
  private throttled = 0;
  private throttledUpdates = 0;
  /** Runs when an UpdateIPSet arrives, before it is applied: a concurrent writer that came first. */
  beforeNextUpdate?: () => Promise<void>;

  /** `everyClient`: every WAFV2Client (one a command builds itself), not only `client`. */
  constructor(
    readonly name = 'influencegen-prod-control-plane-blocks',
    everyClient = false,
  ) {
    this.mock = everyClient ? mockClient(WAFV2Client) : mockClient(this.client);
    this.mock.on(ListIPSetsCommand).callsFake((input: { NextMarker?: string }) => {
      this.calls++;
      // As WAF does: a marker with the last page, then an empty page for it.
      if (input.NextMarker) return { IPSets: [], NextMarker: input.NextMarker };
      return {
        IPSets: [
          { Name: 'influencegen-prod-static-blocks', Id: 'static-id' },
          { Name: this.name, Id: 'set-id' },
        ],
        NextMarker: 'end',
      };
    });
    this.mock.on(GetIPSetCommand).callsFake(() => {
      this.calls++;
      this.maybeThrottle();
      return {
        IPSet: {
          Name: this.name,
          Id: 'set-id',
          ARN: 'arn',
          IPAddressVersion: 'IPV4',
          Addresses: [...this.addresses],
        },
        LockToken: this.token,
      };
    });
    this.mock.on(UpdateIPSetCommand).callsFake(async (input: { Addresses: string[]; LockToken: string }) => {
      this.calls++;
      const hook = this.beforeNextUpdate;
      this.beforeNextUpdate = undefined;
      await hook?.();
      if (this.throttledUpdates > 0) {
        this.throttledUpdates--;
        this.throttled++;
      }
      this.maybeThrottle();
      if (input.LockToken !== this.token)
        throw new WAFOptimisticLockException({ message: 'stale lock token', $metadata: {} });
      this.addresses = [...input.Addresses];
      this.token = randomUUID();
      this.updates++;
      return { NextLockToken: this.token };
    });
  }

  /** The next `calls` calls (GetIPSet or UpdateIPSet) fail with ThrottlingException. */
  throttle(calls: number): void {
    this.throttled = calls;
  }

  /** The next `calls` UpdateIPSet calls fail with ThrottlingException. */
  throttleUpdates(calls: number): void {
    this.throttledUpdates = calls;
  }

  private maybeThrottle(): void {
    if (this.throttled <= 0) return;
    this.throttled--;
    throw new WAFV2ServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
  }
}

export interface LogLine {
  readonly event: string;
  readonly login: string;
  readonly account: string;
  readonly ip: string;
}

/**
 * Logs Insights over log lines the addon writes: answers the detector's query (filter on event and
 * admin, then `stats count(*) by ip, login, account`) the way Insights aggregates, or fails as told.
 */
export class FakeInsights {
  readonly client = new CloudWatchLogsClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  readonly mock = mockClient(this.client);
  lines: LogLine[] = [];
  queries: { logGroupName?: string; queryString?: string; startTime?: number; endTime?: number }[] = [];
  stopped: string[] = [];
  /** `fail`: StartQuery refused; a status: GetQueryResults answers it for ever. */
  behaviour: 'answer' | 'fail' | 'Running' | 'Failed' = 'answer';

  constructor() {
    this.mock.on(StartQueryCommand).callsFake((input: FakeInsights['queries'][number]) => {
      if (this.behaviour === 'fail')
        throw Object.assign(new Error('Query string is not valid'), { name: 'MalformedQueryException' });
      this.queries.push(input);
      return { queryId: `q-${this.queries.length}` };
    });
    this.mock.on(GetQueryResultsCommand).callsFake(() => {
      if (this.behaviour === 'Running') return { status: 'Running', results: [] };
      if (this.behaviour === 'Failed') return { status: 'Failed', results: [] };
      return { status: 'Complete', results: this.aggregate() };
    });
    this.mock.on(StopQueryCommand).callsFake((input: { queryId: string }) => {
      this.stopped.push(input.queryId);
      return { success: true };
    });
  }

  /** `n` failed logins of `login` (an `account` kind) from `ip`. */
  failures(ip: string, login: string, n: number, account = 'admin'): void {
    for (let i = 0; i < n; i++) this.lines.push({ event: 'login_failed', login, account, ip });
  }

  private aggregate() {
    const query = this.queries.at(-1)?.queryString ?? '';
    const named = [...(/lower\(login\) in \[([^\]]*)\]/.exec(query)?.[1] ?? '').matchAll(/"([^"]*)"/g)].map(
      (m) => m[1],
    );
    const counts = new Map<string, { ip: string; login: string; account: string; n: number }>();
    for (const l of this.lines) {
      if (l.event !== 'login_failed') continue;
      if (!(l.account === 'admin' || named.includes(l.login.toLowerCase()))) continue;
      const key = `${l.ip}|${l.login}|${l.account}`;
      const c = counts.get(key) ?? { ip: l.ip, login: l.login, account: l.account, n: 0 };
      c.n++;
      counts.set(key, c);
    }
    return [...counts.values()].map((c) => [
      { field: 'ip', value: c.ip },
      { field: 'login', value: c.login },
      { field: 'account', value: c.account },
      { field: 'attempts', value: String(c.n) },
    ]);
  }
}

/** SNS that keeps what was published, by topic. */
export class FakeSns {
  readonly client = new SNSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  readonly mock = mockClient(this.client);
  readonly published: { topic: string; subject: string; message: string }[] = [];

  constructor() {
    this.mock
      .on(PublishCommand)
      .callsFake((input: { TopicArn: string; Subject: string; Message: string }) => {
        this.published.push({ topic: input.TopicArn, subject: input.Subject, message: input.Message });
        return { MessageId: `m-${this.published.length}` };
      });
  }
}
