import { Annotations, Aspects, type App, type Environment, type Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { PlatformConfig } from './config';
import { placeholdersIn } from './config/placeholders';
import { ExplicitLambdaLogGroups } from './constructs/explicit-lambda-log-groups';
import { ControlPlaneStack } from './stacks/control-plane-stack';
import { DataStack } from './stacks/data-stack';
import { NetworkStack } from './stacks/network-stack';
import { WorkloadsStack } from './stacks/workloads-stack';
import { tagPlatform } from './tags';

export interface Platform {
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly workloads: WorkloadsStack;
  readonly controlPlane: ControlPlaneStack;
}

/** Stack name prefix: one stack set per environment can live in one account. */
export function stackPrefix(config: PlatformConfig): string {
  return `InfluenceGen-${config.env.name}`;
}

/** The four stacks of one environment, tagged for cost allocation. */
export function buildPlatform(app: App, config: PlatformConfig): Platform {
  const prefix = stackPrefix(config);
  // Without an account the stacks stay account-agnostic: synth needs no credentials.
  const environment: Environment = { account: config.env.account, region: config.env.region };
  const common = { config, env: environment };

  const network = new NetworkStack(app, `${prefix}-Network`, {
    ...common,
    description: `InfluenceGen ${config.env.name}: VPC, subnets, flow logs, gateway endpoints`,
  });
  const data = new DataStack(app, `${prefix}-Data`, {
    ...common,
    vpc: network.vpc,
    secretsManagerEndpoint: network.secretsManagerEndpoint,
    description: `InfluenceGen ${config.env.name}: PostgreSQL, roles, Odoo filestore (EFS), images, backups, Flux image repository`,
  });
  const workloads = new WorkloadsStack(app, `${prefix}-Workloads`, {
    ...common,
    vpc: network.vpc,
    data,
    description: `InfluenceGen ${config.env.name}: ECS cluster, Odoo, n8n, Flux GPU capacity, generation queue`,
  });
  const controlPlane = new ControlPlaneStack(app, `${prefix}-ControlPlane`, {
    ...common,
    data,
    workloads,
    description: `InfluenceGen ${config.env.name}: control plane state, channels and workflows`,
  });
  controlPlane.addStackDependency(workloads, 'the workflows act on the workloads');

  tagPlatform(network, config.env.name, 'network');
  tagPlatform(data, config.env.name, 'data');
  tagPlatform(workloads, config.env.name, 'platform');
  tagPlatform(controlPlane, config.env.name, 'control-plane');
  warnOfPlaceholders(controlPlane, config);
  // Each stack's key encrypts the log groups the aspect adds for aws-cdk-lib's own functions.
  const logKeys = new Map<Stack, kms.IKey>([
    [network, network.key],
    [data, data.key],
    [workloads, workloads.key],
    [controlPlane, controlPlane.key],
  ]);
  Aspects.of(app).add(
    new ExplicitLambdaLogGroups(config.env.logRetentionDays, (stack) => logKeys.get(stack)),
  );

  return { network, data, workloads, controlPlane };
}

/** The warning ID `cdk synth`/`deploy` print, and `--strict` fails on. */
export const PLACEHOLDER_WARNING = '@influencegen/placeholder-config';

/**
 * Documentation placeholders left in the environment (example.com addresses and host names, drama
 * phone numbers) reach nobody: the stacks still synthesise (CI and a first look need them to), and
 * the control-plane stack carries a warning naming every field to replace.
 */
function warnOfPlaceholders(stack: Stack, config: PlatformConfig): void {
  const found = placeholdersIn(config.env);
  if (found.length === 0) return;
  Annotations.of(stack).addWarningV2(
    PLACEHOLDER_WARNING,
    `environment ${config.env.name}: ${found.length} configuration values are documentation placeholders ` +
      `that reach no one (replace them in lib/config or by context before a real deploy): ` +
      found.map((f) => `${f.path}=${f.value}`).join(', '),
  );
}
