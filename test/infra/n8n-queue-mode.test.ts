import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ENVIRONMENT_NAMES } from '../../lib/config';
import { N8N_IMAGE, N8N_QUEUE_METRICS, N8N_VERSION } from '../../lib/config/n8n';
import { N8N_MAIN_CONTAINER, N8N_WORKER_CONTAINER } from '../../lib/constructs/workloads/n8n-service';
import { resourcesOf, synthPlatform, type CfnResources } from './synth';

/**
 * Issue 15's template acceptance: n8n in queue mode as deployed, one main process and scaled
 * workers, its queue store, its database TLS and its queue metrics.
 */
const prod = () => synthPlatform('prod');
type Variable = { Name: string; Value?: unknown; ValueFrom?: unknown };
type Container = {
  Name: string;
  Image: string;
  Command?: string[];
  Environment?: Variable[];
  Secrets?: Variable[];
  StopTimeout?: number;
};

function container(template: Template, name: string): { container: Container; taskId: string } {
  for (const [taskId, task] of Object.entries(resourcesOf(template, 'AWS::ECS::TaskDefinition'))) {
    const found = (task.Properties?.ContainerDefinitions as Container[]).find((c) => c.Name === name);
    if (found) return { container: found, taskId };
  }
  throw new Error(`no container ${name}`);
}
const env = (c: Container) => Object.fromEntries((c.Environment ?? []).map((v) => [v.Name, v.Value]));
const secretNames = (c: Container) => (c.Secrets ?? []).map((s) => s.Name).sort();

function byPrefix(resources: CfnResources, prefix: string) {
  const found = Object.entries(resources).find(([id]) => id.startsWith(prefix));
  if (!found) throw new Error(`no resource ${prefix}*`);
  return { id: found[0], ...found[1] } as {
    id: string;
    Properties?: Record<string, unknown>;
    DependsOn?: string[];
  };
}

describe('n8n: one main process and scaled workers in queue mode', () => {
  test('both run the one pinned version, in queue mode, with the same database, queue and key settings', () => {
    const { workloads } = prod();
    const main = container(workloads, N8N_MAIN_CONTAINER).container;
    const worker = container(workloads, N8N_WORKER_CONTAINER).container;
    expect([main.Image, worker.Image]).toEqual([N8N_IMAGE, N8N_IMAGE]);
    expect(N8N_IMAGE).toBe(`n8nio/n8n:${N8N_VERSION}`);
    expect(main.Command).toEqual(['start']);
    expect(worker.Command).toEqual(['worker', '--concurrency=10']);
    for (const c of [main, worker]) {
      expect(env(c)).toMatchObject({
        EXECUTIONS_MODE: 'queue',
        QUEUE_BULL_REDIS_TLS: 'true',
        DB_TYPE: 'postgresdb',
        DB_POSTGRESDB_DATABASE: 'n8n',
        DB_POSTGRESDB_SSL_ENABLED: 'true',
        DB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED: 'true',
      });
      expect(secretNames(c)).toEqual([
        'DB_POSTGRESDB_PASSWORD',
        'DB_POSTGRESDB_SSL_CA',
        'DB_POSTGRESDB_USER',
        'N8N_ENCRYPTION_KEY',
        'QUEUE_BULL_REDIS_PASSWORD',
      ]);
    }
    // The same encryption key for every process: a worker must decrypt what the main stored.
    const key = (c: Container) =>
      JSON.stringify(c.Secrets?.find((s) => s.Name === 'N8N_ENCRYPTION_KEY')?.ValueFrom);
    expect(key(worker)).toBe(key(main));
  });

  test('the worker service is the scaled component: the control plane scales it, not the main', () => {
    const { workloads, controlPlane } = prod();
    const worker = byPrefix(resourcesOf(workloads, 'AWS::ECS::Service'), 'N8nWorkerService');
    const main = byPrefix(resourcesOf(workloads, 'AWS::ECS::Service'), 'N8nMainService');
    const text = JSON.stringify(controlPlane.toJSON());
    expect(text).toMatch(/PublishOutputFnGetAttN8nWorkerService|influencegen-prod-n8n-worker/);
    expect(text).not.toMatch(/N8nMainService[A-Z0-9]+Name/);
    expect(worker.Properties?.DesiredCount).toBeUndefined();
    expect(main.Properties?.DesiredCount).toBeUndefined();
    // One main process at a time (two would each fire every schedule): a deploy replaces it.
    expect(main.Properties?.DeploymentConfiguration).toMatchObject({
      MinimumHealthyPercent: 0,
      MaximumPercent: 100,
    });
  });

  test.each(ENVIRONMENT_NAMES)('%s: neither n8n service carries DesiredCount', (envName) => {
    for (const [id, svc] of Object.entries(
      resourcesOf(synthPlatform(envName).workloads, 'AWS::ECS::Service'),
    )) {
      if (id.startsWith('N8n')) expect(svc.Properties?.DesiredCount).toBeUndefined();
    }
  });

  test('a worker stopped on scale-in finishes its longest job first', () => {
    const worker = container(prod().workloads, N8N_WORKER_CONTAINER).container;
    const { EXECUTIONS_TIMEOUT, N8N_GRACEFUL_SHUTDOWN_TIMEOUT } = env(worker) as Record<string, string>;
    expect(Number(EXECUTIONS_TIMEOUT)).toBe(100);
    expect(Number(N8N_GRACEFUL_SHUTDOWN_TIMEOUT)).toBeGreaterThanOrEqual(Number(EXECUTIONS_TIMEOUT));
    expect(worker.StopTimeout).toBeGreaterThanOrEqual(Number(N8N_GRACEFUL_SHUTDOWN_TIMEOUT));
    expect(worker.StopTimeout).toBeLessThanOrEqual(120);
  });
});

