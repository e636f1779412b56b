import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config';
import { SUBNETS } from '../config/network';
import { createPlatformKey } from '../constructs/platform-key';
import { retentionDays } from '../constructs/retention';

export interface NetworkStackProps extends StackProps {
  readonly config: PlatformConfig;
}

/**
 * The VPC: public subnets hold the ALB alone (nothing launched there gets a public address); tasks,
 * GPU hosts and Lambdas run in private subnets with NAT egress; the database lives in isolated
 * subnets with no route out. S3 and DynamoDB traffic stays on gateway endpoints (free, and no NAT
 * charges for backups or the state table). Secrets Manager has an interface endpoint in the private
 * subnets: the rotation functions and the tasks reach it without the internet, and a NAT outage
 * cannot stop a credential rotation half-way.
 */
export class NetworkStack extends Stack {
  readonly vpc: ec2.Vpc;
  /** Encrypts this stack's log groups (flow logs and any function aws-cdk-lib adds here). */
  readonly key: kms.Key;
  readonly secretsManagerEndpoint: ec2.InterfaceVpcEndpoint;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { network, name } = props.config.env;

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(network.cidr),
      availabilityZones: network.availabilityZones.map((letter) => `${props.config.env.region}${letter}`),
      natGateways: network.natGateways,
      restrictDefaultSecurityGroup: true,
      subnetConfiguration: [
        // Only the ALB lives here, and it needs no instance-level public IP setting.
        { name: SUBNETS.public, subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: SUBNETS.private, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: SUBNETS.isolated, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });

    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'SecretsManagerEndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Secrets Manager interface endpoint: HTTPS from inside the VPC only',
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(
      ec2.Peer.ipv4(network.cidr),
      ec2.Port.tcp(443),
      'HTTPS from the VPC',
    );
    this.secretsManagerEndpoint = this.vpc.addInterfaceEndpoint('SecretsManager', {
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      subnets: { subnetGroupName: SUBNETS.private },
      securityGroups: [endpointSecurityGroup],
      privateDnsEnabled: true,
      open: false,
    });

    const flowLogKey = (this.key = createPlatformKey(this, 'FlowLogKey', {
      description: `Encrypts the ${name} VPC flow logs`,
      forLogs: true,
    }));
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: retentionDays(network.flowLogRetentionDays),
      encryptionKey: flowLogKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }
}
