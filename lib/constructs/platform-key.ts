import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export interface PlatformKeyProps {
  readonly description: string;
  /** Lets CloudWatch Logs in this account and region encrypt log groups with the key. */
  readonly forLogs?: boolean;
  /** AWS services that publish to encrypted topics or queues with this key (CloudWatch alarms, EventBridge). */
  readonly publishingServices?: string[];
}

/**
 * A customer-managed KMS key with yearly rotation, kept when the stack is deleted (data encrypted
 * with it outlives the stack). One per stack: keys shared across stacks make grants cross stacks
 * and create dependency cycles.
 */
export function createPlatformKey(scope: Construct, id: string, props: PlatformKeyProps): kms.Key {
  const stack = Stack.of(scope);
  const key = new kms.Key(scope, id, {
    description: props.description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  if (props.forLogs) {
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:*`,
          },
        },
      }),
    );
  }
  for (const service of props.publishingServices ?? []) {
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(service)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
  }
  return key;
}
