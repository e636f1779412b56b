import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { Workflow } from '../workflow';

export interface CredentialRefreshProps {
  readonly cluster: ecs.ICluster;
  /** Each database secret and the services that log in with it. */
  readonly secrets: ReadonlyArray<{ secret: secretsmanager.ISecret; services: ecs.BaseService[] }>;
  readonly logKey: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * Tasks read their database credentials once, at start. With alternating users (DataStack) the
 * login a task holds stays valid until the rotation after the one that replaced it; this restarts
 * the services that use a secret right after each successful rotation (EventBridge on Secrets
 * Manager's RotationSucceeded, through CloudTrail), so no task is ever two rotations behind.
 * A forced deployment rolls tasks at 100 % minimum healthy and keeps the desired count.
 */
export class CredentialRefresh extends Construct {
  readonly workflow: Workflow;

  constructor(scope: Construct, id: string, props: CredentialRefreshProps) {
    super(scope, id);
    this.workflow = new Workflow(this, 'Workflow', {
      name: 'credential-refresh',
      substitutions: {},
      logKey: props.logKey,
      logRetentionDays: props.logRetentionDays,
    });
    const services = props.secrets.flatMap((s) => s.services);
    this.workflow.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ecs:UpdateService'],
        resources: services.map((s) => s.serviceArn),
      }),
    );
    props.secrets.forEach(({ secret, services: users }, index) => {
      new events.Rule(this, `Rotated${index}`, {
        description: `Restart the services using ${secret.node.path} after its rotation`,
        eventPattern: {
          source: ['aws.secretsmanager'],
          detailType: ['AWS Service Event via CloudTrail'],
          detail: {
            eventSource: ['secretsmanager.amazonaws.com'],
            eventName: ['RotationSucceeded'],
            additionalEventData: { SecretId: [secret.secretArn] },
          },
        },
        targets: [
          new targets.SfnStateMachine(this.workflow.stateMachine, {
            input: events.RuleTargetInput.fromObject({
              cluster: props.cluster.clusterName,
              services: users.map((s) => s.serviceName),
            }),
          }),
        ],
      });
    });
  }
}