describe('n8n: the queue store', () => {
  test('ElastiCache Valkey with TLS required, encryption at rest with the key, and an AUTH token from Secrets Manager', () => {
    const { workloads } = prod();
    const [group] = Object.values(resourcesOf(workloads, 'AWS::ElastiCache::ReplicationGroup'));
    expect(group?.Properties).toMatchObject({
      Engine: 'valkey',
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      KmsKeyId: expect.anything(),
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
    });
    expect(JSON.stringify(group?.Properties?.AuthToken)).toContain('{{resolve:secretsmanager:');
  });

  test('reachable only from the n8n tasks, on its port', () => {
    const { workloads } = prod();
    const groups = resourcesOf(workloads, 'AWS::EC2::SecurityGroup');
    const store = byPrefix(groups, 'N8nQueueStoreSecurityGroup');
    const ingress = Object.values(resourcesOf(workloads, 'AWS::EC2::SecurityGroupIngress')).filter(
      (r) =>
        JSON.stringify(r.Properties?.GroupId) === JSON.stringify({ 'Fn::GetAtt': [store.id, 'GroupId'] }),
    );
    expect(ingress).toHaveLength(1);
    expect(ingress[0]?.Properties).toMatchObject({
      FromPort: 6379,
      ToPort: 6379,
      SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^N8nQueueStoreClients/), 'GroupId'] },
    });
    for (const prefix of ['N8nWorkerService', 'N8nMainService']) {
      const service = byPrefix(resourcesOf(workloads, 'AWS::ECS::Service'), prefix);
      expect(JSON.stringify(service.Properties?.NetworkConfiguration)).toMatch(/N8nQueueStoreClients/);
    }
  });
});

