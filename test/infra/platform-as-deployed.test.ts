import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { COMPONENT_POLICIES } from '../../lib/config/components';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { ENVIRONMENT_NAMES, validateConfig, type EnvironmentConfig } from '../../lib/config';
import { ODOO_DATA_DIR } from '../../lib/config/filestore';
import { WAF_RULES } from '../../lib/constructs/workloads/edge-firewall';
import {
  ADDONS_SOURCE_DIR,
  packAddons,
  SHIPPED_ADDONS_ENV,
} from '../../lib/constructs/workloads/odoo-addons';
import { buildPlatform } from '../../lib/platform';
import { resourcesOf, synthPlatform, testApp, TEST_REGION, type CfnResources } from './synth';

/**
 * Issue 14's acceptance: what `cdk deploy` creates runs as deployed. Each test reads the
 * synthesized templates for what AWS and Odoo need, not for how the constructs are written.
 */

const prod = () => synthPlatform('prod');
type Container = {
  Name: string;
  MountPoints?: unknown[];
  Command?: string[];
  Environment?: Array<{ Name: string; Value: unknown }>;
  Secrets?: Array<{ Name: string; ValueFrom: unknown }>;
  Memory?: number;
  User?: string;
  LogConfiguration?: { Options?: Record<string, unknown> };
};

function taskDefinition(template: Template, containerName: string) {
  const found = Object.entries(resourcesOf(template, 'AWS::ECS::TaskDefinition')).find(([, t]) =>
    (t.Properties?.ContainerDefinitions as Container[]).some((c) => c.Name === containerName),
  );
  if (!found) throw new Error(`no task definition with a ${containerName} container`);
  const [id, resource] = found;
  const containers = resource.Properties?.ContainerDefinitions as Container[];
  return {
    id,
    props: resource.Properties as Record<string, unknown>,
    container: containers.find((c) => c.Name === containerName) as Container,
    containers,
  };
}

function byPrefix(resources: CfnResources, prefix: string) {
  const found = Object.entries(resources).find(([id]) => id.startsWith(prefix));
  if (!found) throw new Error(`no resource ${prefix}*`);
  return { id: found[0], ...found[1] } as {
    id: string;
    Type: string;
    Properties?: Record<string, unknown>;
    DependsOn?: string[];
  };
}

