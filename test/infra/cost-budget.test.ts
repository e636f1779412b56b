import { Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CHANNEL_IDS, ENVIRONMENT_NAMES, validateConfig, type ChannelId } from '../../lib/config';
import { COMPONENT_POLICIES } from '../../lib/config/components';
import { COST_BUDGET_ALERT_PERCENT } from '../../lib/config/constants';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { SEVERITY_CHANNELS } from '../../lib/config/escalation';
import { CostBudget } from '../../lib/constructs/control-plane/cost-budget';
import { resourcesOf, synthPlatform, testApp, TEST_REGION } from './synth';

type Subscriber = { SubscriptionType: string; Address: unknown };
type Notification = {
  Notification: {
    NotificationType: string;
    ComparisonOperator: string;
    Threshold: number;
    ThresholdType: string;
  };
  Subscribers: Subscriber[];
};
type BudgetResource = {
  Properties: {
    Budget: Record<string, unknown>;
    NotificationsWithSubscribers: Notification[];
  };
  DependsOn?: string[];
};
type Statement = { Effect: string; Principal?: unknown; Action: unknown; Condition?: unknown };

const controlPlane = (env: (typeof ENVIRONMENT_NAMES)[number]) => synthPlatform(env).controlPlane;
/** The monthly budget (the GPU budget, lib/constructs/control-plane/gpu-budget.ts, is another). */
const budgetOf = (env: (typeof ENVIRONMENT_NAMES)[number]) => {
  const all = Object.values(resourcesOf(controlPlane(env), 'AWS::Budgets::Budget')).filter((b) =>
    new RegExp(`^influencegen-${env}-monthly( |$)`).test(
      String((b.Properties?.Budget as { BudgetName?: string }).BudgetName),
    ),
  );
  expect(all).toHaveLength(1);
  return all[0] as unknown as BudgetResource;
};
/** The logical id of a channel topic (`Channel-<id>`) in the control-plane template. */
const topicId = (env: (typeof ENVIRONMENT_NAMES)[number], channel: ChannelId) => {
  const pattern = new RegExp(`^Channel${channel.replace(/-/g, '')}[0-9A-F]{8}$`);
  const id = Object.keys(resourcesOf(controlPlane(env), 'AWS::SNS::Topic')).find((k) => pattern.test(k));
  expect(id).toBeDefined();
  return id as string;
};