describe('n8n: PostgreSQL over verified TLS', () => {
  test('DB_POSTGRESDB_SSL_CA comes from the RDS CA secret, written by a custom resource before either service starts', () => {
    const { workloads } = prod();
    const bundle = Object.entries(resourcesOf(workloads)).find(([, r]) => r.Type === 'Custom::RdsCaBundle');
    expect(bundle).toBeDefined();
    const secretId = byPrefix(
      resourcesOf(workloads, 'AWS::SecretsManager::Secret'),
      'N8nRdsCaBundleSecret',
    ).id;
    for (const name of [N8N_MAIN_CONTAINER, N8N_WORKER_CONTAINER]) {
      const ca = container(workloads, name).container.Secrets?.find((s) => s.Name === 'DB_POSTGRESDB_SSL_CA');
      expect(ca?.ValueFrom).toEqual({ Ref: secretId });
    }
    for (const prefix of ['N8nWorkerService', 'N8nMainService']) {
      expect(byPrefix(resourcesOf(workloads, 'AWS::ECS::Service'), prefix).DependsOn).toContain(bundle?.[0]);
    }
    expect(JSON.stringify(bundle?.[1])).toContain('eu-west-1');
  });
});

describe('n8n: the editor and webhooks through the ALB', () => {
  test('a host rule on the HTTPS listener forwards n8n.DOMAIN to the main process, health-checked on /healthz, with its own certificate', () => {
    const { workloads } = prod();
    const group = byPrefix(
      resourcesOf(workloads, 'AWS::ElasticLoadBalancingV2::TargetGroup'),
      'OdooLoadBalancerHttpsN8nGroup',
    );
    expect(group.Properties).toMatchObject({ Port: 5678, HealthCheckPath: '/healthz', TargetType: 'ip' });
    workloads.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['n8n.influencegen.example.com'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: group.id } }],
    });
    workloads.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerCertificate', {
      Certificates: [{ CertificateArn: { Ref: Match.stringLikeRegexp('^N8nCertificate') } }],
    });
    const main = byPrefix(resourcesOf(workloads, 'AWS::ECS::Service'), 'N8nMainService');
    expect(JSON.stringify(main.Properties?.LoadBalancers)).toContain(group.id);
    expect(env(container(workloads, N8N_MAIN_CONTAINER).container)).toMatchObject({
      WEBHOOK_URL: 'https://n8n.influencegen.example.com/',
      N8N_PROTOCOL: 'https',
      N8N_PROXY_HOPS: '1',
    });
  });
});

describe('n8n: the worker metric pipeline', () => {
  test('the main process exposes the queue metrics and the agent beside it publishes them, labelled with the worker service', () => {
    const { workloads } = prod();
    const { container: main, taskId } = container(workloads, N8N_MAIN_CONTAINER);
    expect(env(main)).toMatchObject({ N8N_METRICS: 'true', N8N_METRICS_INCLUDE_QUEUE_METRICS: 'true' });
    const agent = container(workloads, 'metrics-agent');
    expect(agent.taskId).toBe(taskId);
    const agentEnv = env(agent.container);
    const config = JSON.stringify(agentEnv.CW_CONFIG_CONTENT);
    expect(config).toContain(N8N_QUEUE_METRICS.namespace);
    expect(config).toContain(N8N_QUEUE_METRICS.waiting);
    expect(config).toContain(N8N_QUEUE_METRICS.active);
    const scrape = JSON.stringify(agentEnv.PROMETHEUS_CONFIG_CONTENT);
    expect(scrape).toContain("targets: ['localhost:5678']");
    expect(scrape).toContain('ServiceName: influencegen-prod-n8n-worker');
    const worker = byPrefix(resourcesOf(workloads, 'AWS::ECS::Service'), 'N8nWorkerService');
    expect(worker.Properties?.ServiceName).toBe('influencegen-prod-n8n-worker');
    // Every n8n process migrates the database at start: the workers wait for the main service.
    const mainService = byPrefix(resourcesOf(workloads, 'AWS::ECS::Service'), 'N8nMainService');
    expect(worker.DependsOn).toContain(mainService.id);
  });
});
