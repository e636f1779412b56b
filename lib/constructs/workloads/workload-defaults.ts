import { RemovalPolicy } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { SUBNETS } from '../../config/network';
import { retentionDays } from '../retention';

/**
 * A workload's container log driver: an encrypted group with retention. The stream prefix is the
 * component, the namespace of the metric filters that turn its structured logs into signals.
 */
export function containerLogs(
  scope: Construct,
  component: string,
  props: { key: kms.IKey; retentionDays: number },
): { driver: ecs.LogDriver; group: logs.LogGroup } {
  const group = new logs.LogGroup(scope, 'Logs', {
    retention: retentionDays(props.retentionDays),
    encryptionKey: props.key,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return { driver: ecs.LogDrivers.awsLogs({ logGroup: group, streamPrefix: component }), group };
}

/**
 * What every workload service shares: private subnets, rolling deploys that never drop below the
 * current capacity, and automatic rollback when new tasks fail to become healthy.
 */
export const PRIVATE_ROLLING_SERVICE = {
  minHealthyPercent: 100,
  maxHealthyPercent: 200,
  vpcSubnets: { subnetGroupName: SUBNETS.private },
  circuitBreaker: { enable: true, rollback: true },
} as const;
