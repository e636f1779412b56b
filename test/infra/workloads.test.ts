import { Match } from 'aws-cdk-lib/assertions';
import { GPU_MEMORY_GIB, MIN_GPU_MEMORY_GIB } from '../../lib/config/gpu-instance-types';
import { GPU_METRICS_NAMESPACE } from '../../lib/config/gpu-metrics';
import { resourcesOf, synthPlatform } from './synth';

const prod = () => synthPlatform('prod').workloads;

function service(logicalIdPrefix: string) {
  const entry = Object.entries(resourcesOf(prod(), 'AWS::ECS::Service')).find(([id]) =>
    id.startsWith(logicalIdPrefix),
  );
  if (!entry) throw new Error(`no ECS service ${logicalIdPrefix}*`);
  return entry[1].Properties as Record<string, unknown>;
}

describe('WorkloadsStack: cluster', () => {
  test('has Container Insights (enhanced)', () => {
    prod().hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
    });
  });
});

describe('WorkloadsStack: Odoo', () => {
  test('runs on Fargate, no public IPs, rollback on failed deploys; the count is not in the template', () => {
    expect(service('Odoo').DesiredCount).toBeUndefined();
    expect(service('Odoo')).toMatchObject({
      LaunchType: 'FARGATE',
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
      },
    });
  });

  test('is sized from config (seed 000: 4 vCPU, 16 GB in prod)', () => {
    prod().hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '4096',
      Memory: '16384',
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'odoo', Image: 'odoo:18.0' })]),
    });
  });

  test('serves its one database over TLS to PostgreSQL, with the database manager off', () => {
    prod().hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({
          Name: 'odoo',
          Command: Match.arrayWith([
            '--database=odoo',
            '--db-filter=^odoo$',
            '--db_sslmode=require',
            '--proxy-mode',
            '--no-database-list',
          ]),
        }),
      ]),
    });
  });

  test('reads its database credentials from Secrets Manager, never from plain environment', () => {
    prod().hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([
        Match.objectLike({
          Name: 'odoo',
          Secrets: Match.arrayWith([
            Match.objectLike({ Name: 'USER' }),
            Match.objectLike({ Name: 'PASSWORD' }),
          ]),
          Environment: Match.not(Match.arrayWith([Match.objectLike({ Name: 'PASSWORD' })])),
        }),
      ]),
    });
  });

  test('sits behind an internet-facing ALB that drops invalid headers and logs access', () => {
    prod().hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
    });
    const [alb] = Object.values(resourcesOf(prod(), 'AWS::ElasticLoadBalancingV2::LoadBalancer'));
    expect(alb?.Properties?.LoadBalancerAttributes).toEqual(
      expect.arrayContaining([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'deletion_protection.enabled', Value: 'true' },
      ]),
    );
  });

  test('serves HTTPS with a TLS 1.2/1.3 policy and a certificate', () => {
    prod().hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: Match.anyValue() }],
    });
  });

  test('redirects HTTP to HTTPS', () => {
    prod().hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        { Type: 'redirect', RedirectConfig: { Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' } },
      ],
    });
  });

  test('is health-checked on /web/health', () => {
    prod().hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/web/health',
      Port: 8069,
    });
  });

  test('requests a DNS-validated certificate unless one is configured', () => {
    prod().hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'odoo.influencegen.example.com',
      ValidationMethod: 'DNS',
    });
    const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e';
    const withArn = synthPlatform('prod', { region: 'eu-west-1', certificateArn: arn }).workloads;
    // Only n8n's own host name is still requested.
    withArn.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    withArn.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'n8n.influencegen.example.com',
    });
    withArn.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Certificates: [{ CertificateArn: arn }],
    });
  });
});

// n8n in queue mode: test/infra/n8n-queue-mode.test.ts.

describe('WorkloadsStack: generation queue', () => {
  test('is KMS-encrypted and sends jobs that fail three times to an encrypted dead-letter queue', () => {
    const queues = resourcesOf(prod(), 'AWS::SQS::Queue');
    const [dlqId] = Object.keys(queues).filter((id) => id.includes('DeadLetters'));
    prod().hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: Match.anyValue(),
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 3 },
    });
    expect(queues[dlqId as string]?.Properties?.KmsMasterKeyId).toBeDefined();
  });
});

