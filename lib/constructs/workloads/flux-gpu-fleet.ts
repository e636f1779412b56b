import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../config';
import { SUBNETS } from '../../config/network';
import { tagComponent } from '../../tags';
import { acknowledgeWildcards, ANY_RESOURCE, GRANT_ACTION_GROUPS } from '../nag';
import { initialDesiredCount } from './initial-desired-count';
import { containerLogs, PRIVATE_ROLLING_SERVICE } from './workload-defaults';
import { GPU_METRICS_NAMESPACE } from '../../config/gpu-metrics';
import { gpuAgentConfig } from './gpu-agent-config';

/** The unprivileged user the Flux serving image runs as (a contract of the image we build). */
export const FLUX_IMAGE_USER = '1000:1000';

export interface FluxGpuFleetProps {
  readonly config: PlatformConfig;
  readonly cluster: ecs.Cluster;
  readonly vpc: ec2.IVpc;
  readonly key: kms.IKey;
  readonly repository: ecr.IRepository;
  readonly generationQueue: sqs.IQueue;
  /** Where generated images are written (generated/*). */
  readonly images: s3.IBucket;
}

/**
 * GPU capacity for Flux LoRA serving: an Auto Scaling group of ECS GPU-optimized hosts (launch
 * template, IMDSv2 only, encrypted root volume, on-demand only as seed 001 says: spot 0 %) behind
 * an ECS capacity provider with managed termination protection, and the Flux service on it, one
 * GPU per task. The capacity provider keeps instances matched to tasks, so the control plane
 * scales the fleet by changing the service's desired count, and an instance running a task is
 * never terminated by a scale-in.
 */
