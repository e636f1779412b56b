import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ControlPlaneFunction } from '../../lib/constructs/control-plane-function';
import { Workflow } from '../../lib/constructs/workflow';
import { testApp } from './synth';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const ECHO_ENTRY = path.join(FIXTURES, 'lambdas', 'echo', 'index.ts');
const FIXTURE_ASL = path.join(FIXTURES, 'state-machines', 'fixture.asl.json');

function stackWithFunction(context: Record<string, unknown> = {}) {
  const stack = new Stack(testApp(context), 'Test', { env: { region: 'eu-west-1' } });
  const logKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const fn = new ControlPlaneFunction(stack, 'Echo', {
    name: 'echo',
    description: 'fixture',
    logRetentionDays: 30,
    logKey,
    entry: ECHO_ENTRY,
  });
  return { stack, fn, logKey };
}

describe('ControlPlaneFunction', () => {
  const template = Template.fromStack(stackWithFunction().stack);

  test('runs Node.js 24 on arm64 with X-Ray', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
    });
  });

  test('logs JSON to its own encrypted log group with retention', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'WARN',
        LogGroup: { Ref: Match.stringLikeRegexp('^EchoLogs') },
      },
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'echo',
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 30,
      KmsKeyId: Match.anyValue(),
    });
  });

  test('has its own role with no AWS managed policy', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('is bundled by the local esbuild, minified, with the SDK and Powertools inside', () => {
    const { stack } = stackWithFunction({ 'aws:cdk:bundling-stacks': ['**'] });
    const assembly = stack.node.root as unknown as { synth(): { directory: string } };
    const outdir = assembly.synth().directory;
    const bundles = fs
      .readdirSync(outdir)
      .filter((d) => d.startsWith('asset.'))
      .map((d) => path.join(outdir, d, 'index.js'))
      .filter((f) => fs.existsSync(f));
    expect(bundles).toHaveLength(1);
    const code = fs.readFileSync(bundles[0] as string, 'utf8');
    expect(code).toContain('sourceMappingURL=index.js.map');
    expect(code.split('\n').length).toBeLessThan(20); // minified
    expect(code).not.toMatch(/require\("@aws-lambda-powertools/); // bundled, not external
  });
});

describe('Workflow', () => {
  function workflowStack(substitutions: Record<string, string>) {
    const stack = new Stack(testApp(), 'Test', { env: { region: 'eu-west-1' } });
    const logKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new Workflow(stack, 'Fixture', {
      name: 'fixture',
      definitionFile: FIXTURE_ASL,
      substitutions,
      logRetentionDays: 30,
      logKey,
    });
    return stack;
  }

  test('is a Standard state machine with full logging and tracing, from the checked-in file', () => {
    const template = Template.fromStack(
      workflowStack({ EchoFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:echo' }),
    );
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      DefinitionSubstitutions: { EchoFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:echo' },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/fixture-'),
      RetentionInDays: 30,
    });
  });

  test('a placeholder without a value fails synth, naming it', () => {
    expect(() => workflowStack({})).toThrow(/placeholders without values: EchoFunctionArn/);
  });

  test('a value no placeholder uses fails synth, naming it', () => {
    expect(() => workflowStack({ EchoFunctionArn: 'x', TableName: 't' })).toThrow(
      /values no placeholder uses: TableName/,
    );
  });
});
