import { Match } from 'aws-cdk-lib/assertions';
import { resourcesOf, synthPlatform } from './synth';

describe('NetworkStack', () => {
  const subnetTypes = (env: 'prod' | 'dev') =>
    Object.values(resourcesOf(synthPlatform(env).network, 'AWS::EC2::Subnet')).map(
      (s) =>
        (s.Properties?.Tags as Array<{ Key: string; Value: string }>).find(
          (t) => t.Key === 'aws-cdk:subnet-type',
        )?.Value,
    );

  test('prod spans three AZs with public, private and isolated subnets in each', () => {
    const types = subnetTypes('prod');
    expect(types.filter((t) => t === 'Public')).toHaveLength(3);
    expect(types.filter((t) => t === 'Private')).toHaveLength(3);
    expect(types.filter((t) => t === 'Isolated')).toHaveLength(3);
  });

  test('dev spans two AZs', () => {
    expect(subnetTypes('dev')).toHaveLength(6);
  });

  test('prod has a NAT gateway per AZ, dev one', () => {
    synthPlatform('prod').network.resourceCountIs('AWS::EC2::NatGateway', 3);
    synthPlatform('dev').network.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('all traffic is flow-logged to an encrypted log group', () => {
    const { network } = synthPlatform('prod');
    network.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    network.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: Match.anyValue(), RetentionInDays: 90 });
  });

  test('S3 and DynamoDB are reached through gateway endpoints', () => {
    const { network } = synthPlatform('prod');
    for (const service of ['s3', 'dynamodb']) {
      network.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`.${service}`])] }),
      });
    }
  });

  test("the default security group's rules are removed", () => {
    synthPlatform('prod').network.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });
});