export class FluxGpuFleet extends Construct {
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  readonly capacityProvider: ecs.AsgCapacityProvider;
  readonly service: ecs.Ec2Service;
  readonly launchTemplate: ec2.LaunchTemplate;
  readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: FluxGpuFleetProps) {
    super(scope, id);
    tagComponent(this, 'flux-gpu');
    const { env, components } = props.config;

    const agentConfig = new ssm.StringParameter(this, 'AgentConfig', {
      description: 'CloudWatch agent configuration of the GPU hosts (nvidia_gpu metrics)',
      stringValue: gpuAgentConfig(),
    });

    const hostRole = new iam.Role(this, 'HostRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'GPU hosts: join the ECS cluster and publish GPU metrics',
    });
    agentConfig.grantRead(hostRole);
    hostRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': GPU_METRICS_NAMESPACE } },
      }),
    );
    acknowledgeWildcards(
      hostRole,
      [
        {
          actions: ['cloudwatch:PutMetricData'],
          resources: ANY_RESOURCE,
          conditionKeys: ['cloudwatch:namespace'],
        },
      ],
      'PutMetricData supports no resource-level permissions; it is limited to the GPU namespace by a condition.',
    );
    // The agent resolves ${aws:AutoScalingGroupName} from the instance's tags.
    hostRole.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeTags'], resources: ['*'] }));
    acknowledgeWildcards(
      hostRole,
      [{ actions: ['ec2:DescribeTags'], resources: ANY_RESOURCE }],
      'ec2:DescribeTags supports no resource-level permissions.',
    );

    const hostSecurityGroup = new ec2.SecurityGroup(this, 'HostSecurityGroup', {
      vpc: props.vpc,
      description: 'GPU hosts: no inbound traffic',
    });

    const userData = ec2.UserData.forLinux();
    userData.addCommands(
      // Tasks in awsvpc mode must not reach the instance metadata service (the host role's
      // credentials); aws-cdk-lib adds the same line for bridge mode's iptables rule only.
      `grep -q '^ECS_AWSVPC_BLOCK_IMDS=true$' /etc/ecs/ecs.config 2>/dev/null || echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config`,
      'dnf install -y amazon-cloudwatch-agent',
      `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:${agentConfig.parameterName}`,
    );

    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage: ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.GPU),
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      detailedMonitoring: true,
      role: hostRole,
      securityGroup: hostSecurityGroup,
      userData,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(env.flux.rootVolumeGiB, {
            encrypted: true,
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            deleteOnTermination: true,
          }),
        },
      ],
    });

    const capacity = components['flux-gpu'].capacity;
    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'Hosts', {
      vpc: props.vpc,
      vpcSubnets: { subnetGroupName: SUBNETS.private },
      mixedInstancesPolicy: {
        launchTemplate: this.launchTemplate,
        launchTemplateOverrides: env.flux.instanceTypes.map((t) => ({
          instanceType: new ec2.InstanceType(t),
        })),
        instancesDistribution: {
          onDemandPercentageAboveBaseCapacity: 100,
          onDemandAllocationStrategy: autoscaling.OnDemandAllocationStrategy.PRIORITIZED,
        },
      },
      minCapacity: capacity.min,
      // One more host than the service's maximum: a new task revision rolls at the ceiling (100 %
      // minimum healthy, one GPU per task) because the replacement task has a host to start on;
      // managed scaling returns the extra host once the old task stops.
      maxCapacity: capacity.max + env.flux.deployHeadroomHosts,
      // GPU hosts take 5-8 minutes to boot and load the model.
      healthChecks: autoscaling.HealthChecks.ec2({ gracePeriod: Duration.minutes(10) }),
      defaultInstanceWarmup: Duration.minutes(8),
      // Hosts in service, one-minute, at no charge: the platform dashboard's GPU spend reads it.
      groupMetrics: [
        new autoscaling.GroupMetrics(
          autoscaling.GroupMetric.IN_SERVICE_INSTANCES,
          autoscaling.GroupMetric.DESIRED_CAPACITY,
        ),
      ],
      cooldown: Duration.seconds(components['flux-gpu'].cooldown.scaleUpSeconds),
    });
    Validations.of(this.autoScalingGroup).acknowledge({
      id: 'AwsSolutions-EC26',
      reason:
        'The rule cannot read a mixed-instances launch template; its root volume is encrypted (asserted in test/infra).',
    });
    Validations.of(this.autoScalingGroup).acknowledge({
      id: 'AwsSolutions-AS3',
      reason:
        'Instance launch/terminate events reach the control plane through EventBridge, not ASG SNS notifications.',
    });

    this.capacityProvider = new ecs.AsgCapacityProvider(this, 'CapacityProvider', {
      autoScalingGroup: this.autoScalingGroup,
      enableManagedTerminationProtection: true,
      enableManagedScaling: true,
      enableManagedDraining: true,
      targetCapacityPercent: 100,
    });
    props.cluster.addAsgCapacityProvider(this.capacityProvider);

    const taskDefinition = new ecs.Ec2TaskDefinition(this, 'Task', { networkMode: ecs.NetworkMode.AWS_VPC });
    const logging = containerLogs(this, 'flux-gpu', { key: props.key, retentionDays: env.logRetentionDays });
    this.logGroup = logging.group;
    taskDefinition.addContainer('flux', {
      image: ecs.ContainerImage.fromEcrRepository(props.repository, env.flux.imageTag),
      essential: true,
      logging: logging.driver,
      gpuCount: 1,
      // A hard limit: a leaking worker is stopped by ECS before it starves the host's agent.
      memoryLimitMiB: env.flux.taskMemoryMiB,
      // The Flux image (ours, in ECR) is built to run as this unprivileged user.
      user: FLUX_IMAGE_USER,
      environment: {
        GENERATION_QUEUE_URL: props.generationQueue.queueUrl,
        OUTPUT_BUCKET: props.images.bucketName,
        OUTPUT_PREFIX: 'generated/',
        AWS_REGION: Stack.of(this).region,
      },
    });
    props.generationQueue.grantConsumeMessages(taskDefinition.taskRole);
    props.images.grantPut(taskDefinition.taskRole, 'generated/*');
    acknowledgeWildcards(
      taskDefinition.taskRole,
      [
        GRANT_ACTION_GROUPS.kms,
        // grantPut's actions (s3:Abort* is an action group), on generated/* of the images bucket only.
        {
          actions: [/^s3:(Abort\*|PutObject[A-Za-z]*)$/],
          resources: props.images.arnForObjects('generated/*'),
        },
      ],
      'CDK grant action groups on the generation queue key, and writing under generated/ of the images bucket only.',
    );
    acknowledgeWildcards(
      taskDefinition.obtainExecutionRole(),
      [{ actions: ['ecr:GetAuthorizationToken'], resources: ANY_RESOURCE }],
      'ecr:GetAuthorizationToken supports no resource-level permission; pulls are limited to the Flux repository.',
    );
    Validations.of(taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'Only non-secret settings (queue URL, bucket, region) are plain environment.',
    });

    this.service = new ecs.Ec2Service(this, 'Service', {
      // Tasks carry the service's cost-allocation tags, so the environment's budget sees their spend.
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      cluster: props.cluster,
      taskDefinition,
      // No desiredCount: a deploy leaves the control plane's count alone (see OdooService).
      ...PRIVATE_ROLLING_SERVICE,
      securityGroups: [
        new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
          vpc: props.vpc,
          description: 'Flux serving tasks: outbound only (queue, bucket, n8n callbacks)',
        }),
      ],
      capacityProviderStrategies: [
        { capacityProvider: this.capacityProvider.capacityProviderName, weight: 1 },
      ],
      placementStrategies: [ecs.PlacementStrategy.spreadAcrossInstances()],
    });
    // The cluster's capacity-provider association must exist before the service names the provider
    // (on a first create CloudFormation would otherwise race them and the service can fail). aws-cdk-lib
    // adds the association under the cluster by an aspect at synthesis, so the dependency is on the
    // cluster's whole subtree, which dependencies resolve after the aspects have run.
    this.service.node.addDependency(props.cluster);
    initialDesiredCount(this, 'InitialDesiredCount', {
      cluster: props.cluster,
      service: this.service,
      desiredCount: capacity.min,
    });

    // What aws-cdk-lib grants an ECS container instance's role when the group joins the cluster
    // (the content of AmazonEC2ContainerServiceforEC2Role, narrowed to the cluster where ECS can).
    acknowledgeWildcards(
      hostRole,
      [
        {
          actions: [
            'ecs:DiscoverPollEndpoint',
            'ecr:GetAuthorizationToken',
            'ec2:DescribeTags',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
          ],
          resources: ANY_RESOURCE,
        },
        {
          actions: ['ecs:Poll', 'ecs:StartTelemetrySession'],
          resources: ANY_RESOURCE,
          conditionKeys: ['ecs:cluster'],
        },
        {
          actions: ['ecs:Submit*', 'ecs:RegisterContainerInstance', 'ecs:DeregisterContainerInstance'],
          resources: props.cluster.clusterArn,
        },
      ],
      "The ECS agent's actions that the capacity provider adds: DiscoverPollEndpoint, GetAuthorizationToken and DescribeTags support no resource-level permissions, nor do the agent's own log writes; Poll and StartTelemetrySession are limited to this cluster by ecs:cluster; ecs:Submit* (the agent's state-change reports) on this cluster only.",
    );
  }
}
