import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { ENVIRONMENT_NAMES, loadConfig, type EnvironmentName } from '../../lib/config';
import { buildPlatform } from '../../lib/platform';
import { cdkJsonContext, TEST_REGION } from './synth';

/**
 * cfn-lint (AWS's CloudFormation linter, preinstalled on this project's machines; .ci/run checks it)
 * over every synthesized template of every environment. Errors fail the test unless they are one of
 * the documented false positives below (docs/development.md, "cfn-lint"); warnings are printed, not failed.
 */
interface Finding {
  Level: 'Error' | 'Warning' | 'Informational';
  Rule: { Id: string };
  Message: string;
  Filename: string;
  Location: { Path: Array<string | number> };
}

/** cfn-lint's bundled schemas lag the CloudFormation registry that aws-cdk-lib's L1s are generated from. */
export const CFN_LINT_FALSE_POSITIVES: ReadonlyArray<{
  rule: string;
  why: string;
  matches: (f: Finding, type: string) => boolean;
}> = [
  {
    rule: 'E3002',
    why: "Tags on AWS::ElasticLoadBalancingV2::Listener, ::ListenerRule and AWS::CloudWatch::Dashboard: the registry schemas aws-cdk-lib 2.276 is generated from accept them (cfn-lint 1.51's bundled schemas predate that); they carry the cost-allocation tags",
    matches: (f, type) =>
      /'Tags' was unexpected/.test(f.Message) &&
      [
        'AWS::ElasticLoadBalancingV2::Listener',
        'AWS::ElasticLoadBalancingV2::ListenerRule',
        'AWS::CloudWatch::Dashboard',
      ].includes(type),
  },
  {
    rule: 'E1022',
    why: 'Fn::GetStackOutput (the cross-stack reference aws-cdk-lib writes) is an intrinsic cfn-lint 1.51 does not know, so it types it as an object',
    matches: (f) => /Fn::GetStackOutput/.test(f.Message),
  },
];

function cfnLint(): string {
  const found = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error(
      "cfn-lint is not on PATH: it is preinstalled on this project's machines (pip, cfn-lint 1.51); .ci/run checks for it",
    );
  }
  return 'cfn-lint';
}

function synthTo(envName: EnvironmentName): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cfn-lint-${envName}-`));
  const app = new App({ outdir, context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  buildPlatform(app, loadConfig({ envName, region: TEST_REGION }));
  app.synth();
  return outdir;
}

describe('cfn-lint over every synthesized template', () => {
  const bin = cfnLint();

  test.each(ENVIRONMENT_NAMES)('%s: no errors but the documented false positives', (envName) => {
    const outdir = synthTo(envName);
    const templates = fs
      .readdirSync(outdir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => path.join(outdir, f));
    expect(templates).toHaveLength(4);
    // cfn-lint exits non-zero whenever it finds anything; the JSON is the verdict.
    const result = spawnSync(bin, ['-f', 'json', ...templates], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const findings = JSON.parse(result.stdout || '[]') as Finding[];
    const typeOf = (f: Finding) => {
      const template = JSON.parse(fs.readFileSync(f.Filename, 'utf8')) as {
        Resources: Record<string, { Type: string }>;
      };
      return f.Location.Path[0] === 'Resources'
        ? (template.Resources[String(f.Location.Path[1])]?.Type ?? '')
        : '';
    };
    const errors = findings
      .filter((f) => f.Level === 'Error')
      .filter(
        (f) => !CFN_LINT_FALSE_POSITIVES.some((fp) => fp.rule === f.Rule.Id && fp.matches(f, typeOf(f))),
      )
      .map((f) => `${path.basename(f.Filename)} ${f.Location.Path.join('/')}: ${f.Rule.Id} ${f.Message}`);
    const warnings = findings.filter((f) => f.Level === 'Warning');
    console.log(
      `cfn-lint ${envName}: ${findings.filter((f) => f.Level === 'Error').length} errors (all documented false positives unless listed), ${warnings.length} warnings`,
    );
    expect(errors).toEqual([]);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('the linter is real: a template with a genuine error is reported', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-bad-'));
    const file = path.join(dir, 'bad.template.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } } },
      }),
    );
    const result = spawnSync(bin, ['-f', 'json', file], { encoding: 'utf8' });
    const findings = JSON.parse(result.stdout) as Finding[];
    expect(findings.some((f) => f.Level === 'Error')).toBe(true);
    execFileSync('rm', ['-rf', dir]);
  });
});
