import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  N8N_DATABASE_ROLES,
  ODOO_DATABASE_ROLES,
  type AppDatabaseRoles,
} from '../../lib/config/database-roles';
import { DatabaseBootstrap } from '../../lib/constructs/database-bootstrap';
import { createPlatformKey } from '../../lib/constructs/platform-key';
import { OdooInitRun } from '../../lib/constructs/workloads/odoo-init-run';
import { resourcesOf, testApp } from './synth';

/**
 * The two constructs in a small stack of their own (the platform's stacks are being rewired around
 * them): what they deploy, their IAM, their log groups, and cdk-nag AwsSolutions on their stack.
 * The database and secrets they are given live in a second stack, which nag does not judge; the
 * init task and its cluster sit beside the runner, as in the workloads stack.
 */
/** The bootstrap's subnets: one of two private groups, to show the function lands where it is told. */
const BOOTSTRAP_SUBNETS = { subnetGroupName: 'Db' };

function synth(apps: readonly AppDatabaseRoles[] = [ODOO_DATABASE_ROLES, N8N_DATABASE_ROLES]) {
  const app = testApp();
  // Environment-agnostic, as the platform's stacks are.
  const given = new Stack(app, 'Given');
  const vpc = new ec2.Vpc(given, 'Vpc', {
    natGateways: 1,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'App', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Db', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ],
  });
  const database = new rds.DatabaseInstance(given, 'Database', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    vpc,
    credentials: rds.Credentials.fromGeneratedSecret('influencegen_admin'),
    databaseName: 'n8n',
    storageEncrypted: true,
  });
  const masterSecret = database.secret;
  if (!masterSecret) throw new Error('no master secret');
  const secrets = apps.map((a) =>
    new rds.DatabaseSecret(given, `${a.user}Secret`, {
      username: a.user,
      dbname: a.database,
      masterSecret,
    }).attach(database),
  );
  const clients = new ec2.SecurityGroup(given, 'Clients', { vpc });

  // The init task and its cluster live beside the runner, as in the workloads stack.
  const stack = new Stack(app, 'UnderTest');
  const logKey = createPlatformKey(stack, 'Key', { description: 'test', forLogs: true });
  const cluster = new ecs.Cluster(stack, 'Cluster', {
    vpc,
    containerInsightsV2: ecs.ContainerInsights.ENABLED,
  });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'OdooInit', {
    cpu: 1024,
    memoryLimitMiB: 2048,
  });
  const initLogs = new logs.LogGroup(stack, 'InitLogs', {
    encryptionKey: logKey,
    retention: logs.RetentionDays.ONE_MONTH,
  });
  taskDefinition.addContainer('odoo', {
    image: ecs.ContainerImage.fromRegistry('odoo:18.0'),
    logging: ecs.LogDrivers.awsLogs({ logGroup: initLogs, streamPrefix: 'odoo-init' }),
    secrets: { PASSWORD: ecs.Secret.fromSecretsManager(secrets[0] ?? masterSecret, 'password') },
  });
  const bootstrap = new DatabaseBootstrap(stack, 'DatabaseBootstrap', {
    vpc,
    vpcSubnets: BOOTSTRAP_SUBNETS,
    securityGroups: [clients],
    database,
    masterSecret,
    apps: apps.map((a, i) => ({ ...a, secret: secrets[i] ?? masterSecret })),
    logKey,
    logRetentionDays: 30,
  });
  const init = new OdooInitRun(stack, 'OdooInitRun', {
    cluster,
    taskDefinition,
    containerName: 'odoo',
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    securityGroups: [clients],
    trigger: 'odoo:18.0|base,web',
    logKey,
    logRetentionDays: 30,
  });
  init.resource.node.addDependency(bootstrap.resource);
  app.synth();
  return { stack, template: Template.fromStack(stack), vpc, given };
}

