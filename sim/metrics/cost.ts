/**
 * The control plane's own AWS bill at public on-demand list prices, scaled from a simulated span to a
 * 30-day month. Free tiers, Savings Plans and volume tiers beyond the first are ignored (a conservative
 * list-price figure). Prices are the 2025 list prices for us-east-1; Step Functions, Lambda and
 * CloudWatch list the same prices in eu-west-1, DynamoDB on-demand is somewhat dearer there.
 */

/** Step Functions Standard: $0.025 per 1,000 state transitions. https://aws.amazon.com/step-functions/pricing/ */
export const SFN_STANDARD_USD_PER_STATE_TRANSITION = 0.025 / 1_000;

/** Lambda: $0.20 per 1M requests. https://aws.amazon.com/lambda/pricing/ */
export const LAMBDA_USD_PER_REQUEST = 0.2 / 1_000_000;

/** Lambda arm64 duration, first 7.5 billion GB-seconds a month: $0.0000133334 per GB-second. https://aws.amazon.com/lambda/pricing/ */
export const LAMBDA_ARM64_USD_PER_GB_SECOND = 0.0000133334;

/** CloudWatch GetMetricData: $0.01 per 1,000 metrics requested. https://aws.amazon.com/cloudwatch/pricing/ */
export const CLOUDWATCH_GET_METRIC_DATA_USD_PER_METRIC = 0.01 / 1_000;

/**
 * DynamoDB on-demand (Standard table class, us-east-1, after the 1 November 2024 reduction):
 * $0.125 per million read request units and $0.625 per million write request units.
 * https://aws.amazon.com/dynamodb/pricing/on-demand/
 */
export const DYNAMODB_USD_PER_READ_REQUEST_UNIT = 0.125 / 1_000_000;
export const DYNAMODB_USD_PER_WRITE_REQUEST_UNIT = 0.625 / 1_000_000;

/** Seconds in the 30-day month the cost is scaled to. */
export const SECONDS_PER_MONTH = 30 * 24 * 3600;

export interface ControlPlaneUsage {
  readonly stateTransitions: number;
  readonly lambdaInvocations: number;
  readonly lambdaGbSeconds: number;
  readonly metricsRequested: number;
  readonly dynamoReadRequestUnits: number;
  readonly dynamoWriteRequestUnits: number;
  /** Length of the simulated span the counts above were collected over. */
  readonly simulatedSeconds: number;
}

export interface MonthlyCostBreakdown {
  readonly stepFunctions: number;
  readonly lambdaRequests: number;
  readonly lambdaDuration: number;
  readonly cloudWatch: number;
  readonly dynamoReads: number;
  readonly dynamoWrites: number;
  readonly total: number;
}

const COUNT_FIELDS = [
  'stateTransitions',
  'lambdaInvocations',
  'lambdaGbSeconds',
  'metricsRequested',
  'dynamoReadRequestUnits',
  'dynamoWriteRequestUnits',
] as const;

function validate(usage: ControlPlaneUsage): void {
  if (usage === null || typeof usage !== 'object') {
    throw new Error('usage must be an object');
  }
  for (const field of COUNT_FIELDS) {
    const v: unknown = usage[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`usage.${field} must be a finite number >= 0, got ${String(v)}`);
    }
  }
  const span: unknown = usage.simulatedSeconds;
  if (typeof span !== 'number' || !Number.isFinite(span) || span <= 0) {
    throw new Error(`usage.simulatedSeconds must be a finite number > 0, got ${String(span)}`);
  }
}

/** Monthly cost per line item in USD, scaled linearly from usage.simulatedSeconds to 30 days. */
export function monthlyCostBreakdownUsd(usage: ControlPlaneUsage): MonthlyCostBreakdown {
  validate(usage);
  const scale = SECONDS_PER_MONTH / usage.simulatedSeconds;
  const stepFunctions = usage.stateTransitions * SFN_STANDARD_USD_PER_STATE_TRANSITION * scale;
  const lambdaRequests = usage.lambdaInvocations * LAMBDA_USD_PER_REQUEST * scale;
  const lambdaDuration = usage.lambdaGbSeconds * LAMBDA_ARM64_USD_PER_GB_SECOND * scale;
  const cloudWatch = usage.metricsRequested * CLOUDWATCH_GET_METRIC_DATA_USD_PER_METRIC * scale;
  const dynamoReads = usage.dynamoReadRequestUnits * DYNAMODB_USD_PER_READ_REQUEST_UNIT * scale;
  const dynamoWrites = usage.dynamoWriteRequestUnits * DYNAMODB_USD_PER_WRITE_REQUEST_UNIT * scale;
  return {
    stepFunctions,
    lambdaRequests,
    lambdaDuration,
    cloudWatch,
    dynamoReads,
    dynamoWrites,
    total: stepFunctions + lambdaRequests + lambdaDuration + cloudWatch + dynamoReads + dynamoWrites,
  };
}

/** The control plane's monthly cost in USD, scaled from the simulated span to a 30-day month. */
export function monthlyCostUsd(usage: ControlPlaneUsage): number {
  return monthlyCostBreakdownUsd(usage).total;
}
