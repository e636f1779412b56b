import { type App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { ENVIRONMENT_NAMES, loadConfig } from '../../lib/config';
import {
  acknowledgeWildcards,
  ANY_RESOURCE,
  GRANT_ACTION_GROUPS,
  UNJUSTIFIED_WILDCARD,
  type WildcardAllowance,
} from '../../lib/constructs/nag';
import { buildPlatform, type Platform } from '../../lib/platform';
import { synthWithNag, TEST_REGION, testApp } from './synth';

describe('cdk-nag AwsSolutions', () => {
  test.each(ENVIRONMENT_NAMES)('%s synthesizes with no unacknowledged finding', (envName) => {
    expect(() => synthWithNag(envName)).not.toThrow();
  });

  test('an unacknowledged finding fails synth (the check is live)', () => {
    const app = testApp();
    const stack = new Stack(app, 'Careless', { env: { region: 'eu-west-1' } });
    new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow();
  });
});

interface SynthOutcome {
  /** The message synth failed with ('' when it succeeded). */
  readonly error: string;
  /** cdk-nag AwsSolutions violations left after synthesis: rule id -> construct paths. */
  readonly violations: Record<string, string[]>;
  /** The error annotations of each construct path. */
  readonly errors: Record<string, string[]>;
}

/** Synthesizes with the AwsSolutions pack, then reads what it (and the aspect) left unacknowledged. */
function synthOutcome(app: App): SynthOutcome {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  let error = '';
  try {
    app.synth();
  } catch (e) {
    error = (e as Error).message;
  }
  // The acknowledgements are recorded by then: ask the pack again for the structured report.
  const report = new AwsSolutionsChecks().validateScope(app);
  const violations: Record<string, string[]> = {};
  for (const v of report.violations) {
    violations[v.ruleName] = v.violatingResources.map((r) => r.constructPath ?? '');
  }
  const errors: Record<string, string[]> = {};
  const walk = (c: IConstruct): void => {
    const messages = c.node.metadata.filter((m) => m.type === 'aws:cdk:error').map((m) => String(m.data));
    if (messages.length > 0) errors[c.node.path] = messages;
    c.node.children.forEach(walk);
  };
  walk(app);
  return { error, violations, errors };
}

const DELETE_TABLE = () => new iam.PolicyStatement({ actions: ['dynamodb:DeleteTable'], resources: ['*'] });

function devPlatform(): { app: App; platform: Platform } {
  const app = testApp();
  const platform = buildPlatform(app, loadConfig({ envName: 'dev', region: TEST_REGION }));
  return { app, platform };
}

describe('wildcard acknowledgements are pinned to the statements they justify', () => {
  test('a new action on * of a control-plane function role and of a state machine role fails synth', () => {
    const { app, platform } = devPlatform();
    platform.controlPlane.router.function.role.addToPolicy(DELETE_TABLE());
    platform.controlPlane.scaleDecision.workflow.stateMachine.addToRolePolicy(DELETE_TABLE());
    const outcome = synthOutcome(app);

    const router = `${platform.controlPlane.router.function.role.node.path}/DefaultPolicy/Resource`;
    const machine = `${platform.controlPlane.scaleDecision.workflow.stateMachine.role.node.path}/DefaultPolicy/Resource`;
    expect(outcome.error).toMatch(/AwsSolutions-IAM5\[Resource::\*\]/);
    expect(outcome.violations['AwsSolutions-IAM5[Resource::*]']?.sort()).toEqual([machine, router].sort());
    // Nothing else became unacknowledged.
    expect(Object.keys(outcome.violations)).toEqual(['AwsSolutions-IAM5[Resource::*]']);
    // The failure says which statement and which action to fix.
    for (const path of [router, machine]) {
      expect(outcome.errors[path]).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${UNJUSTIFIED_WILDCARD}: .*no acknowledgeWildcards rule allows dynamodb:DeleteTable on \\*\\.`,
          ),
        ),
      ]);
    }
    expect(Object.keys(outcome.errors).sort()).toEqual([machine, router].sort());
  });

  test('a new action on * of the Flux host role (a workload role) fails synth', () => {
    const { app, platform } = devPlatform();
    const hostRole = platform.workloads.flux.node.findChild('HostRole') as iam.Role;
    hostRole.addToPolicy(DELETE_TABLE());
    const outcome = synthOutcome(app);

    const policy = `${hostRole.node.path}/DefaultPolicy/Resource`;
    expect(outcome.error).toMatch(/AwsSolutions-IAM5\[Resource::\*\]/);
    expect(outcome.violations).toEqual({ 'AwsSolutions-IAM5[Resource::*]': [policy] });
    expect(outcome.errors[policy]).toEqual([expect.stringContaining('allows dynamodb:DeleteTable on *')]);
  });

  test('the same action without its condition is not covered by a rule that requires the condition', () => {
    const { app, platform } = devPlatform();
    // The stall workflow may stop tasks on * only with ecs:cluster.
    platform.controlPlane.stalledGpu.workflow.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['ecs:StopTask'], resources: ['*'] }),
    );
    const outcome = synthOutcome(app);
    const machine = `${platform.controlPlane.stalledGpu.workflow.stateMachine.role.node.path}/DefaultPolicy/Resource`;
    expect(outcome.violations).toEqual({ 'AwsSolutions-IAM5[Resource::*]': [machine] });
  });
});

describe('acknowledgeWildcards (the aspect on a tiny stack)', () => {
  function tiny(): { app: App; stack: Stack; role: iam.Role; policy: string } {
    const app = testApp();
    const stack = new Stack(app, 'Tiny', { env: { region: 'eu-west-1' } });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    return { app, stack, role, policy: 'Tiny/Role/DefaultPolicy/Resource' };
  }
  /** The acknowledgements recorded on one construct: id (as cdk-nag reads it) -> reason. */
  const acknowledged = (stack: Stack, path: string): Record<string, string> =>
    Object.fromEntries(
      stack.node
        .findAll()
        .filter((c) => c.node.path === path)
        .flatMap((c) => c.node.metadata)
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.entries(m.data as Record<string, string>))
        .map(([id, reason]) => [id.replace(/^annotation::/i, ''), reason]),
    );

  test('a covered statement is acknowledged; an uncovered one on the same role is not', () => {
    const { app, stack, role, policy } = tiny();
    const objects = 'arn:aws:s3:::influencegen-test-images/generated/*';
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: ['arn:aws:ssm:eu-west-1:123456789012:parameter/*'],
      }),
    );
    acknowledgeWildcards(
      role,
      [{ actions: ['s3:PutObject'], resources: objects }],
      'Writing generated images.',
    );
    const outcome = synthOutcome(app);

    expect(Object.keys(acknowledged(stack, policy))).toEqual([`AwsSolutions-IAM5[Resource::${objects}]`]);
    expect(outcome.violations).toEqual({
      'AwsSolutions-IAM5[Resource::arn:aws:ssm:eu-west-1:123456789012:parameter/*]': [policy],
    });
    expect(outcome.errors[policy]).toEqual([
      expect.stringContaining(
        'the statement allowing [ssm:GetParameter] on [arn:aws:ssm:eu-west-1:123456789012:parameter/*]',
      ),
    ]);
  });

  test('statements on * are covered action by action: one unlisted action leaves Resource::* open', () => {
    const { app, role, policy } = tiny();
    const xray = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
    role.addToPolicy(new iam.PolicyStatement({ actions: xray, resources: ['*'] }));
    // CDK merges this into the X-Ray statement (same resources, no condition).
    role.addToPolicy(DELETE_TABLE());
    acknowledgeWildcards(role, [{ actions: xray, resources: ANY_RESOURCE }], 'Tracing.');
    const outcome = synthOutcome(app);
    expect(outcome.violations).toEqual({ 'AwsSolutions-IAM5[Resource::*]': [policy] });
    expect(outcome.errors[policy]).toEqual([expect.stringContaining('allows dynamodb:DeleteTable on *')]);
  });

  test('rules of several calls combine on a merged statement, each keeping its reason', () => {
    const { app, stack, role, policy } = tiny();
    role.addToPolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments'], resources: ['*'] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
    acknowledgeWildcards(role, [{ actions: ['xray:PutTraceSegments'], resources: ANY_RESOURCE }], 'Tracing.');
    acknowledgeWildcards(
      role,
      [{ actions: ['cloudwatch:GetMetricData'], resources: ANY_RESOURCE }],
      'Metrics.',
    );
    const outcome = synthOutcome(app);
    expect(outcome).toEqual({ error: '', violations: {}, errors: {} });
    expect(acknowledged(stack, policy)).toEqual({ 'AwsSolutions-IAM5[Resource::*]': 'Tracing. Metrics.' });
  });

  test('a rule that requires a condition key does not cover the statement without it', () => {
    const { app, role, policy } = tiny();
    const cluster = 'arn:aws:ecs:eu-west-1:123456789012:cluster/c';
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:StopTask'],
        resources: ['*'],
        conditions: { ArnEquals: { 'ecs:cluster': cluster } },
      }),
    );
    acknowledgeWildcards(
      role,
      [{ actions: ['ecs:StopTask'], resources: ANY_RESOURCE, conditionKeys: ['ecs:cluster'] }],
      'In one cluster.',
    );
    expect(synthOutcome(app).violations).toEqual({});

    const second = tiny();
    second.role.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:StopTask'], resources: ['*'] }));
    acknowledgeWildcards(
      second.role,
      [{ actions: ['ecs:StopTask'], resources: ANY_RESOURCE, conditionKeys: ['ecs:cluster'] }],
      'In one cluster.',
    );
    expect(synthOutcome(second.app).violations).toEqual({ 'AwsSolutions-IAM5[Resource::*]': [policy] });
  });

  test('a wildcard action is covered only on the resources its rule names (tokens resolved)', () => {
    const { app, stack, role, policy } = tiny();
    const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true });
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'A test queue.' });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:Send*'], resources: [queue.queueArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:Send*'],
        resources: ['arn:aws:sqs:eu-west-1:123456789012:other'],
      }),
    );
    acknowledgeWildcards(
      role,
      [{ actions: ['sqs:Send*'], resources: queue.queueArn }],
      'Sending to the queue.',
    );
    const outcome = synthOutcome(app);
    expect(outcome.violations).toEqual({ 'AwsSolutions-IAM5[Action::sqs:Send*]': [policy] });
    expect(outcome.errors[policy]).toEqual([
      expect.stringContaining('allows sqs:Send* on arn:aws:sqs:eu-west-1:123456789012:other'),
    ]);
  });

  test('finding-id patterns still acknowledge what they name (the RegExp form)', () => {
    const { app, role } = tiny();
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['arn:aws:kms:eu-west-1:123456789012:key/abc'],
      }),
    );
    acknowledgeWildcards(role, [GRANT_ACTION_GROUPS.kms], 'Key grant action group.');
    expect(synthOutcome(app)).toEqual({ error: '', violations: {}, errors: {} });
  });

  test.each<[string, WildcardAllowance]>([
    ['any resource', /^Resource::\*$/],
    ['anything', /.*/],
    ['any action', /^Action::/],
  ])('a finding-id pattern that names nothing (%s) is refused', (_name, pattern) => {
    const { role } = tiny();
    expect(() => acknowledgeWildcards(role, [pattern], 'Everything.')).toThrow(/use a statement rule/);
  });

  test('GRANT_ACTION_GROUPS offers no pattern for any resource or any bucket', () => {
    expect(Object.keys(GRANT_ACTION_GROUPS).sort()).toEqual(['functionVersions', 'kms', 's3']);
  });
});
