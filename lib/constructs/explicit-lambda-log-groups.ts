import { CfnResource, RemovalPolicy, type IAspect } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { retentionDays } from './retention';

/**
 * Gives every Lambda function that has no explicit log group (the handlers aws-cdk-lib adds for its
 * own custom resources, such as the one that closes the VPC's default security group) a log group
 * with retention, so that no function in this app logs to a group that is kept forever.
 * Functions built with ControlPlaneFunction already have one and are left alone.
 */
export class ExplicitLambdaLogGroups implements IAspect {
  constructor(private readonly logRetentionDays: number) {}

  visit(node: IConstruct): void {
    if (!(node instanceof CfnResource) || node.cfnResourceType !== 'AWS::Lambda::Function') return;
    if (node instanceof lambda.CfnFunction && node.loggingConfig !== undefined) return;
    if (node.node.tryFindChild('ExplicitLogGroup')) return;
    const group = new logs.LogGroup(node, 'ExplicitLogGroup', {
      retention: retentionDays(this.logRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    node.addPropertyOverride('LoggingConfig.LogGroup', group.logGroupName);
  }
}