describe('Odoo: shared state on EFS', () => {
  test('every Odoo task mounts the encrypted file system at /var/lib/odoo through the access point, IAM-authorised, over TLS', () => {
    const { workloads, data } = prod();
    const odoo = taskDefinition(workloads, 'odoo');
    expect(odoo.container.MountPoints).toEqual([
      { ContainerPath: ODOO_DATA_DIR, SourceVolume: 'filestore', ReadOnly: false },
    ]);
    const [volume] = odoo.props.Volumes as Array<{
      Name: string;
      EFSVolumeConfiguration: Record<string, unknown>;
    }>;
    expect(volume).toMatchObject({
      Name: 'filestore',
      EFSVolumeConfiguration: {
        TransitEncryption: 'ENABLED',
        AuthorizationConfig: { IAM: 'ENABLED', AccessPointId: expect.anything() },
      },
    });
    data.hasResourceProperties('AWS::EFS::FileSystem', { Encrypted: true, KmsKeyId: Match.anyValue() });
    data.hasResourceProperties('AWS::EFS::AccessPoint', {
      RootDirectory: {
        Path: '/odoo',
        CreationInfo: { OwnerUid: '101', OwnerGid: '101', Permissions: '750' },
      },
      PosixUser: { Uid: '101', Gid: '101' },
    });
  });

  test("the file system's policy allows nobody by itself and refuses clients without TLS", () => {
    const [fileSystem] = Object.values(resourcesOf(prod().data, 'AWS::EFS::FileSystem'));
    const statements = (
      fileSystem?.Properties?.FileSystemPolicy as { Statement: Array<Record<string, unknown>> }
    ).Statement;
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  test('the task role may mount and write only through the access point', () => {
    const statements = Object.values(resourcesOf(prod().workloads, 'AWS::IAM::Policy')).flatMap(
      (p) => (p.Properties?.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
    );
    const mount = statements.filter((s) =>
      JSON.stringify(s.Action).includes('elasticfilesystem:ClientMount'),
    );
    expect(mount.length).toBeGreaterThan(0);
    for (const s of mount) {
      expect(s.Condition).toEqual({
        StringEquals: { 'elasticfilesystem:AccessPointArn': expect.anything() },
      });
    }
  });

  test('the heartbeat sidecar writes into the same file system; the service keeps no stickiness', () => {
    const odoo = taskDefinition(prod().workloads, 'odoo');
    const heartbeat = odoo.containers.find((c) => c.Name === 'filestore-heartbeat');
    expect(heartbeat).toMatchObject({
      Essential: false,
      MountPoints: [expect.objectContaining({ ContainerPath: ODOO_DATA_DIR })],
    });
    for (const group of Object.values(
      resourcesOf(prod().workloads, 'AWS::ElasticLoadBalancingV2::TargetGroup'),
    )) {
      const attributes =
        (group.Properties?.TargetGroupAttributes as Array<{ Key: string; Value: string }>) ?? [];
      expect(attributes).not.toContainEqual({ Key: 'stickiness.enabled', Value: 'true' });
    }
  });
});

describe('Odoo: configured for a fleet', () => {
  test('prefork workers from the task size, gevent port, proxy mode and limits in the command (prod: 9 workers)', () => {
    const { Command } = taskDefinition(prod().workloads, 'odoo').container;
    expect(Command?.slice(0, 2)).toEqual(['bash', '-ceu']);
    expect(Command).toEqual(
      expect.arrayContaining([
        '--workers=9',
        '--max-cron-threads=2',
        '--gevent-port=8072',
        '--proxy-mode',
        '--db_maxconn=4',
        '--db_maxconn_gevent=16',
        `--limit-memory-hard=${1228 * 1024 * 1024}`,
        `--limit-memory-soft=${982 * 1024 * 1024}`,
        '--limit-time-cpu=60',
        '--limit-time-real=120',
        `--data-dir=${ODOO_DATA_DIR}`,
        '--no-database-list',
      ]),
    );
    // The script hands over to the image's entrypoint, which adds the db_* options and waits for PostgreSQL.
    expect(Command?.[2]).toMatch(/exec \/entrypoint\.sh odoo "\$@"$/);
  });

  test('/websocket is routed to the gevent port on its own target group, health-checked there', () => {
    const { workloads } = prod();
    const groups = resourcesOf(workloads, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    const websocket = byPrefix(groups, 'OdooLoadBalancerHttpsOdooWebsocketGroup');
    expect(websocket.Properties).toMatchObject({
      Port: 8072,
      HealthCheckPort: '8072',
      HealthCheckPath: '/web/health',
      TargetType: 'ip',
    });
    workloads.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      // Odoo's host only: the same listener serves n8n on its own host name.
      Conditions: [
        { Field: 'host-header', HostHeaderConfig: { Values: ['odoo.influencegen.example.com'] } },
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/websocket', '/websocket/*'] } },
      ],
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: websocket.id } }],
    });
    const service = byPrefix(resourcesOf(workloads, 'AWS::ECS::Service'), 'OdooService');
    expect(service.Properties?.LoadBalancers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ContainerName: 'odoo',
          ContainerPort: 8072,
          TargetGroupArn: { Ref: websocket.id },
        }),
        expect.objectContaining({ ContainerName: 'odoo', ContainerPort: 8069 }),
      ]),
    );
  });

  test('the database manager is closed at the ALB too (403), whatever the firewall', () => {
    prod().workloads.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [
        { Field: 'host-header', HostHeaderConfig: { Values: ['odoo.influencegen.example.com'] } },
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/web/database', '/web/database/*'] } },
      ],
      Actions: [
        Match.objectLike({
          Type: 'fixed-response',
          FixedResponseConfig: Match.objectLike({ StatusCode: '403' }),
        }),
      ],
    });
  });

  test('the shipped addon travels in the task definition and unpacks with tar into a valid addon', () => {
    const env = taskDefinition(prod().workloads, 'odoo').container.Environment ?? [];
    const archive = env.find((e) => e.Name === SHIPPED_ADDONS_ENV)?.Value as string;
    expect(archive).toBe(packAddons().toString('base64'));
    expect(packAddons().equals(packAddons())).toBe(true); // deterministic: no spurious redeploys
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'addons-'));
    execFileSync('tar', ['-xz', '-C', dir], { input: Buffer.from(archive, 'base64') });
    for (const addon of fs.readdirSync(ADDONS_SOURCE_DIR)) {
      expect(fs.readFileSync(path.join(dir, addon, '__manifest__.py'), 'utf8')).toBe(
        fs.readFileSync(path.join(ADDONS_SOURCE_DIR, addon, '__manifest__.py'), 'utf8'),
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('deploys keep the fleet', () => {
  test.each(ENVIRONMENT_NAMES)('%s: no ECS service carries DesiredCount', (envName) => {
    for (const template of Object.values(synthPlatform(envName).all)) {
      for (const [id, svc] of Object.entries(resourcesOf(template, 'AWS::ECS::Service'))) {
        expect([id, svc.Properties?.DesiredCount]).toEqual([id, undefined]);
      }
    }
  });

  test("each service is raised to its component's minimum once, on creation, never on update", () => {
    const resources = resourcesOf(prod().workloads, 'Custom::AWS');
    const initial = Object.entries(resources).filter(([id]) => /Initial(DesiredCount|MainCount)/.test(id));
    const counts = initial.map(([id, r]) => {
      const create = JSON.parse(JSON.stringify(r.Properties?.Create)) as unknown;
      expect(r.Properties?.Update).toBeUndefined();
      expect(r.Properties?.Delete).toBeUndefined();
      const text = JSON.stringify(create);
      const owner = id.replace(/InitialMainCount.*/, 'Main').replace(/InitialDesiredCount.*/, '');
      return [owner, Number(/desiredCount\\":(\d+)/.exec(text)?.[1])];
    });
    expect(Object.fromEntries(counts)).toEqual({ Odoo: 2, N8n: 1, N8nMain: 1, Flux: 1 });
  });
});

describe('the init task and the bootstrap, in order', () => {
  test('the Odoo service is created only after the init task ran; the task runs the init script with the admin password from Secrets Manager', () => {
    const { workloads } = prod();
    const run = Object.entries(resourcesOf(workloads)).find(([, r]) => r.Type === 'Custom::OdooInitRun');
    expect(run).toBeDefined();
    const service = byPrefix(resourcesOf(workloads, 'AWS::ECS::Service'), 'OdooService');
    expect(service.DependsOn).toContain(run?.[0]);
    const init = Object.values(resourcesOf(workloads, 'AWS::ECS::TaskDefinition')).find((t) =>
      (t.Properties?.ContainerDefinitions as Container[]).some(
        (c) => c.LogConfiguration?.Options?.['awslogs-stream-prefix'] === 'odoo-init',
      ),
    );
    const container = (init?.Properties?.ContainerDefinitions as Container[])[0] as Container;
    expect(container.Command?.[0]).toBe('bash');
    expect(container.Secrets?.map((x) => x.Name).sort()).toEqual(['ODOO_ADMIN_PASSWORD', 'PASSWORD', 'USER']);
    expect(container.MountPoints).toEqual([
      { ContainerPath: ODOO_DATA_DIR, SourceVolume: 'filestore', ReadOnly: false },
    ]);
    expect(JSON.stringify(container.Command)).not.toMatch(/admin\/admin|--password/);
  });

  test("the database bootstrap runs before the applications' rotations are scheduled", () => {
    const { data } = prod();
    const bootstrap = Object.entries(resourcesOf(data)).find(
      ([, r]) => r.Type === 'Custom::DatabaseBootstrap',
    );
    expect(bootstrap).toBeDefined();
    const schedules = resourcesOf(data, 'AWS::SecretsManager::RotationSchedule');
    const appSchedules = Object.entries(schedules).filter(([id]) => /^(Odoo|N8n)DatabaseSecret/.test(id));
    expect(appSchedules.length).toBe(2);
    for (const [, schedule] of appSchedules) {
      expect((schedule as { DependsOn?: string[] }).DependsOn).toContain(bootstrap?.[0]);
    }
  });
});

describe('database users', () => {
  test('Odoo and n8n read their own secrets; no task definition names the master secret', () => {
    const { workloads, data } = prod();
    const masterId = byPrefix(resourcesOf(data, 'AWS::SecretsManager::Secret'), 'DatabaseSecret').id;
    const text = JSON.stringify(resourcesOf(workloads, 'AWS::ECS::TaskDefinition'));
    expect(text).not.toContain(masterId);
    for (const [container, attachment] of [
      ['odoo', 'PublishOutputRefOdooDatabaseSecretAttachment'],
      ['n8n-main', 'PublishOutputRefN8nDatabaseSecretAttachment'],
      ['n8n-worker', 'PublishOutputRefN8nDatabaseSecretAttachment'],
    ] as const) {
      const secrets = (taskDefinition(workloads, container).container.Secrets ?? []).filter((x) =>
        /^(DB_POSTGRESDB_)?(USER|PASSWORD)$/.test(x.Name),
      );
      expect(secrets.length).toBe(2);
      for (const secret of secrets) expect(JSON.stringify(secret.ValueFrom)).toContain(attachment);
    }
    // Each application secret names the master secret, which the alternating-users rotation uses.
    for (const prefix of ['OdooDatabaseSecret', 'N8nDatabaseSecret']) {
      const secret = byPrefix(resourcesOf(data, 'AWS::SecretsManager::Secret'), prefix);
      expect(JSON.stringify(secret.Properties?.GenerateSecretString)).toContain('masterarn');
    }
  });

  test('every rotation runs in the private subnets and reaches Secrets Manager through the endpoint', () => {
    const { data, network } = prod();
    const apps = Object.values(resourcesOf(data, 'AWS::Serverless::Application'));
    expect(apps).toHaveLength(3);
    const privateSubnets = Object.keys(resourcesOf(network, 'AWS::EC2::Subnet')).filter((id) =>
      id.startsWith('Vpcprivate'),
    );
    expect(privateSubnets).toHaveLength(3);
    for (const app of apps) {
      const parameters = JSON.stringify(app.Properties?.Parameters);
      expect(parameters).toMatch(/vpcSubnetIds.*PublishOutputRefVpcprivateSubnet/);
      expect(parameters).not.toMatch(/databaseSubnet/);
      expect(parameters).toMatch(/endpoint.*PublishOutputRefVpcSecretsManager/);
    }
    const mappings = JSON.stringify(data.toJSON().Mappings);
    // Each rotation maps the serverless application per partition; count the commercial one.
    expect(mappings.match(/arn:aws:serverlessrepo:[^"]*RotationMultiUser/g)).toHaveLength(2);
    expect(mappings.match(/arn:aws:serverlessrepo:[^"]*RotationSingleUser/g)).toHaveLength(1);
    network.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: Match.stringLikeRegexp('secretsmanager'),
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
    });
  });

  test('after a rotation, the services that use the secret are restarted (no task outlives two rotations)', () => {
    const { workloads } = prod();
    const rules = Object.values(resourcesOf(workloads, 'AWS::Events::Rule')).filter((r) =>
      JSON.stringify(r.Properties?.EventPattern).includes('RotationSucceeded'),
    );
    expect(rules).toHaveLength(2);
    const inputs = rules.map((r) =>
      JSON.stringify((r.Properties?.Targets as Array<{ Input: unknown }>)[0]?.Input),
    );
    expect(inputs.some((i) => i.includes('OdooService'))).toBe(true);
    expect(inputs.some((i) => i.includes('N8nWorkerService') && i.includes('N8nMainService'))).toBe(true);
  });
});

describe('the edge', () => {
  test('AWS WAF guards the ALB with the database manager closed, block lists, a rate limit and managed rules', () => {
    const { workloads } = prod();
    const acl = Object.values(resourcesOf(workloads, 'AWS::WAFv2::WebACL'))[0];
    const rules = acl?.Properties?.Rules as Array<{ Name: string; Statement: Record<string, unknown> }>;
    expect(rules.map((r) => r.Name)).toEqual(Object.values(WAF_RULES));
    expect(JSON.stringify(rules[0]?.Statement)).toContain('/web/database');
    const rate = rules.find((r) => r.Name === WAF_RULES.rateLimit)?.Statement;
    expect(rate).toEqual({ RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP' } });
    const common = rules.find((r) => r.Name === WAF_RULES.common)?.Statement as {
      ManagedRuleGroupStatement: unknown;
    };
    expect(common.ManagedRuleGroupStatement).toMatchObject({
      RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
      ScopeDownStatement: {
        NotStatement: { Statement: { ByteMatchStatement: { SearchString: 'n8n.influencegen.example.com' } } },
      },
    });
    // On n8n's host, the body rules its editor's code would trip only count.
    const n8n = rules.find((r) => r.Name === WAF_RULES.commonN8n)?.Statement as {
      ManagedRuleGroupStatement: { RuleActionOverrides: Array<{ Name: string }> };
    };
    expect(n8n.ManagedRuleGroupStatement).toMatchObject({
      Name: 'AWSManagedRulesCommonRuleSet',
      ScopeDownStatement: { ByteMatchStatement: { SearchString: 'n8n.influencegen.example.com' } },
    });
    expect(n8n.ManagedRuleGroupStatement.RuleActionOverrides.map((o) => o.Name)).toEqual(
      expect.arrayContaining(['CrossSiteScripting_BODY', 'SizeRestrictions_BODY']),
    );
    const albId = Object.keys(resourcesOf(workloads, 'AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
    workloads.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { Ref: albId } });
  });

  test("the control plane's block list starts empty and only a dedicated policy may edit it", () => {
    const { workloads } = prod();
    const set = byPrefix(resourcesOf(workloads, 'AWS::WAFv2::IPSet'), 'EdgeFirewallControlPlaneBlockList');
    expect(set.Properties?.Addresses).toEqual([]);
    workloads.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [set.id, 'Arn'] },
          },
        ],
      },
    });
  });
});

describe('Flux at its ceiling', () => {
  test('the group has one host of headroom above the service maximum, the service waits for the capacity-provider association', () => {
    const { workloads } = prod();
    const asg = Object.values(resourcesOf(workloads, 'AWS::AutoScaling::AutoScalingGroup'))[0];
    expect(asg?.Properties).toMatchObject({
      MaxSize: String(COMPONENT_POLICIES['flux-gpu'].capacity.max + 1),
    });
    const association = Object.keys(
      resourcesOf(workloads, 'AWS::ECS::ClusterCapacityProviderAssociations'),
    )[0];
    const service = byPrefix(resourcesOf(workloads, 'AWS::ECS::Service'), 'FluxService');
    expect(service.DependsOn).toContain(association);
    expect(service.Properties?.DeploymentConfiguration).toMatchObject({
      MinimumHealthyPercent: 100,
      MaximumPercent: 200,
    });
  });

  test('tasks cannot reach the host role through IMDS; the container has a hard memory limit and runs unprivileged', () => {
    const { workloads } = prod();
    const template = Object.values(resourcesOf(workloads, 'AWS::EC2::LaunchTemplate'))[0];
    expect(JSON.stringify(template?.Properties?.LaunchTemplateData)).toContain('ECS_AWSVPC_BLOCK_IMDS=true');
    const flux = taskDefinition(workloads, 'flux').container;
    expect(flux).toMatchObject({ Memory: 12288, User: '1000:1000' });
  });
});

describe('hardening', () => {
  test.each(ENVIRONMENT_NAMES)('%s: every log group in every stack is KMS-encrypted', (envName) => {
    for (const template of Object.values(synthPlatform(envName).all)) {
      for (const [id, group] of Object.entries(resourcesOf(template, 'AWS::Logs::LogGroup'))) {
        expect([id, group.Properties?.KmsKeyId]).toEqual([id, expect.anything()]);
      }
    }
  });

  test('public subnets assign no public IPs (only the ALB lives there)', () => {
    for (const [id, subnet] of Object.entries(resourcesOf(prod().network, 'AWS::EC2::Subnet'))) {
      if (id.startsWith('Vpcpublic')) expect(subnet.Properties?.MapPublicIpOnLaunch).toBe(false);
    }
  });

  test('PostgreSQL writes its logs into groups that exist, encrypted, before the instance', () => {
    const { data } = prod();
    const instance = Object.entries(resourcesOf(data, 'AWS::RDS::DBInstance'))[0] as [
      string,
      { DependsOn?: string[] },
    ];
    const groups = Object.entries(resourcesOf(data, 'AWS::Logs::LogGroup')).filter(([, g]) =>
      String(JSON.stringify(g.Properties?.LogGroupName)).includes(
        '/aws/rds/instance/influencegen-prod-postgres/',
      ),
    );
    expect(groups).toHaveLength(2);
    for (const [id] of groups) expect(instance[1].DependsOn).toContain(id);
  });
});

describe('the DNS name', () => {
  test('without a hosted zone: the ALB name is an output for the operator; with one: an alias record', () => {
    prod().workloads.hasOutput('LoadBalancerDnsName', {});
    prod().workloads.resourceCountIs('AWS::Route53::RecordSet', 0);
    const env = {
      ...(ENVIRONMENTS.prod as EnvironmentConfig),
      region: TEST_REGION,
      odoo: {
        ...ENVIRONMENTS.prod.odoo,
        hostedZone: { id: 'Z0123456789ABC', name: 'influencegen.example.com' },
      },
    };
    const platform = buildPlatform(testApp(), validateConfig(env, COMPONENT_POLICIES));
    const workloads = Template.fromStack(platform.workloads);
    workloads.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'odoo.influencegen.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABC',
      AliasTarget: Match.anyValue(),
    });
  });
});
