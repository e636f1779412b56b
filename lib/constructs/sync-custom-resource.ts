import { CustomResource, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import type { ControlPlaneFunction } from './control-plane-function';
import { acknowledgeWildcards, GRANT_ACTION_GROUPS } from './nag';
import { retentionDays } from './retention';

/**
 * A custom resource whose handler (a ControlPlaneFunction) finishes within one invocation, behind
 * aws-cdk-lib's provider framework: the framework answers CloudFormation, so our function needs no
 * route to CloudFormation's response bucket. The framework's function gets our own role (no AWS
 * managed policy) and an encrypted log group with retention.
 */
export function syncCustomResource(
  scope: Construct,
  props: {
    handler: ControlPlaneFunction;
    resourceType: `Custom::${string}`;
    properties: Record<string, unknown>;
    description: string;
    logKey: kms.IKey;
    logRetentionDays: number;
  },
): CustomResource {
  const frameworkLogs = new logs.LogGroup(scope, 'ProviderLogs', {
    retention: retentionDays(props.logRetentionDays),
    encryptionKey: props.logKey,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const frameworkRole = new iam.Role(scope, 'ProviderRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Provider framework of ${props.description}: invokes its function, answers CloudFormation`,
  });
  frameworkLogs.grantWrite(frameworkRole);
  const provider = new cr.Provider(scope, 'Provider', {
    onEventHandler: props.handler.function,
    logGroup: frameworkLogs,
    frameworkOnEventRole: frameworkRole,
  });
  acknowledgeWildcards(
    frameworkRole,
    [GRANT_ACTION_GROUPS.functionVersions],
    `The provider framework's grant to invoke ${props.description}'s function (any version of that one function).`,
  );
  return new CustomResource(scope, 'Resource', {
    serviceToken: provider.serviceToken,
    resourceType: props.resourceType,
    properties: props.properties,
  });
}
