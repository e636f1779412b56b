import type * as logs from 'aws-cdk-lib/aws-logs';

/** Config validation (lib/config/schema.ts) has already checked that `days` is a CloudWatch period. */
export function retentionDays(days: number): logs.RetentionDays {
  return days;
}
