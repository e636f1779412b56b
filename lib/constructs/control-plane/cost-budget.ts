import { Stack } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PROJECT_TAG, type ChannelId, type EnvironmentName } from '../../config';
import { TAG_KEYS } from '../../tags';
import { runbookUrl } from './runbook-link';

/** One alert level of the budget: a percentage of the limit and who hears of it. */
export interface CostBudgetAlert {
  readonly percent: number;
  /** The severity's channels, highest priority first (SEVERITY_CHANNELS). */
  readonly channels: readonly ChannelId[];
  /** On actual spend, on the month's forecast, or both (the default). */
  readonly on?: ReadonlyArray<'ACTUAL' | 'FORECASTED'>;
}

export interface CostBudgetProps {
  readonly environment: EnvironmentName;
  readonly limitUsd: number;
  /** Each level alerts twice: on actual spend and on the month's forecast. */
  readonly alerts: readonly CostBudgetAlert[];
  readonly topics: Readonly<Record<ChannelId, sns.ITopic>>;
  /** The email channel's recipients (alerts.emails). */
  readonly emails: readonly string[];
  /** What the budget counts: `monthly` the environment's whole tagged spend (the default). */
  readonly scope?: BudgetScope;
  /**
   * alerts.runbookBaseUrl: the budget's name then carries its runbook's address (below). Without
   * it the name is the bare `influencegen-<env>-<scope>`.
   */
  readonly runbookBaseUrl?: string;
}

/**
 * A budget over part of the spend: the environment's spend that also carries `component` =
 * `value` (the GPU fleet: lib/constructs/workloads/flux-gpu-fleet.ts tags `flux-gpu`).
 */
export interface BudgetScope {
  /** The name's last part: `influencegen-<env>-<label>`. */
  readonly label: string;
  readonly component?: string;
  /** runbooks/<name>.md, served under alerts.runbookBaseUrl. */
  readonly runbook: string;
}

const MONTHLY: BudgetScope = { label: 'monthly', runbook: 'runbooks/budget.md' };

/** AWS Budgets: a name of at most 100 characters, without `:` or `\\`. */
const MAX_BUDGET_NAME = 100;

/**
 * The budget's name, `influencegen-<env>-<label> <runbook address>`. Budgets' notification text
 * cannot be templated: what its SNS message and emails do carry is the budget's name, so the name
 * carries the runbook. A name may not contain `:`, so the address goes without its `https://`
 * (Slack and mail clients still make it a link). Too long a name fails synth naming the field.
 */
export function budgetName(environment: string, scope: BudgetScope, runbookBaseUrl?: string): string {
  const base = `influencegen-${environment}-${scope.label}`;
  if (!runbookBaseUrl) return base;
  const address = runbookUrl(runbookBaseUrl, scope.runbook).replace(/^https?:\/\//, '');
  const name = `${base} ${address}`;
  if (name.length > MAX_BUDGET_NAME || /[:\\]|\/action\//.test(name))
    throw new Error(
      `CostBudget: alerts.runbookBaseUrl: the budget name "${name}" (${name.length} characters) must be at most ${MAX_BUDGET_NAME} characters, without ':' or '\\' or '/action/'`,
    );
  return name;
}

/** The topics that already let Budgets publish (a second budget on a topic adds no statement). */
const budgetsMayPublish = new WeakSet<sns.ITopic>();

/** Budgets' limit on one notification's email subscribers (besides its one SNS subscriber). */
const MAX_EMAIL_SUBSCRIBERS = 10;

/**
 * Seed 002's cost guardrail: a monthly AWS Budgets cost budget for one environment, counting the
 * spend that carries the platform's cost-allocation tags (`project` and this `environment`; the tags
 * must be activated in the Billing console, or the budget sees nothing), alerting on actual and on
 * forecast spend at each level.
 *
 * Budgets gives a notification one SNS subscriber (and up to 10 email addresses), so a level
 * reaches its first channel's topic through SNS and, where the level includes email, the email
 * channel's recipients directly; the channels between those two (Slack at the High level) are not
 * reached by the budget. Each subscribed topic lets budgets.amazonaws.com of this account publish
 * (its KMS key already does).
 */
export class CostBudget extends Construct {
  readonly budget: budgets.CfnBudget;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    const account = Stack.of(this).account;
    const subscribed = new Set<sns.ITopic>();

    const notifications = props.alerts.flatMap((alert) => {
      const [first] = alert.channels;
      if (!first) throw new Error(`CostBudget: the ${alert.percent} % alert names no channel`);
      const topic = props.topics[first];
      subscribed.add(topic);
      const emails = first !== 'email' && alert.channels.includes('email') ? props.emails : [];
      if (emails.length > MAX_EMAIL_SUBSCRIBERS) {
        throw new Error(
          `CostBudget: AWS Budgets allows ${MAX_EMAIL_SUBSCRIBERS} email subscribers per notification; alerts.emails has ${emails.length}`,
        );
      }
      const subscribers: budgets.CfnBudget.SubscriberProperty[] = [
        { subscriptionType: 'SNS', address: topic.topicArn },
        ...emails.map((address) => ({ subscriptionType: 'EMAIL', address })),
      ];
      return (alert.on ?? (['ACTUAL', 'FORECASTED'] as const)).map((notificationType) => ({
        notification: {
          notificationType,
          comparisonOperator: 'GREATER_THAN',
          threshold: alert.percent,
          thresholdType: 'PERCENTAGE',
        },
        subscribers,
      }));
    });

    const counted = props.scope ?? MONTHLY;
    const tagged = (key: string, value: string) => ({
      tags: { key, values: [value], matchOptions: ['EQUALS'] },
    });
    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName: budgetName(props.environment, counted, props.runbookBaseUrl),
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.limitUsd, unit: 'USD' },
        // FilterExpression and Metrics, the pair Budgets recommends over CostFilters and CostTypes
        // (one pair or the other, never mixed). A tag is named by its key, as in Cost Explorer
        // filters, not in CostFilters' `user:<key>$<value>` form.
        metrics: ['UnblendedCost'],
        // A component budget adds the `component` tag: Budgets' `user:component$flux-gpu` in the
        // older CostFilters form.
        filterExpression: {
          and: [
            tagged(TAG_KEYS.project, PROJECT_TAG),
            tagged(TAG_KEYS.environment, props.environment),
            ...(counted.component ? [tagged(TAG_KEYS.component, counted.component)] : []),
          ],
        },
      },
      notificationsWithSubscribers: notifications,
    });

    for (const topic of subscribed) {
      // Two budgets on one topic add the same statement: once is enough.
      if (budgetsMayPublish.has(topic)) {
        this.budget.node.addDependency(topic.node.tryFindChild('Policy') ?? topic);
        continue;
      }
      budgetsMayPublish.add(topic);
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'BudgetsPublish',
          principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: { StringEquals: { 'aws:SourceAccount': account } },
        }),
      );
      // The topic policy before the budget: Budgets may publish as soon as the budget exists.
      this.budget.node.addDependency(topic.node.tryFindChild('Policy') ?? topic);
    }
  }
}
