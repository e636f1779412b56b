import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CHANNEL_IDS, type ChannelId } from '../../lib/config';
import { COST_BUDGET_ALERT_PERCENT } from '../../lib/config/constants';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { SEVERITY_CHANNELS } from '../../lib/config/escalation';
import { GPU_BUDGET_DEFAULTS, GpuBudgetSchema, derivedGpuBudgetUsd } from '../../lib/config/gpu-budget';
import { CostBudget } from '../../lib/constructs/control-plane/cost-budget';
import { GpuBudget } from '../../lib/constructs/control-plane/gpu-budget';
import { resourcesOf, synthPlatform, testApp } from './synth';

/** The GPU spend budget (issue 19): AWS Budgets over the spend tagged component=flux-gpu. */

const ENVS = ['prod', 'staging', 'dev'] as const;
type Subscriber = { SubscriptionType: string; Address: unknown };
type Notification = { Notification: Record<string, unknown>; Subscribers: Subscriber[] };

function gpuStack(env: (typeof ENVS)[number]) {
  const stack = new Stack(testApp(), 'S');
  const topics = Object.fromEntries(CHANNEL_IDS.map((c) => [c, new sns.Topic(stack, `T-${c}`)])) as Record<
    ChannelId,
    sns.Topic
  >;
  const monthly = new CostBudget(stack, 'Monthly', {
    environment: env,
    limitUsd: 4000,
    alerts: [{ percent: 80, channels: SEVERITY_CHANNELS.Medium }],
    topics,
    emails: ENVIRONMENTS[env].alerts.emails,
    runbookBaseUrl: ENVIRONMENTS[env].alerts.runbookBaseUrl,
  });
  new GpuBudget(stack, 'Gpu', {
    environment: env,
    config: GPU_BUDGET_DEFAULTS[env],
    channels: SEVERITY_CHANNELS.Medium,
    topics,
    emails: ENVIRONMENTS[env].alerts.emails,
    runbookBaseUrl: ENVIRONMENTS[env].alerts.runbookBaseUrl,
  });
  const template = Template.fromStack(stack);
  const budgets = Object.entries(resourcesOf(template, 'AWS::Budgets::Budget'));
  const gpu = budgets.find(([, b]) =>
    String((b.Properties?.Budget as { BudgetName: string }).BudgetName).startsWith(
      `influencegen-${env}-gpu `,
    ),
  );
  return {
    template,
    monthly,
    gpu: gpu?.[1] as unknown as { Properties: Record<string, unknown>; DependsOn?: string[] },
  };
}