describe('WorkloadsStack: Flux GPU capacity', () => {
  test('hosts launch from a template: ECS GPU-optimized AMI, IMDSv2 only, encrypted root volume', () => {
    prod().hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        ImageId: { Ref: Match.stringLikeRegexp('ecsoptimizedamiamazonlinux2023gpu') },
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true }) })],
      }),
    });
  });

  test(`every instance type has at least ${MIN_GPU_MEMORY_GIB} GiB of GPU memory and capacity is on-demand`, () => {
    const [asg] = Object.values(resourcesOf(prod(), 'AWS::AutoScaling::AutoScalingGroup'));
    const policy = asg?.Properties?.MixedInstancesPolicy as {
      LaunchTemplate: { Overrides: Array<{ InstanceType: string }> };
      InstancesDistribution: { OnDemandPercentageAboveBaseCapacity: number };
    };
    expect(policy.LaunchTemplate.Overrides.length).toBeGreaterThan(0);
    for (const { InstanceType } of policy.LaunchTemplate.Overrides) {
      expect(GPU_MEMORY_GIB[InstanceType]).toBeGreaterThanOrEqual(MIN_GPU_MEMORY_GIB);
    }
    expect(policy.InstancesDistribution.OnDemandPercentageAboveBaseCapacity).toBe(100);
    // One host above the service's maximum of 5: a new revision can roll at the ceiling.
    expect(asg?.Properties).toMatchObject({ MinSize: '1', MaxSize: '6' });
    // No DesiredCapacity: a deploy must not undo what the control plane decided.
    expect(asg?.Properties?.DesiredCapacity).toBeUndefined();
  });

  test('is managed by an ECS capacity provider with managed termination protection', () => {
    prod().hasResourceProperties('AWS::ECS::CapacityProvider', {
      AutoScalingGroupProvider: Match.objectLike({
        ManagedTerminationProtection: 'ENABLED',
        ManagedScaling: Match.objectLike({ Status: 'ENABLED', TargetCapacity: 100 }),
      }),
    });
    prod().hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      NewInstancesProtectedFromScaleIn: true,
    });
  });

  test('the Flux service requires one GPU per task and runs on the capacity provider', () => {
    prod().hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['EC2'],
      ContainerDefinitions: [
        Match.objectLike({ Name: 'flux', ResourceRequirements: [{ Type: 'GPU', Value: '1' }] }),
      ],
    });
    expect(service('FluxService').DesiredCount).toBeUndefined();
    expect(service('FluxService')).toMatchObject({
      CapacityProviderStrategy: [
        { CapacityProvider: { Ref: expect.stringMatching(/^FluxCapacityProvider/) }, Weight: 1 },
      ],
    });
  });

  test("pulls its image from the stack set's ECR repository", () => {
    const [task] = Object.entries(resourcesOf(prod(), 'AWS::ECS::TaskDefinition')).filter(([id]) =>
      id.startsWith('FluxTask'),
    );
    expect(JSON.stringify(task?.[1].Properties?.ContainerDefinitions)).toMatch(/dkr\.ecr.*:1\.0\.0/);
  });

  test('hosts run the CloudWatch agent with the nvidia_gpu section, per instance', () => {
    const [parameter] = Object.values(resourcesOf(prod(), 'AWS::SSM::Parameter'));
    const agent = JSON.parse(parameter?.Properties?.Value as string) as {
      metrics: {
        namespace: string;
        append_dimensions: Record<string, string>;
        metrics_collected: Record<string, { measurement: string[] }>;
      };
    };
    expect(agent.metrics.namespace).toBe(GPU_METRICS_NAMESPACE);
    expect(agent.metrics.append_dimensions.InstanceId).toBe('${aws:InstanceId}');
    expect(agent.metrics.metrics_collected.nvidia_gpu?.measurement).toEqual(
      expect.arrayContaining(['utilization_gpu', 'memory_used', 'memory_total']),
    );
    const [template] = Object.values(resourcesOf(prod(), 'AWS::EC2::LaunchTemplate'));
    const userData = JSON.stringify(template?.Properties?.LaunchTemplateData);
    expect(userData).toContain('amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:');
    expect(userData).toContain('ECS_CLUSTER=');
  });

  test('hosts may publish metrics only to the GPU namespace', () => {
    prod().hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'cloudwatch:PutMetricData',
            Condition: { StringEquals: { 'cloudwatch:namespace': GPU_METRICS_NAMESPACE } },
          }),
        ]),
      },
    });
  });
});
