import { Stack } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PROJECT_TAG, type ChannelId, type EnvironmentName } from '../../config';
import { TAG_KEYS } from '../../tags';

/** One alert level of the budget: a percentage of the limit and who hears of it. */
export interface CostBudgetAlert {
  readonly percent: number;
  /** The severity's channels, highest priority first (SEVERITY_CHANNELS). */
  readonly channels: readonly ChannelId[];
}

export interface CostBudgetProps {
  readonly environment: EnvironmentName;
  readonly limitUsd: number;
  /** Each level alerts twice: on actual spend and on the month's forecast. */
  readonly alerts: readonly CostBudgetAlert[];
  readonly topics: Readonly<Record<ChannelId, sns.ITopic>>;
  /** The email channel's recipients (alerts.emails). */
  readonly emails: readonly string[];
}

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
      return (['ACTUAL', 'FORECASTED'] as const).map((notificationType) => ({
        notification: {
          notificationType,
          comparisonOperator: 'GREATER_THAN',
          threshold: alert.percent,
          thresholdType: 'PERCENTAGE',
        },
        subscribers,
      }));
    });

    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName: `influencegen-${props.environment}-monthly`,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.limitUsd, unit: 'USD' },
        // FilterExpression and Metrics, the pair Budgets recommends over CostFilters and CostTypes
        // (one pair or the other, never mixed). A tag is named by its key, as in Cost Explorer
        // filters, not in CostFilters' `user:<key>$<value>` form.
        metrics: ['UnblendedCost'],
        filterExpression: {
          and: [
            { tags: { key: TAG_KEYS.project, values: [PROJECT_TAG], matchOptions: ['EQUALS'] } },
            { tags: { key: TAG_KEYS.environment, values: [props.environment], matchOptions: ['EQUALS'] } },
          ],
        },
      },
      notificationsWithSubscribers: notifications,
    });

    for (const topic of subscribed) {
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
