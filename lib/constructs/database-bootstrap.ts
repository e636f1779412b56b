import { type CustomResource, Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { AppDatabaseRoles } from '../config/database-roles';
import { ControlPlaneFunction } from './control-plane-function';
import { syncCustomResource } from './sync-custom-resource';

/** One application: its secret (username `user` or `user`_clone) and the names of lib/config/database-roles.ts. */
export interface DatabaseBootstrapApp extends AppDatabaseRoles {
  readonly secret: secretsmanager.ISecret;
}

export interface DatabaseBootstrapProps {
  readonly vpc: ec2.IVpc;
  /** Subnets that reach both PostgreSQL and Secrets Manager (an endpoint or a NAT gateway). */
  readonly vpcSubnets: ec2.SubnetSelection;
  /** Must admit the function to PostgreSQL (and to the Secrets Manager endpoint, if one is used). */
  readonly securityGroups: ec2.ISecurityGroup[];
  readonly database: rds.IDatabaseInstance;
  readonly masterSecret: secretsmanager.ISecret;
  readonly apps: readonly DatabaseBootstrapApp[];
  readonly logKey: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * Creates each application's PostgreSQL roles and database before anything logs in with them
 * (lambdas/db-bootstrap; the SQL and its reasons: lambdas/core/database/bootstrap-plan.ts). Make
 * the rotation schedules of the application secrets and the services depend on `resource`: a
 * multi-user rotation runs as soon as its schedule is created and needs the roles to exist.
 *
 * Built on aws-cdk-lib's provider framework (custom-resources `Provider`), synchronous (no
 * isComplete): the framework function answers CloudFormation, so our function needs no route to
 * CloudFormation's response bucket and only reaches PostgreSQL and Secrets Manager; it fails the
 * deployment with the step and the server's message. The framework's function gets our role (no
 * AWS managed policy) and our encrypted log group with retention.
 *
 * Its properties name every application, so adding or changing one is an Update that applies the
 * plan again (idempotent). Delete does nothing: the roles and databases hold the data.
 */
export class DatabaseBootstrap extends Construct {
  readonly resource: CustomResource;
  readonly function: ControlPlaneFunction;

  constructor(scope: Construct, id: string, props: DatabaseBootstrapProps) {
    super(scope, id);

    this.function = new ControlPlaneFunction(this, 'Function', {
      name: 'db-bootstrap',
      description: 'Creates the PostgreSQL roles and databases of Odoo and n8n (custom resource)',
      timeout: Duration.minutes(5),
      logKey: props.logKey,
      logRetentionDays: props.logRetentionDays,
      vpc: props.vpc,
      securityGroups: props.securityGroups,
      environment: {
        // Node.js 20+ Lambda runtimes load the Amazon CAs (RDS's among them) only when told to.
        NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
      },
    });
    // ControlPlaneFunction places VPC functions in its own choice of subnets; these are the caller's.
    (this.function.function.node.defaultChild as lambda.CfnFunction).addPropertyOverride(
      'VpcConfig.SubnetIds',
      props.vpc.selectSubnets(props.vpcSubnets).subnetIds,
    );
    for (const secret of [props.masterSecret, ...props.apps.map((a) => a.secret)]) {
      secret.grantRead(this.function.role);
    }

    this.resource = syncCustomResource(this, {
      handler: this.function,
      resourceType: 'Custom::DatabaseBootstrap',
      description: 'the database bootstrap',
      logKey: props.logKey,
      logRetentionDays: props.logRetentionDays,
      properties: {
        MasterSecretArn: props.masterSecret.secretArn,
        Host: props.database.dbInstanceEndpointAddress,
        Port: props.database.dbInstanceEndpointPort,
        Apps: props.apps.map((app) => ({
          SecretArn: app.secret.secretArn,
          Database: app.database,
          User: app.user,
          OwnerRole: app.ownerRole,
        })),
      },
    });
  }
}
