import { type CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ControlPlaneFunction } from '../control-plane-function';
import { syncCustomResource } from '../sync-custom-resource';

export interface RdsCaBundleProps {
  readonly key: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * The RDS certificate authorities of this stack's region as a secret (PEM text), for clients whose
 * image trusts only the public CAs: n8n reads it as DB_POSTGRESDB_SSL_CA (node-postgres' `ssl.ca`)
 * and verifies its PostgreSQL server against it. A custom resource (lambdas/rds-ca-bundle) copies
 * them from the Lambda runtime's bundle of Amazon CAs, which AWS keeps current, on every deploy; a
 * bundle without the region's current root fails the deploy rather than leave n8n unable to connect.
 * Why a secret: a certificate is public, but ECS injects a secret's value at task start (an SSM
 * parameter would do too), and the region's bundle (a few KiB) fits neither a custom resource's
 * answer nor comfortably the task definition's environment.
 */
export class RdsCaBundle extends Construct {
  readonly secret: secretsmanager.Secret;
  /** Written before anything that reads the secret may start: make consumers depend on it. */
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: RdsCaBundleProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'PEM certificates of the Amazon RDS CAs of this region (written by a custom resource)',
      encryptionKey: props.key,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Public CA certificates, not a credential: there is nothing to rotate; every deploy rewrites them.',
    });
    const writer = new ControlPlaneFunction(this, 'Writer', {
      name: 'rds-ca-bundle',
      description: "Writes this region's RDS CA certificates into a secret (custom resource)",
      timeout: Duration.minutes(1),
      logKey: props.key,
      logRetentionDays: props.logRetentionDays,
    });
    this.secret.grantWrite(writer.role);
    this.resource = syncCustomResource(this, {
      handler: writer,
      resourceType: 'Custom::RdsCaBundle',
      description: 'the RDS CA bundle',
      logKey: props.key,
      logRetentionDays: props.logRetentionDays,
      properties: { SecretArn: this.secret.secretArn, Region: Stack.of(this).region },
    });
  }
}
