import { ENVIRONMENT_NAMES } from '../../lib/config';
import { TAG_KEYS } from '../../lib/tags';
import { StackSet } from './references';
import { synthPlatform } from './synth';

/**
 * Invariants that hold for every resource of every environment. Each loops over the synthesized
 * templates, so a resource added later is checked without a new test.
 */
type Resource = { Type: string; Properties?: Record<string, unknown> };

function everyResource(set: StackSet, type?: string): Array<[string, string, Resource]> {
  return set.stackNames.flatMap((stack) =>
    Object.entries(set.resources(stack))
      .filter(([, r]) => !type || r.Type === type)
      .map(([id, r]): [string, string, Resource] => [stack, id, r as Resource]),
  );
}

/** Policies (bucket, queue, topic) of a stack that deny requests without TLS, by target logical id. */
function tlsOnlyTargets(set: StackSet, policyType: string, targetProperty: string): Set<string> {
  const targets = new Set<string>();
  for (const [stack, , policy] of everyResource(set, policyType)) {
    const statements = ((policy.Properties?.PolicyDocument as { Statement?: unknown[] })?.Statement ??
      []) as Array<{
      Effect: string;
      Condition?: { Bool?: Record<string, string> };
    }>;
    const deniesPlainHttp = statements.some(
      (s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
    );
    if (!deniesPlainHttp) continue;
    for (const ref of set.referencedResources(stack, policy.Properties?.[targetProperty] as never)) {
      targets.add(`${ref.stack}/${ref.logicalId}`);
    }
  }
  return targets;
}

describe.each(ENVIRONMENT_NAMES)('invariants of %s', (envName) => {
  const set = new StackSet(synthPlatform(envName).all);

  test('every Lambda function logs to an explicit log group with retention', () => {
    const functions = everyResource(set, 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const [stack, id, fn] of functions) {
      const logGroup = (fn.Properties?.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup;
      expect({ fn: id, hasLogGroup: logGroup !== undefined }).toEqual({ fn: id, hasLogGroup: true });
      const [ref] = set.referencedResources(stack, logGroup as never);
      const group = ref && set.resource(ref);
      expect({ fn: id, type: group?.Type }).toEqual({ fn: id, type: 'AWS::Logs::LogGroup' });
      expect({ fn: id, retention: typeof group?.Properties?.RetentionInDays }).toEqual({
        fn: id,
        retention: 'number',
      });
    }
  });

  test('every log group has a retention period', () => {
    for (const [, id, group] of everyResource(set, 'AWS::Logs::LogGroup')) {
      expect({ id, retention: typeof group.Properties?.RetentionInDays }).toEqual({
        id,
        retention: 'number',
      });
    }
  });

  test('every bucket is encrypted, private and TLS-only', () => {
    const tlsOnly = tlsOnlyTargets(set, 'AWS::S3::BucketPolicy', 'Bucket');
    const buckets = everyResource(set, 'AWS::S3::Bucket');
    expect(buckets.length).toBeGreaterThan(0);
    for (const [stack, id, bucket] of buckets) {
      const encryption = bucket.Properties?.BucketEncryption as {
        ServerSideEncryptionConfiguration?: unknown[];
      };
      expect({ id, encrypted: (encryption?.ServerSideEncryptionConfiguration ?? []).length > 0 }).toEqual({
        id,
        encrypted: true,
      });
      expect({ id, block: bucket.Properties?.PublicAccessBlockConfiguration }).toEqual({
        id,
        block: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      expect({ id, tlsOnly: tlsOnly.has(`${stack}/${id}`) }).toEqual({ id, tlsOnly: true });
    }
  });

  test('every queue is encrypted with KMS and TLS-only', () => {
    const tlsOnly = tlsOnlyTargets(set, 'AWS::SQS::QueuePolicy', 'Queues');
    const queues = everyResource(set, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThan(0);
    for (const [stack, id, queue] of queues) {
      expect({ id, kms: queue.Properties?.KmsMasterKeyId !== undefined }).toEqual({ id, kms: true });
      expect({ id, tlsOnly: tlsOnly.has(`${stack}/${id}`) }).toEqual({ id, tlsOnly: true });
    }
  });

  test('every topic is encrypted with KMS and TLS-only', () => {
    const tlsOnly = tlsOnlyTargets(set, 'AWS::SNS::TopicPolicy', 'Topics');
    const topics = everyResource(set, 'AWS::SNS::Topic');
    expect(topics.length).toBeGreaterThan(0);
    for (const [stack, id, topic] of topics) {
      expect({ id, kms: topic.Properties?.KmsMasterKeyId !== undefined }).toEqual({ id, kms: true });
      expect({ id, tlsOnly: tlsOnly.has(`${stack}/${id}`) }).toEqual({ id, tlsOnly: true });
    }
  });

  test('every table, database, secret, repository and backup vault is encrypted with a customer key', () => {
    const encryptedBy: Record<string, (p: Record<string, unknown>) => unknown> = {
      'AWS::DynamoDB::GlobalTable': (p) => (p.SSESpecification as { SSEType?: string })?.SSEType,
      'AWS::DynamoDB::Table': (p) => (p.SSESpecification as { SSEType?: string })?.SSEType,
      'AWS::RDS::DBInstance': (p) => p.StorageEncrypted && p.KmsKeyId,
      'AWS::SecretsManager::Secret': (p) => p.KmsKeyId,
      'AWS::ECR::Repository': (p) => (p.EncryptionConfiguration as { KmsKey?: unknown })?.KmsKey,
      'AWS::Backup::BackupVault': (p) => p.EncryptionKeyArn,
    };
    let checked = 0;
    for (const [type, encryption] of Object.entries(encryptedBy)) {
      for (const [, id, r] of everyResource(set, type)) {
        checked += 1;
        expect({ id, encrypted: Boolean(encryption(r.Properties ?? {})) }).toEqual({ id, encrypted: true });
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });

  test('every KMS key rotates', () => {
    for (const [, id, key] of everyResource(set, 'AWS::KMS::Key')) {
      expect({ id, rotation: key.Properties?.EnableKeyRotation }).toEqual({ id, rotation: true });
    }
  });

  test("nothing but the ALB (and the NAT gateways that are the public subnets' purpose) sits in a public subnet", () => {
    // Network plumbing that exists to make a subnet public or give private subnets egress.
    const plumbing = new Set([
      'AWS::EC2::Subnet',
      'AWS::EC2::SubnetRouteTableAssociation',
      'AWS::EC2::Route',
      'AWS::EC2::RouteTable',
      'AWS::EC2::NatGateway',
      'AWS::EC2::EIP',
    ]);
    const inPublic: string[] = [];
    for (const [stack, id, r] of everyResource(set)) {
      if (plumbing.has(r.Type)) continue;
      const refs = set.referencedResources(stack, (r.Properties ?? {}) as never);
      if (refs.some((ref) => set.subnetType(ref) === 'Public')) inPublic.push(`${r.Type} ${id}`);
    }
    expect(inPublic).toHaveLength(1);
    expect(inPublic[0]).toMatch(/^AWS::ElasticLoadBalancingV2::LoadBalancer /);
  });

  test("every database subnet group (the database's, the restore tests') uses isolated subnets only", () => {
    const groups = everyResource(set, 'AWS::RDS::DBSubnetGroup');
    expect(groups).toHaveLength(2);
    for (const [stack, , group] of groups) {
      const types = set
        .referencedResources(stack, group.Properties?.SubnetIds as never)
        .map((r) => set.subnetType(r));
      expect(new Set(types)).toEqual(new Set(['Isolated']));
    }
  });

  test("no security group is open to the world, except the ALB's on 443 and 80", () => {
    const albGroups = new Set<string>();
    for (const [stack, , lb] of everyResource(set, 'AWS::ElasticLoadBalancingV2::LoadBalancer')) {
      for (const ref of set.referencedResources(stack, lb.Properties?.SecurityGroups as never)) {
        albGroups.add(`${ref.stack}/${ref.logicalId}`);
      }
    }
    type Rule = { CidrIp?: string; CidrIpv6?: string; FromPort?: number; ToPort?: number; GroupId?: unknown };
    const open: string[] = [];
    const check = (group: string, rule: Rule) => {
      if (rule.CidrIp !== '0.0.0.0/0' && rule.CidrIpv6 !== '::/0') return;
      const allowed =
        albGroups.has(group) && rule.FromPort === rule.ToPort && [443, 80].includes(rule.FromPort ?? -1);
      if (!allowed) open.push(`${group} ${rule.FromPort}-${rule.ToPort}`);
    };
    for (const [stack, id, sg] of everyResource(set, 'AWS::EC2::SecurityGroup')) {
      for (const rule of (sg.Properties?.SecurityGroupIngress ?? []) as Rule[]) check(`${stack}/${id}`, rule);
    }
    for (const [stack, , ingress] of everyResource(set, 'AWS::EC2::SecurityGroupIngress')) {
      const rule = ingress.Properties as Rule;
      const [group] = set.referencedResources(stack, rule.GroupId as never);
      check(group ? `${group.stack}/${group.logicalId}` : 'unknown', rule);
    }
    expect(open).toEqual([]);
    expect(albGroups.size).toBe(1);
  });

  test('every taggable resource carries the cost-allocation tags', () => {
    const missing: string[] = [];
    const tagged = new Set<string>();
    for (const [, id, r] of everyResource(set)) {
      const tags = r.Properties?.Tags;
      if (tags === undefined) continue;
      const keys = Array.isArray(tags)
        ? tags.map((t: { Key: string }) => t.Key)
        : Object.keys(tags as object);
      for (const key of Object.values(TAG_KEYS))
        if (!keys.includes(key)) missing.push(`${r.Type} ${id} lacks ${key}`);
      tagged.add(r.Type);
    }
    expect(missing).toEqual([]);
    for (const type of [
      'AWS::EC2::VPC',
      'AWS::S3::Bucket',
      'AWS::SQS::Queue',
      'AWS::SNS::Topic',
      'AWS::RDS::DBInstance',
      'AWS::ECS::Service',
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'AWS::AutoScaling::AutoScalingGroup',
      'AWS::KMS::Key',
    ]) {
      expect({ type, tagged: tagged.has(type) }).toEqual({ type, tagged: true });
    }
  });
});
