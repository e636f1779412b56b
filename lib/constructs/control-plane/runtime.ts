import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ControlPlaneFunction } from '../control-plane-function';
import type { ChannelId, EnvironmentName } from '../../config';
import { resolveAcknowledgers } from '../../config/schema';
import type { WorkflowName } from '../../config/naming';

/** What every control-plane function is given: the resources behind lambdas/aws/runtime-config.ts. */
export interface ControlPlaneRuntime {
  readonly environment: EnvironmentName;
  readonly table: dynamodb.TableV2;
  readonly topics: Readonly<Record<ChannelId, sns.Topic>>;
  readonly key: kms.IKey;
  readonly logRetentionDays: number;
  readonly runbookBaseUrl: string;
  /**
   * The environment's alerts.acknowledgers (with `{account}`): who may acknowledge. Given, the
   * functions' ACKNOWLEDGERS carries them with the stack's account; absent, nobody may acknowledge.
   */
  readonly acknowledgers?: readonly string[];
}

/** The environment variables lambdas/aws/runtime-config.ts reads. */
export function runtimeEnvironment(
  scope: Construct,
  runtime: ControlPlaneRuntime,
  workflowArns: Partial<Record<WorkflowName, string>> = {},
): Record<string, string> {
  const stack = Stack.of(scope);
  return {
    ENVIRONMENT: runtime.environment,
    STATE_TABLE: runtime.table.tableName,
    CHANNEL_TOPICS: stack.toJsonString(
      Object.fromEntries(Object.entries(runtime.topics).map(([c, t]) => [c, t.topicArn])),
    ),
    RUNBOOK_BASE_URL: runtime.runbookBaseUrl,
    WORKFLOW_ARNS: stack.toJsonString(workflowArns),
    ...(runtime.acknowledgers
      ? { ACKNOWLEDGERS: stack.toJsonString(resolveAcknowledgers(runtime.acknowledgers, stack.account)) }
      : {}),
  };
}

/** A control-plane function with the runtime's environment, log key and retention. */
export function runtimeFunction(
  scope: Construct,
  runtime: ControlPlaneRuntime,
  environment: Record<string, string>,
  props: {
    name: string;
    description: string;
    timeoutSeconds: number;
    functionName?: string;
    /** For a function that must reach into the VPC (the restore validation). */
    vpc?: ec2.IVpc;
    securityGroups?: ec2.ISecurityGroup[];
  },
): ControlPlaneFunction {
  return new ControlPlaneFunction(scope, props.name, {
    name: props.name,
    description: props.description,
    environment,
    logRetentionDays: runtime.logRetentionDays,
    logKey: runtime.key,
    timeout: Duration.seconds(props.timeoutSeconds),
    ...(props.functionName ? { functionName: props.functionName } : {}),
    ...(props.vpc ? { vpc: props.vpc, securityGroups: props.securityGroups } : {}),
  });
}