describe.each(ENVS)('the %s GPU budget', (env) => {
  test("a monthly COST budget of the derived amount over the environment's spend tagged component=flux-gpu", () => {
    const { gpu } = gpuStack(env);
    expect(gpu.Properties.Budget).toMatchObject({
      BudgetName: `influencegen-${env}-gpu runbooks.influencegen.example.com/control-plane/runbooks/gpu_budget.md`,
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      BudgetLimit: { Amount: GPU_BUDGET_DEFAULTS[env].monthlyLimitUsd, Unit: 'USD' },
      Metrics: ['UnblendedCost'],
      FilterExpression: {
        And: [
          { Tags: { Key: 'project', Values: ['influencegen'], MatchOptions: ['EQUALS'] } },
          { Tags: { Key: 'environment', Values: [env], MatchOptions: ['EQUALS'] } },
          { Tags: { Key: 'component', Values: ['flux-gpu'], MatchOptions: ['EQUALS'] } },
        ],
      },
    });
  });

  test('alerts at 80 % actual and at 100 % forecast and actual, to Slack over SNS and the email recipients', () => {
    const { gpu } = gpuStack(env);
    const notifications = gpu.Properties.NotificationsWithSubscribers as Notification[];
    expect(notifications.map((n) => [n.Notification.NotificationType, n.Notification.Threshold])).toEqual([
      ['ACTUAL', COST_BUDGET_ALERT_PERCENT.warning],
      ['FORECASTED', COST_BUDGET_ALERT_PERCENT.limit],
      ['ACTUAL', COST_BUDGET_ALERT_PERCENT.limit],
    ]);
    for (const { Notification, Subscribers } of notifications) {
      expect(Notification).toMatchObject({ ComparisonOperator: 'GREATER_THAN', ThresholdType: 'PERCENTAGE' });
      expect(Subscribers.filter((s) => s.SubscriptionType === 'SNS')).toEqual([
        { SubscriptionType: 'SNS', Address: { Ref: expect.stringMatching(/^Tslack/) } },
      ]);
      expect(Subscribers.filter((s) => s.SubscriptionType === 'EMAIL').map((s) => s.Address)).toEqual(
        ENVIRONMENTS[env].alerts.emails,
      );
    }
  });

  test('two budgets on one topic: one Budgets statement in its policy, both budgets wait for it', () => {
    const { template, gpu } = gpuStack(env);
    const policies = Object.entries(resourcesOf(template, 'AWS::SNS::TopicPolicy'));
    const slack = policies.filter(([, p]) => JSON.stringify(p.Properties?.Topics).includes('Tslack'));
    expect(slack).toHaveLength(1);
    const statements = (
      slack[0]?.[1].Properties?.PolicyDocument as { Statement: Array<{ Principal?: unknown }> }
    ).Statement;
    expect(
      statements.filter((s) => JSON.stringify(s.Principal).includes('budgets.amazonaws.com')),
    ).toHaveLength(1);
    expect(gpu.DependsOn).toContain(slack[0]?.[0]);
    const budgets = Object.values(resourcesOf(template, 'AWS::Budgets::Budget')) as Array<{
      DependsOn?: string[];
    }>;
    expect(budgets).toHaveLength(2);
    for (const b of budgets) expect(b.DependsOn).toContain(slack[0]?.[0]);
  });
});

describe('the amounts', () => {
  test.each(ENVS)('%s: the written default is the derivation from its own GPU fleet settings', (env) => {
    const e = ENVIRONMENTS[env];
    expect(
      derivedGpuBudgetUsd({
        instanceTypes: e.flux.instanceTypes,
        rootVolumeGiB: e.flux.rootVolumeGiB,
        capacity: e.capacity['flux-gpu'],
      }),
    ).toBe(GPU_BUDGET_DEFAULTS[env].monthlyLimitUsd);
  });

  test('the derivation, by hand: g5.xlarge, 1..5 hosts, 100 GiB volumes', () => {
    // (1 + 4 x 0.25) x (1.006 x 730 + 100 x 0.08) = 2 x 742.38 = 1484.76 -> 1500.
    expect(
      derivedGpuBudgetUsd({ instanceTypes: ['g5.xlarge'], rootVolumeGiB: 100, capacity: { min: 1, max: 5 } }),
    ).toBe(1500);
    expect(() =>
      derivedGpuBudgetUsd({ instanceTypes: ['g9.huge'], rootVolumeGiB: 100, capacity: { min: 1, max: 1 } }),
    ).toThrow(/flux\.instanceTypes: g9\.huge has no on-demand price/);
  });

  test.each<[string, unknown]>([
    ['zero', { monthlyLimitUsd: 0 }],
    ['negative', { monthlyLimitUsd: -5 }],
    ['string', { monthlyLimitUsd: '1500' }],
    ['missing', {}],
  ])('a %s limit fails naming the field', (_name, value) => {
    const parsed = GpuBudgetSchema.safeParse(value);
    expect(parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'monthlyLimitUsd: must be a positive number of US dollars',
    ]);
  });
});

describe('the GPU fleet carries the tag the budget counts', () => {
  test('its Auto Scaling group propagates component=flux-gpu to the hosts it launches', () => {
    const groups = Object.values(
      resourcesOf(synthPlatform('prod').workloads, 'AWS::AutoScaling::AutoScalingGroup'),
    );
    const tagged = groups.filter((g) =>
      (
        g.Properties?.Tags as Array<{ Key: string; Value: string; PropagateAtLaunch: boolean }> | undefined
      )?.some((t) => t.Key === 'component' && t.Value === 'flux-gpu' && t.PropagateAtLaunch),
    );
    expect(tagged).toHaveLength(1);
  });
});
