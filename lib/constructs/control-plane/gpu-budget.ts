import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ChannelId, EnvironmentName } from '../../config';
import { GPU_BUDGET_ALERTS, GPU_BUDGET_RUNBOOK, type GpuBudgetConfig } from '../../config/gpu-budget';
import { CostBudget } from './cost-budget';

export interface GpuBudgetProps {
  readonly environment: EnvironmentName;
  readonly config: GpuBudgetConfig;
  /** Who hears of it: the cost budget's channels (Slack over SNS, email directly). */
  readonly channels: readonly ChannelId[];
  readonly topics: Readonly<Record<ChannelId, sns.ITopic>>;
  readonly emails: readonly string[];
  /** alerts.runbookBaseUrl: the budget's name carries runbooks/gpu_budget.md's address. */
  readonly runbookBaseUrl: string;
}

/**
 * The GPU spend budget (lib/config/gpu-budget.ts has the figure's derivation): a monthly AWS
 * Budgets cost budget over the environment's spend tagged `component` = `flux-gpu`, alerting at
 * 80 % of actual spend and at 100 % forecast or actual, through the same channels as the monthly
 * cost budget. The `component` tag must be activated as a cost-allocation tag (docs/operations.md).
 */
export class GpuBudget extends Construct {
  readonly budget: CostBudget;

  constructor(scope: Construct, id: string, props: GpuBudgetProps) {
    super(scope, id);
    this.budget = new CostBudget(this, 'Budget', {
      environment: props.environment,
      limitUsd: props.config.monthlyLimitUsd,
      scope: { label: 'gpu', component: 'flux-gpu', runbook: GPU_BUDGET_RUNBOOK },
      alerts: GPU_BUDGET_ALERTS.map((a) => ({ percent: a.percent, on: a.on, channels: props.channels })),
      topics: props.topics,
      emails: props.emails,
      runbookBaseUrl: props.runbookBaseUrl,
    });
  }
}
