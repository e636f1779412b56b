import { Stack, Validations } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { acknowledgeManagedPolicies } from '../nag';

/**
 * A service's task count at its first creation only. The template carries no DesiredCount, so no
 * `cdk deploy` resets what the control plane chose (CloudFormation leaves an omitted count alone on
 * update, and starts a new service at 1); this custom resource raises the new service to the
 * component's minimum once, on Create, and does nothing on Update or Delete.
 */
export function initialDesiredCount(
  scope: Construct,
  id: string,
  props: { cluster: ecs.ICluster; service: ecs.BaseService; desiredCount: number },
): cr.AwsCustomResource {
  const resource = new cr.AwsCustomResource(scope, id, {
    onCreate: {
      service: 'ECS',
      action: 'updateService',
      parameters: {
        cluster: props.cluster.clusterName,
        service: props.service.serviceName,
        desiredCount: props.desiredCount,
      },
      physicalResourceId: cr.PhysicalResourceId.of(`${props.service.serviceName}-initial-desired-count`),
    },
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['ecs:UpdateService'], resources: [props.service.serviceArn] }),
    ]),
    installLatestAwsSdk: false,
  });
  resource.node.addDependency(props.service);
  // The provider function is aws-cdk-lib's singleton, one per stack.
  const provider = Stack.of(scope).node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
  if (provider) {
    acknowledgeManagedPolicies(
      provider,
      ['service-role/AWSLambdaBasicExecutionRole'],
      "aws-cdk-lib's AwsCustomResource provider; it only writes its own logs, to a KMS-encrypted group with retention (ExplicitLambdaLogGroups).",
    );
    Validations.of(provider).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'aws-cdk-lib chooses the runtime of its AwsCustomResource provider; it runs once per deploy.',
    });
  }
  return resource;
}
