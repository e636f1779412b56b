import { PublishCommand } from '@aws-sdk/client-sns';
import { EdgeBlockStore } from '../../lambdas/aws/edge-block-store';
import { block, sweep, unblock, type EdgeDeps } from '../../lambdas/aws/edge-blocks';
import type { EdgeMetricName } from '../../lambdas/aws/edge-metrics';
import { makeEdgeBlockHandler, type EdgeBlockDeps } from '../../lambdas/edge-block';
import { EDGE_BLOCKING_DEFAULTS } from '../../lib/config/edge-blocking';
import { startLocalDynamoDB, type LocalDynamoDB } from '../../sim/aws/local-dynamodb';
import { FakeInsights, FakeSns, FakeWafSet } from './edge-fakes';

const T0 = new Date('2026-11-23T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const TOPICS = {
  'pagerduty-security': 'arn:aws:sns:eu-west-1:123456789012:pagerduty-security',
  'slack-security': 'arn:aws:sns:eu-west-1:123456789012:slack-security',
  'email-security': 'arn:aws:sns:eu-west-1:123456789012:email-security',
  pagerduty: 'arn:aws:sns:eu-west-1:123456789012:pagerduty',
};
const SECURITY_TOPICS = [TOPICS['pagerduty-security'], TOPICS['slack-security'], TOPICS['email-security']];

interface Harness {
  run: (at?: Date) => ReturnType<ReturnType<typeof makeEdgeBlockHandler>>;
  waf: FakeWafSet;
  logs: FakeInsights;
  sns: FakeSns;
  store: EdgeBlockStore;
  metrics: { metric: EdgeMetricName; value: number; dimensions?: Record<string, string> }[];
  logged: { level: string; message: string; fields?: unknown }[];
  deps: EdgeBlockDeps;
  /** The same set and store, for calling block/sweep/unblock beside the detector. */
  edge: EdgeDeps;
  clock: { now: Date };
}