const statements = (template: Template) =>
  Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(
    (p) => (p.Properties?.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
  );

describe('DatabaseBootstrap and OdooInitRun', () => {
  const { stack, template, vpc } = synth();

  test('cdk-nag AwsSolutions finds nothing unacknowledged in what they create', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`),
    );
    expect(findings).toEqual([]);
  });

  test('our functions run on Node.js 24; every function logs to a KMS-encrypted group with retention', () => {
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    // db-bootstrap, the runner twice, and the provider frameworks' functions (1 + 3).
    expect(functions).toHaveLength(7);
    const ours = functions.filter(
      (f) =>
        (f.Properties?.Environment as { Variables?: Record<string, string> })?.Variables
          ?.POWERTOOLS_SERVICE_NAME,
    );
    expect(ours.map((f) => f.Properties?.Runtime)).toEqual(['nodejs24.x', 'nodejs24.x', 'nodejs24.x']);
    for (const f of functions)
      expect(f.Properties?.LoggingConfig).toMatchObject({ LogGroup: expect.anything() });
    const groups = Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(5);
    for (const g of groups)
      expect(g.Properties).toMatchObject({ RetentionInDays: 30, KmsKeyId: expect.anything() });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
  });

  test('the bootstrap runs in the given subnets, trusts the Amazon CAs and reads only its secrets', () => {
    const bootstrap = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).find(
      (f) =>
        (f.Properties?.Environment as { Variables?: Record<string, string> })?.Variables
          ?.POWERTOOLS_SERVICE_NAME === 'db-bootstrap',
    );
    expect(bootstrap?.Properties?.Environment).toMatchObject({
      Variables: { NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' },
    });
    const subnets = (bootstrap?.Properties?.VpcConfig as { SubnetIds: unknown[] }).SubnetIds;
    expect(subnets).toHaveLength(vpc.selectSubnets(BOOTSTRAP_SUBNETS).subnetIds.length);
    expect(JSON.stringify(subnets)).toMatch(/VpcDbSubnet/);
    expect(JSON.stringify(subnets)).not.toMatch(/VpcAppSubnet/);
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties?.Roles).includes('DatabaseBootstrapFunctionRole'),
    );
    const reads = policies
      .flatMap(
        (p) => (p.Properties?.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
      )
      .filter((s) => JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue'));
    // The master secret and the two application secrets, nothing else.
    expect(reads.flatMap((s) => s.Resource)).toHaveLength(3);
  });

  test('the custom resources carry what the handlers read', () => {
    template.hasResourceProperties('Custom::DatabaseBootstrap', {
      Apps: [
        { Database: 'odoo', User: 'odoo', OwnerRole: 'odoo_owner', SecretArn: Match.anyValue() },
        { Database: 'n8n', User: 'n8n', OwnerRole: 'n8n_owner', SecretArn: Match.anyValue() },
      ],
      Host: Match.anyValue(),
      Port: Match.anyValue(),
      MasterSecretArn: Match.anyValue(),
    });
    template.hasResourceProperties('Custom::OdooInitRun', {
      ContainerName: 'odoo',
      Trigger: 'odoo:18.0|base,web',
      LogStreamPrefix: 'odoo-init',
      LogGroup: Match.anyValue(),
      ServiceTimeout: '3600',
    });
  });

  test('another set of applications changes the bootstrap properties (an Update re-applies)', () => {
    const one = synth([ODOO_DATABASE_ROLES]).template;
    const props = (t: Template) =>
      Object.values(resourcesOf(t, 'Custom::DatabaseBootstrap'))[0]?.Properties?.Apps as unknown[];
    expect(props(one)).toHaveLength(1);
    expect(props(template)).toHaveLength(2);
  });

  test('the runner may start only the init family in this cluster, pass only its roles, describe only its tasks', () => {
    const all = statements(template);
    const runTask = all.find((s) => s.Action === 'ecs:RunTask');
    expect(JSON.stringify(runTask?.Resource)).toMatch(/task-definition\/UnderTestOdooInit[A-F0-9]*:\*/);
    expect(runTask?.Condition).toEqual({ ArnEquals: { 'ecs:cluster': expect.anything() } });
    const passRole = all.find((s) => s.Action === 'iam:PassRole');
    expect(passRole?.Resource).toHaveLength(2);
    expect(passRole?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    });
    const describe = all.find((s) => s.Action === 'ecs:DescribeTasks');
    expect(JSON.stringify(describe?.Resource)).toMatch(/:task\/.*\/\*/);
    expect(describe?.Condition).toEqual({ ArnEquals: { 'ecs:cluster': expect.anything() } });
  });
});
