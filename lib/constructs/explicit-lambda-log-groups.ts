import { CfnResource, RemovalPolicy, Stack, type IAspect } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { retentionDays } from './retention';

/**
 * Gives every Lambda function that has no explicit log group (the handlers aws-cdk-lib adds for its
 * own custom resources, such as the one that closes the VPC's default security group) a log group
 * with retention, encrypted with its stack's key, so that no function in this app logs to a group
 * that is kept forever or unencrypted. A stack without a key fails synth rather than log in clear.
 * Functions built with ControlPlaneFunction already have one and are left alone.
 */
export class ExplicitLambdaLogGroups implements IAspect {
  constructor(
    private readonly logRetentionDays: number,
    private readonly keyOf: (stack: Stack) => kms.IKey | undefined,
  ) {}

  visit(node: IConstruct): void {
    // A log group aws-cdk-lib creates for its own functions gets the stack's key too.
    if (node instanceof logs.CfnLogGroup) {
      if (node.kmsKeyId === undefined) node.kmsKeyId = this.keyFor(node).keyArn;
      return;
    }
    if (!(node instanceof CfnResource) || node.cfnResourceType !== 'AWS::Lambda::Function') return;
    if (node instanceof lambda.CfnFunction && node.loggingConfig !== undefined) return;
    if (node.node.tryFindChild('ExplicitLogGroup')) return;
    const stack = Stack.of(node);
    const key = this.keyOf(stack);
    if (!key)
      throw new Error(
        `${node.node.path}: stack ${stack.stackName} has no key to encrypt the log group of this function`,
      );
    const group = new logs.LogGroup(node, 'ExplicitLogGroup', {
      retention: retentionDays(this.logRetentionDays),
      encryptionKey: key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    node.addPropertyOverride('LoggingConfig.LogGroup', group.logGroupName);
  }

  private keyFor(node: IConstruct): kms.IKey {
    const stack = Stack.of(node);
    const key = this.keyOf(stack);
    if (!key)
      throw new Error(
        `${node.node.path}: stack ${stack.stackName} has no key to encrypt its log groups with`,
      );
    return key;
  }
}