describe('edge-block detector (WAF, Logs Insights and SNS faked at the SDK; DynamoDB local)', () => {
  let db: LocalDynamoDB;
  beforeAll(async () => {
    db = await startLocalDynamoDB();
  });
  afterAll(async () => {
    await db.stop();
  });

  async function harness(settings: Partial<EdgeBlockDeps['edge']['settings']> = {}): Promise<Harness> {
    const table = await db.freshTable();
    const waf = new FakeWafSet();
    const logs = new FakeInsights();
    const sns = new FakeSns();
    const store = new EdgeBlockStore(db.doc, table.table);
    const metrics: Harness['metrics'] = [];
    const logged: Harness['logged'] = [];
    const log = (level: string) => (message: string, fields?: unknown) =>
      logged.push({ level, message, fields });
    const clock = { now: T0 };
    const deps: EdgeBlockDeps = {
      edge: {
        settings: { ...EDGE_BLOCKING_DEFAULTS.prod, ...settings },
        ipSet: { name: waf.name, id: 'set-id', scope: 'REGIONAL', version: 'IPV4' },
        logGroupName: '/influencegen/prod/odoo',
      },
      runtime: { environment: 'prod', channelTopics: TOPICS, runbookBaseUrl: 'https://runbooks.example.com' },
      logs: logs.client,
      waf: waf.client,
      sns: sns.client,
      store,
      metrics: { emit: (metric, value, dimensions) => metrics.push({ metric, value, dimensions }) },
      logger: {
        info: log('info'),
        warn: log('warn'),
        error: log('error'),
        addContext: () => undefined,
        appendKeys: () => undefined,
        resetKeys: () => undefined,
      } as unknown as EdgeBlockDeps['logger'],
      now: () => clock.now,
      sleep: async () => undefined,
      pollMs: 1000,
    };
    const handle = makeEdgeBlockHandler(deps);
    return {
      run: (at?: Date) => {
        if (at) clock.now = at;
        return handle({ source: 'aws.events' });
      },
      waf,
      logs,
      sns,
      store,
      metrics,
      logged,
      deps,
      edge: { waf: waf.client, store, ipSet: deps.edge.ipSet, sleep: async () => undefined },
      clock,
    };
  }

  test('6 failed logins to one admin account from one address: blocked for blockMinutes, security paged, ledger written', async () => {
    const h = await harness();
    h.logs.failures('203.0.113.7', 'admin@influencegen.example.com', 6);
    const result = await h.run();
    expect(result.status).toBe('ok');
    expect(h.waf.addresses).toEqual(['203.0.113.7/32']);
    expect(result.blocked).toEqual([
      {
        ip: '203.0.113.7',
        until: '2026-11-23T11:00:00.000Z',
        reason:
          '6 failed logins to admin account admin@influencegen.example.com (more than 5) from 203.0.113.7 in 15 minutes',
      },
    ]);
    // Every security channel, and only those.
    expect(h.sns.published.map((p) => p.topic).sort()).toEqual([...SECURITY_TOPICS].sort());
    expect(h.sns.published[0]?.message).toContain('ops unblock 203.0.113.7 --env prod');
    expect(h.sns.published[0]?.message).toContain(
      'https://runbooks.example.com/runbooks/security_admin_failed_logins.md',
    );
    expect(await h.store.current('203.0.113.7')).toMatchObject({
      state: 'blocked',
      until: '2026-11-23T11:00:00.000Z',
      by: expect.stringContaining('edge-block detector'),
      reason: expect.stringContaining('6 failed logins'),
    });
    expect(await h.store.ledger('203.0.113.7')).toEqual([
      expect.objectContaining({
        event: 'blocked',
        until: '2026-11-23T11:00:00.000Z',
        by: expect.any(String),
      }),
    ]);
    // The query covered the window, on the Odoo log group.
    expect(h.logs.queries[0]).toMatchObject({
      logGroupName: '/influencegen/prod/odoo',
      startTime: T0.getTime() / 1000 - 15 * 60,
      endTime: T0.getTime() / 1000,
    });
    expect(h.metrics).toEqual(
      expect.arrayContaining([
        { metric: 'maxAttemptsOnOneAdmin', value: 6, dimensions: undefined },
        { metric: 'maxDistinctAdmins', value: 1, dimensions: undefined },
        { metric: 'blocks', value: 1, dimensions: undefined },
      ]),
    );
  });

  test('a security channel with no topic, or a publish SNS refuses, does not undo the block: the others are paged, the loss logged', async () => {
    const h = await harness();
    const { 'email-security': _none, ...topics } = TOPICS;
    h.sns.mock
      .on(PublishCommand, { TopicArn: TOPICS['slack-security'] })
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }));
    h.logs.failures('203.0.113.7', 'admin', 6);
    const result = await makeEdgeBlockHandler({
      ...h.deps,
      runtime: { ...h.deps.runtime, channelTopics: topics },
    })({});
    expect(result.blocked.map((b) => b.ip)).toEqual(['203.0.113.7']);
    expect(h.waf.addresses).toEqual(['203.0.113.7/32']);
    expect(h.sns.published.map((p) => p.topic)).toEqual([TOPICS['pagerduty-security']]);
    // What subscription filter policies route on.
    expect(h.sns.mock.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'Critical' },
      kind: { DataType: 'String', StringValue: 'edge-block-blocked' },
      channel: { DataType: 'String', StringValue: 'pagerduty-security' },
    });
    expect(h.logged).toContainEqual({
      level: 'error',
      message: 'block notice not delivered',
      fields: {
        ip: '203.0.113.7',
        failed: [
          { channel: 'email-security', error: 'no topic for this channel' },
          { channel: 'slack-security', error: 'ThrottledException: Rate exceeded' },
        ],
      },
    });
  });

  test('4 distinct admin accounts from one address (2 attempts each): blocked on the second half', async () => {
    const h = await harness();
    for (const login of ['admin', 'alice@x.example', 'bob@x.example', 'carol@x.example'])
      h.logs.failures('198.51.100.23', login, 2);
    const result = await h.run();
    expect(h.waf.addresses).toEqual(['198.51.100.23/32']);
    expect(result.blocked[0]?.reason).toBe(
      'failed logins to 4 admin accounts (more than 3) from 198.51.100.23 in 15 minutes',
    );
    expect(h.metrics).toContainEqual({ metric: 'maxDistinctAdmins', value: 4, dimensions: undefined });
  });

  test('5 failures on one admin, 3 distinct admins, or any number on non-admin accounts: nothing blocked, nobody paged', async () => {
    const h = await harness();
    h.logs.failures('203.0.113.7', 'admin@influencegen.example.com', 5);
    for (const login of ['a@x.example', 'b@x.example', 'c@x.example'])
      h.logs.failures('198.51.100.23', login, 5);
    // Users and unknown logins are not admins (the addon's `account`), however many.
    for (let i = 0; i < 10; i++)
      h.logs.failures('192.0.2.50', `user${i}@x.example`, 9, i % 2 ? 'user' : 'unknown');
    const result = await h.run();
    expect(result).toMatchObject({ status: 'ok', blocked: [], refused: [] });
    expect(h.waf.addresses).toEqual([]);
    expect(h.waf.updates).toBe(0);
    expect(h.sns.published).toEqual([]);
    expect(h.metrics).toContainEqual({ metric: 'maxAttemptsOnOneAdmin', value: 5, dimensions: undefined });
    expect(h.metrics).toContainEqual({ metric: 'maxDistinctAdmins', value: 3, dimensions: undefined });
  });

  test('the configured admin login `admin` counts even when the addon could not classify it (no such user)', async () => {
    const h = await harness();
    h.logs.failures('203.0.113.9', 'Admin', 6, 'unknown');
    await h.run();
    expect(h.waf.addresses).toEqual(['203.0.113.9/32']);
  });

  test('an allow-listed address (IPv4 or IPv6 range) and a private one are never blocked; the refusal is logged', async () => {
    const h = await harness({ allowList: ['203.0.113.0/24', '2001:db8::/32'] });
    h.logs.failures('203.0.113.200', 'admin', 50);
    h.logs.failures('2001:db8:0:1::7', 'admin', 50);
    h.logs.failures('10.0.3.17', 'admin', 50);
    const result = await h.run();
    expect(h.waf.addresses).toEqual([]);
    expect(h.waf.updates).toBe(0);
    expect(h.sns.published).toEqual([]);
    expect(result.refused).toEqual(
      expect.arrayContaining([
        { ip: '203.0.113.200', reason: 'allow-listed (203.0.113.0/24)' },
        { ip: '2001:db8:0:1::7', reason: 'allow-listed (2001:db8::/32)' },
        {
          ip: '10.0.3.17',
          reason:
            'not a public address (10.0.0.0/8): Odoo logged a proxy or the load balancer, not the client',
        },
      ]),
    );
    expect(h.logged.filter((l) => l.message === 'not blocked')).toHaveLength(3);
  });

  test('blockingEnabled false: detected and logged, the WAF untouched, nobody paged by the detector', async () => {
    const h = await harness({ blockingEnabled: false });
    h.logs.failures('203.0.113.7', 'admin', 6);
    const result = await h.run();
    expect(result.detectedOnly).toEqual(['203.0.113.7']);
    expect(result.blocked).toEqual([]);
    expect(h.waf.updates).toBe(0);
    expect(h.sns.published).toEqual([]);
    expect(h.metrics).toContainEqual({ metric: 'maxAttemptsOnOneAdmin', value: 6, dimensions: undefined });
  });

  test('the cap: at maxBlockedAddresses nothing is added, security is paged once saying so', async () => {
    const h = await harness({ maxBlockedAddresses: 2 });
    h.logs.failures('203.0.113.1', 'admin', 6);
    h.logs.failures('203.0.113.2', 'admin', 6);
    h.logs.failures('203.0.113.3', 'admin', 6);
    const first = await h.run();
    expect(h.waf.addresses).toHaveLength(2);
    expect(first.blocked).toHaveLength(2);
    expect(first.capped).toHaveLength(1);
    const capped = first.capped[0] as string;
    expect(h.waf.addresses).not.toContain(`${capped}/32`);
    const capPages = () => h.sns.published.filter((p) => p.subject.includes('block list full'));
    expect(
      capPages()
        .map((p) => p.topic)
        .sort(),
    ).toEqual([...SECURITY_TOPICS].sort());
    expect(capPages()[0]?.message).toContain('its cap (maxBlockedAddresses 2)');
    expect(await h.store.current(capped)).toBeUndefined();
    // The next run finds the same: no second page in the window.
    await h.run(minutes(5));
    expect(capPages()).toHaveLength(3);
    expect(h.waf.addresses).toHaveLength(2);
  });

  test('the block is gone after it expires and not before; a second detector run meanwhile does not renew or re-page', async () => {
    const h = await harness();
    h.logs.failures('203.0.113.7', 'admin', 6);
    await h.run();
    expect(h.waf.addresses).toEqual(['203.0.113.7/32']);
    h.logs.lines = [];
    const pages = h.sns.published.length;
    await h.run(minutes(59));
    expect(h.waf.addresses).toEqual(['203.0.113.7/32']);
    expect(h.sns.published).toHaveLength(pages);
    const after = await h.run(minutes(60));
    expect(after.expired).toEqual(['203.0.113.7']);
    expect(h.waf.addresses).toEqual([]);
    expect(await h.store.current('203.0.113.7')).toBeUndefined();
    expect((await h.store.ledger('203.0.113.7')).map((e) => e.event)).toEqual(['blocked', 'expired']);
    // Twice is fine: already gone.
    expect((await h.run(minutes(61))).expired).toEqual([]);
  });

  test('a block renewed after the sweep read it as expired is not removed (stale lock token, re-read)', async () => {
    const h = await harness();
    h.logs.failures('203.0.113.7', 'admin', 6);
    await h.run();
    const { edge } = h;
    // The sweep at minute 61 reads the set and the expired block; before its write lands, a detector
    // blocks the address again (new record, then its own write of the set).
    h.waf.beforeNextUpdate = async () => {
      const renewed = await block(
        edge,
        {
          ip: '203.0.113.7',
          cidr: '203.0.113.7/32',
          blockId: 'renewal',
          blockedAt: minutes(61).toISOString(),
          until: minutes(121).toISOString(),
          by: 'edge-block detector',
          reason: 'attacking again',
        },
        500,
        minutes(61),
      );
      expect(renewed.status).toBe('blocked');
    };
    const outcome = await sweep(edge, minutes(61));
    expect(outcome.removed).toEqual([]);
    expect(h.waf.addresses).toEqual(['203.0.113.7/32']);
    expect(await h.store.current('203.0.113.7')).toMatchObject({ blockId: 'renewal', state: 'blocked' });
    // The renewed block ends at its own time.
    await sweep(edge, minutes(121));
    expect(h.waf.addresses).toEqual([]);
  });

  test('a WAF update throttled twice, then accepted: blocked', async () => {
    const h = await harness();
    h.logs.failures('203.0.113.8', 'admin', 6);
    h.waf.throttleUpdates(2);
    const result = await h.run();
    expect(result.failed).toEqual([]);
    expect(h.waf.addresses).toEqual(['203.0.113.8/32']);
    expect(h.sns.published.filter((p) => p.subject.includes('blocked until'))).toHaveLength(3);
  });

  test('a WAF throttled for good: no block, the claim released, security paged with the reason, metric', async () => {
    const h = await harness();
    h.logs.failures('203.0.113.7', 'admin', 6);
    h.waf.throttle(1000);
    const result = await h.run();
    expect(h.waf.addresses).toEqual([]);
    expect(result.failed).toEqual([
      { ip: '203.0.113.7', reason: 'ThrottlingException: Rate exceeded (still failing after 6 attempts)' },
    ]);
    const failures = h.sns.published.filter((p) => p.subject.includes('FAILED'));
    expect(failures.map((p) => p.topic).sort()).toEqual([...SECURITY_TOPICS].sort());
    expect(failures[0]?.message).toContain('ThrottlingException: Rate exceeded');
    expect(h.metrics).toContainEqual({ metric: 'failures', value: 1, dimensions: undefined });
    expect(await h.store.current('203.0.113.7')).toBeUndefined();
    // WAF back: the next run blocks.
    h.waf.throttle(0);
    await h.run(minutes(5));
    expect(h.waf.addresses).toEqual(['203.0.113.7/32']);
  });

  test.each([
    ['refused at start', 'fail', /MalformedQueryException: Query string is not valid/],
    ['ending Failed', 'Failed', /ended Failed/],
    ['still running at the deadline (stopped)', 'Running', /still Running after 60 s; stopped/],
  ] as const)(
    'a Logs Insights query %s: logged reason, metric, no block, no throw',
    async (_what, behaviour, reason) => {
      const h = await harness();
      h.logs.failures('203.0.113.7', 'admin', 60);
      h.logs.behaviour = behaviour;
      let elapsed = 0;
      const result = await makeEdgeBlockHandler({
        ...h.deps,
        clock: () => elapsed,
        sleep: async (ms) => {
          elapsed += ms;
        },
      })({});
      expect(result.status).toBe('query-failed');
      expect(result.reason).toMatch(reason);
      expect(h.waf.addresses).toEqual([]);
      expect(h.sns.published).toEqual([]);
      expect(h.metrics).toEqual([{ metric: 'failures', value: 1, dimensions: undefined }]);
      expect(h.logged).toContainEqual(
        expect.objectContaining({ level: 'error', fields: { reason: expect.stringMatching(reason) } }),
      );
      if (behaviour === 'Running') expect(h.logs.stopped).toEqual(['q-1']);
    },
  );

  test('two detectors at once block once and page once', async () => {
    const h = await harness();
    h.logs.failures('203.0.113.7', 'admin', 6);
    const second = makeEdgeBlockHandler(h.deps);
    const [a, b] = await Promise.all([h.run(), second({})]);
    expect([...a.blocked, ...b.blocked]).toHaveLength(1);
    expect([...a.alreadyBlocked, ...b.alreadyBlocked]).toEqual(['203.0.113.7']);
    expect(h.waf.addresses).toEqual(['203.0.113.7/32']);
    expect(h.sns.published).toHaveLength(3);
  });

  test('ops unblock ends a block early: removed from the set, the caller recorded, not re-blocked for the counted attempts', async () => {
    const h = await harness();
    h.logs.failures('203.0.113.7', 'admin', 6);
    await h.run();
    const { edge } = h;
    const caller = 'arn:aws:sts::123456789012:assumed-role/influencegen-prod-oncall/alice';
    const outcome = await unblock(edge, '203.0.113.7', {
      by: caller,
      reason: 'our pen test',
      at: minutes(10),
      holdUntil: minutes(25),
    });
    expect(outcome).toMatchObject({
      ip: '203.0.113.7',
      removedFromSet: true,
      previous: { state: 'blocked' },
    });
    expect(h.waf.addresses).toEqual([]);
    expect(await h.store.current('203.0.113.7')).toMatchObject({
      state: 'unblocked',
      endedBy: caller,
      endedReason: 'our pen test',
    });
    expect(await h.store.ledger('203.0.113.7')).toEqual([
      expect.objectContaining({ event: 'blocked' }),
      expect.objectContaining({
        event: 'unblocked',
        by: caller,
        reason: 'our pen test',
        removedFromSet: true,
      }),
    ]);
    // The same attempts are still in the window: not blocked again.
    await h.run(minutes(15));
    expect(h.waf.addresses).toEqual([]);
    // After the hold, new attempts block again.
    await h.run(minutes(30));
    expect(h.waf.addresses).toEqual(['203.0.113.7/32']);
  });
});
