import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CHANNEL_IDS, type ChannelId } from '../../lib/config/constants';
import { EDGE_BLOCKING_DEFAULTS, type EdgeBlockingConfig } from '../../lib/config/edge-blocking';
import { blockListOf, EdgeBlocking } from '../../lib/constructs/control-plane/edge-blocking';
import { resourcesOf, testApp } from './synth';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

function synth(
  config: EdgeBlockingConfig = EDGE_BLOCKING_DEFAULTS.prod,
  nag = false,
  neverBlockCidrs?: string[],
) {
  const app = testApp();
  const stack = new Stack(app, 'EdgeTest', { env: { account: '123456789012', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const table = new dynamodb.TableV2(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryptionV2.customerManagedKey(key),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  const topics = Object.fromEntries(
    CHANNEL_IDS.map((c) => [
      c,
      new sns.Topic(stack, `Topic-${c}`, { topicName: `t-${c}`, masterKey: key, enforceSSL: true }),
    ]),
  ) as Record<ChannelId, sns.Topic>;
  const set = new wafv2.CfnIPSet(stack, 'BlockList', {
    name: 'influencegen-prod-control-plane-blocks',
    scope: 'REGIONAL',
    ipAddressVersion: 'IPV4',
    addresses: [],
  });
  const odoo = new logs.LogGroup(stack, 'OdooLogs', {
    logGroupName: '/influencegen/prod/odoo',
    encryptionKey: key,
  });
  new EdgeBlocking(stack, 'EdgeBlocking', {
    runtime: {
      environment: 'prod',
      table,
      topics,
      key,
      logRetentionDays: 30,
      runbookBaseUrl: 'https://runbooks.example.com',
    },
    config,
    blockList: blockListOf(set),
    odooLogGroup: odoo,
    ...(neverBlockCidrs ? { neverBlockCidrs } : {}),
  });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, template: Template.fromStack(stack) };
}

const statementsOf = (template: Template): Statement[] =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(
    (p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement,
  );
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const find = (template: Template, action: string) =>
  statementsOf(template).filter((s) => actions(s).includes(action));

describe('EdgeBlocking construct', () => {
  test('the detector runs every 5 minutes, not retried (the next run supersedes it)', () => {
    const { template } = synth();
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [
        Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 } }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  test("the function is given the environment's thresholds, the set's name, id and scope, and the Odoo log group", () => {
    const { template } = synth({ ...EDGE_BLOCKING_DEFAULTS.prod, allowList: ['198.51.100.0/24'] }, false, [
      '192.0.2.0/24',
      '198.51.100.0/24',
    ]);
    const [fn] = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).filter((f) =>
      String(f.Properties?.Description).startsWith('Edge blocking'),
    );
    const variables = (fn?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    const text = JSON.stringify(variables.EDGE_BLOCKING_CONFIG);
    for (const fragment of [
      '\\"failedLoginsPerAdmin\\":5',
      '\\"distinctAdminAccounts\\":3',
      '\\"windowMinutes\\":15',
      '\\"blockMinutes\\":60',
      // waf.neverBlockCidrs and edgeBlocking.allowList, each range once.
      '\\"allowList\\":[\\"192.0.2.0/24\\",\\"198.51.100.0/24\\"]',
      '\\"maxBlockedAddresses\\":500',
      '\\"name\\":\\"influencegen-prod-control-plane-blocks\\"',
      '\\"scope\\":\\"REGIONAL\\"',
      '\\"version\\":\\"IPV4\\"',
    ])
      expect(text).toContain(fragment);
    expect(text).toContain('BlockList');
    expect(text).toContain('OdooLogs');
    expect(fn?.Properties?.Timeout).toBe(180);
  });

  test('least privilege: WAF on the block list only, StartQuery on the Odoo log group only, its own state items only', () => {
    const { template } = synth();
    const waf = statementsOf(template).filter((s) => actions(s).some((a) => a.startsWith('wafv2:')));
    expect(waf).toHaveLength(1);
    expect(actions(waf[0] as Statement).sort()).toEqual(['wafv2:GetIPSet', 'wafv2:UpdateIPSet']);
    expect(JSON.stringify(waf[0]?.Resource)).toMatch(/BlockList.*Arn/);
    const start = find(template, 'logs:StartQuery');
    expect(start).toHaveLength(1);
    expect(JSON.stringify(start[0]?.Resource)).toMatch(/OdooLogs.*Arn/);
    expect(find(template, 'logs:GetQueryResults')[0]?.Resource).toBe('*');
    const dynamo = statementsOf(template).filter((s) => actions(s).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EDGEBLOCK#*'] },
    });
    expect(actions(dynamo[0] as Statement)).not.toContain('dynamodb:Scan');
  });

  test('it may publish to the security channels only', () => {
    const { template } = synth();
    const publish = find(template, 'sns:Publish');
    // CDK merges the three grants into one statement with three resources.
    const topics = publish
      .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
      .map((r) => JSON.stringify(r))
      .sort();
    expect(topics).toEqual([
      expect.stringContaining('Topicemailsecurity'),
      expect.stringContaining('Topicpagerdutysecurity'),
      expect.stringContaining('Topicslacksecurity'),
    ]);
  });

  test('cdk-nag AwsSolutions: no unacknowledged finding', () => {
    const { app } = synth(EDGE_BLOCKING_DEFAULTS.prod, true);
    expect(() => app.synth()).not.toThrow();
  });
});