describe.each(ENVIRONMENT_NAMES)('the %s cost budget (seed 002 cost guardrail)', (env) => {
  test("a monthly COST budget with the environment's configured limit", () => {
    const { Budget } = budgetOf(env).Properties;
    // The name may carry the runbook's address after it (runbook-links.test.ts).
    expect(String(Budget.BudgetName).split(' ')[0]).toBe(`influencegen-${env}-monthly`);
    expect(Budget).toMatchObject({
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      BudgetLimit: { Amount: ENVIRONMENTS[env].monthlyCostBudgetUsd, Unit: 'USD' },
      Metrics: ['UnblendedCost'],
    });
    // FilterExpression and CostFilters/CostTypes are exclusive in the Budgets API.
    expect(Budget.CostFilters).toBeUndefined();
    expect(Budget.CostTypes).toBeUndefined();
  });

  test("counts only spend tagged with the project's and this environment's cost-allocation tags", () => {
    expect(budgetOf(env).Properties.Budget.FilterExpression).toEqual({
      And: [
        { Tags: { Key: 'project', Values: ['influencegen'], MatchOptions: ['EQUALS'] } },
        { Tags: { Key: 'environment', Values: [env], MatchOptions: ['EQUALS'] } },
      ],
    });
  });

  test('exactly four notifications: actual and forecast, at 80 % and 100 %', () => {
    const notifications = budgetOf(env).Properties.NotificationsWithSubscribers.map((n) => n.Notification);
    expect(notifications).toHaveLength(4);
    const expected = [COST_BUDGET_ALERT_PERCENT.warning, COST_BUDGET_ALERT_PERCENT.limit].flatMap((percent) =>
      ['ACTUAL', 'FORECASTED'].map((type) => ({
        NotificationType: type,
        ComparisonOperator: 'GREATER_THAN',
        Threshold: percent,
        ThresholdType: 'PERCENTAGE',
      })),
    );
    expect(notifications).toEqual(expect.arrayContaining(expected));
    expect([COST_BUDGET_ALERT_PERCENT.warning, COST_BUDGET_ALERT_PERCENT.limit]).toEqual([80, 100]);
  });

  test("both levels reach the Medium channels, never PagerDuty: Slack's topic over SNS, email directly", () => {
    // PagerDuty's CloudWatch integration reads alarm JSON; Budgets sends plain text.
    const firstChannel = new Map<number, ChannelId | undefined>([
      [COST_BUDGET_ALERT_PERCENT.warning, SEVERITY_CHANNELS.Medium[0]],
      [COST_BUDGET_ALERT_PERCENT.limit, SEVERITY_CHANNELS.Medium[0]],
    ]);
    expect([...firstChannel.values()]).toEqual(['slack', 'slack']);
    for (const { Notification, Subscribers } of budgetOf(env).Properties.NotificationsWithSubscribers) {
      const channel = firstChannel.get(Notification.Threshold) as ChannelId;
      const sns = Subscribers.filter((s) => s.SubscriptionType === 'SNS');
      // AWS Budgets: one SNS subscriber per notification.
      expect(sns).toEqual([{ SubscriptionType: 'SNS', Address: { Ref: topicId(env, channel) } }]);
      // Email is in both severities' channels: its recipients are subscribed directly.
      expect(Subscribers.filter((s) => s.SubscriptionType === 'EMAIL').map((s) => s.Address)).toEqual(
        ENVIRONMENTS[env].alerts.emails,
      );
    }
  });

  test('each subscribed topic lets budgets.amazonaws.com of this account publish; the budget waits for it', () => {
    const subscribed = [SEVERITY_CHANNELS.Medium[0]] as ChannelId[];
    const policies = Object.entries(resourcesOf(controlPlane(env), 'AWS::SNS::TopicPolicy'));
    const budgetsMayPublish = (s: Statement) =>
      s.Effect === 'Allow' &&
      JSON.stringify(s.Principal) === JSON.stringify({ Service: 'budgets.amazonaws.com' }) &&
      s.Action === 'sns:Publish' &&
      JSON.stringify(s.Condition) ===
        JSON.stringify({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
    for (const channel of CHANNEL_IDS) {
      const ref = topicId(env, channel);
      const policy = policies.find(
        ([, p]) => JSON.stringify(p.Properties?.Topics) === JSON.stringify([{ Ref: ref }]),
      );
      const statements = (policy?.[1].Properties?.PolicyDocument as { Statement: Statement[] }).Statement;
      expect(statements.some(budgetsMayPublish)).toBe(subscribed.includes(channel));
      if (subscribed.includes(channel)) expect(budgetOf(env).DependsOn).toContain(policy?.[0]);
    }
  });
});

describe('the budget figure is validated at synth', () => {
  const valid = { ...ENVIRONMENTS.prod, region: TEST_REGION };
  const missing: Record<string, unknown> = { ...valid };
  delete missing.monthlyCostBudgetUsd;
  test.each<[string, unknown]>([
    ['zero', { ...valid, monthlyCostBudgetUsd: 0 }],
    ['negative', { ...valid, monthlyCostBudgetUsd: -100 }],
    ['missing', missing],
    ['not a number', { ...valid, monthlyCostBudgetUsd: '4000' }],
  ])('%s fails with a message naming the field', (_name, env) => {
    expect(() => validateConfig(env, COMPONENT_POLICIES)).toThrow(
      /monthlyCostBudgetUsd: must be a positive number of US dollars/,
    );
  });
});

describe('CostBudget', () => {
  const topicsIn = (stack: Stack) =>
    Object.fromEntries(CHANNEL_IDS.map((c) => [c, new sns.Topic(stack, `T-${c}`)])) as Record<
      ChannelId,
      sns.Topic
    >;

  test('more than the 10 email subscribers Budgets allows on a notification fails synth', () => {
    const stack = new Stack(testApp(), 'S');
    expect(
      () =>
        new CostBudget(stack, 'B', {
          environment: 'dev',
          limitUsd: 100,
          alerts: [{ percent: 80, channels: ['slack', 'email'] }],
          topics: topicsIn(stack),
          emails: Array.from({ length: 11 }, (_, i) => `ops${i}@example.com`),
        }),
    ).toThrow(/10 email subscribers per notification/);
  });

  test('a level whose first channel is email adds no direct email subscribers', () => {
    const stack = new Stack(testApp(), 'S');
    const budget = new CostBudget(stack, 'B', {
      environment: 'dev',
      limitUsd: 100,
      alerts: [{ percent: 80, channels: ['email'] }],
      topics: topicsIn(stack),
      emails: ['ops@example.com'],
    });
    const notifications = budget.budget.notificationsWithSubscribers as Array<{ subscribers: unknown[] }>;
    expect(notifications.map((n) => n.subscribers.length)).toEqual([1, 1]);
  });
});
