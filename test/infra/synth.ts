import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig, type ConfigInputs, type EnvironmentName } from '../../lib/config';
import { buildPlatform, type Platform } from '../../lib/platform';
import { StackSet } from './references';

const ROOT = path.resolve(__dirname, '..', '..');

/** The feature flags of cdk.json: the CLI passes them to the app, so tests must too. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/** An App as the CLI would build it, minus bundling (infrastructure tests never run esbuild). */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context } });
}

export interface SynthesizedPlatform {
  readonly app: App;
  readonly platform: Platform;
  readonly network: Template;
  readonly data: Template;
  readonly workloads: Template;
  readonly controlPlane: Template;
  /** Every stack's template by stack name. */
  readonly all: Record<string, Template>;
}

const cache = new Map<string, SynthesizedPlatform>();

/** Builds (once per environment and inputs) and synthesizes one environment's stack set. */
export const TEST_REGION = 'eu-west-1';

export function synthPlatform(
  envName: EnvironmentName,
  inputs: Omit<ConfigInputs, 'envName'> = { region: TEST_REGION },
): SynthesizedPlatform {
  const key = JSON.stringify([envName, inputs]);
  const cached = cache.get(key);
  if (cached) return cached;
  const app = testApp();
  const platform = buildPlatform(app, loadConfig({ envName, ...inputs }));
  const t = (stack: { stackName: string }) => Template.fromStack(stack as never);
  const result: SynthesizedPlatform = {
    app,
    platform,
    network: t(platform.network),
    data: t(platform.data),
    workloads: t(platform.workloads),
    controlPlane: t(platform.controlPlane),
    all: {},
  };
  for (const stack of [platform.network, platform.data, platform.workloads, platform.controlPlane]) {
    result.all[stack.stackName] = Template.fromStack(stack);
  }
  cache.set(key, result);
  return result;
}

/** Synthesizes an environment with cdk-nag's AwsSolutions pack, as bin/app.ts does. */
export function synthWithNag(envName: EnvironmentName): void {
  const app = testApp();
  buildPlatform(app, loadConfig({ envName, region: TEST_REGION }));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

export type CfnResources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

export function resourcesOf(template: Template, type?: string): CfnResources {
  const all = template.toJSON().Resources as CfnResources;
  if (!type) return all;
  return Object.fromEntries(Object.entries(all).filter(([, r]) => r.Type === type));
}

/** One IAM policy statement as a template holds it. */
export interface PolicyStatement {
  readonly Action: unknown;
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of every IAM policy of a template. */
export function policyStatements(template: Template): PolicyStatement[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(
    (p) => (p.Properties?.PolicyDocument as { Statement: PolicyStatement[] }).Statement,
  );
}

/** The kinds of resource `value` (from the control-plane template) refers to, cross-stack outputs followed. */
export function kindsReferenced(envName: EnvironmentName, value: unknown): Array<string | undefined> {
  const { all, platform } = synthPlatform(envName);
  const set = new StackSet(all);
  return set
    .referencedResources(platform.controlPlane.stackName, value as never)
    .map((ref) => set.resource(ref)?.Type);
}
