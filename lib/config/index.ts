import { z } from 'zod';
import { AlertDefinitionSchema, InternalAlarmSchema } from './alert-schema';
import { ALERT_CATALOGUE, INTERNAL_ALARM_CATALOGUE } from './alerts';
import { COMPONENT_POLICIES } from './components';
import { connectionBudget, describeConnectionBudget } from './connection-budget';
import { majorIncidentIssues } from './major-incidents';
import { odooProcessSizing } from './odoo-sizing';
import { ENVIRONMENTS } from './environments';
import {
  COMPONENT_IDS,
  ComponentPolicySchema,
  ENVIRONMENT_NAMES,
  EnvironmentConfigSchema,
  type ComponentId,
  type ComponentPolicy,
  type EnvironmentConfig,
  type EnvironmentName,
} from './schema';

export * from './schema';

export const PROJECT_TAG = 'influencegen';

/** Everything a stack needs, validated: the environment and the policies narrowed to it. */
export interface PlatformConfig {
  readonly env: EnvironmentConfig;
  readonly components: Readonly<Record<ComponentId, ComponentPolicy>>;
}

/** Values that may come from `--context` or the CDK environment rather than the files. */
export interface ConfigInputs {
  readonly envName?: string;
  readonly account?: string;
  readonly region?: string;
  readonly certificateArn?: string;
  readonly odooDomainName?: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Builds and validates the configuration of one environment. Throws a ConfigError whose message
 * names every bad field by its path, so `cdk synth` fails before any template is written.
 */
export function loadConfig(inputs: ConfigInputs = {}): PlatformConfig {
  const envName = inputs.envName ?? 'dev';
  if (!isEnvironmentName(envName)) {
    throw new ConfigError(
      `Unknown environment "${envName}": expected one of ${ENVIRONMENT_NAMES.join(', ')}`,
    );
  }
  const defaults = ENVIRONMENTS[envName];
  if (!inputs.region) {
    throw new ConfigError(
      `Invalid configuration for environment "${envName}":\n  region: required; pass --context region=REGION or set AWS_REGION (the CDK CLI sets CDK_DEFAULT_REGION)`,
    );
  }
  const candidate = {
    ...defaults,
    account: inputs.account,
    region: inputs.region,
    odoo: {
      ...defaults.odoo,
      ...(inputs.certificateArn ? { certificateArn: inputs.certificateArn } : {}),
      ...(inputs.odooDomainName ? { domainName: inputs.odooDomainName } : {}),
    },
  };
  return validateConfig(candidate, COMPONENT_POLICIES);
}

/** Validates a raw environment against the component policies; exported for tests of bad values. */
export function validateConfig(
  rawEnv: unknown,
  rawPolicies: Readonly<Record<ComponentId, unknown>>,
): PlatformConfig {
  const envName = (rawEnv as { name?: unknown } | null)?.name ?? '?';
  const problems: string[] = [];
  const env = EnvironmentConfigSchema.safeParse(rawEnv);
  if (!env.success) problems.push(...describe(env.error, ''));
  // Prod must reach every stakeholder list by SMS and email, and page PagerDuty (docs/major-incidents.md).
  if (env.success)
    problems.push(
      ...majorIncidentIssues(env.data.name, env.data.majorIncidents).map(
        (i) => `majorIncidents.${i.path.join('.')}: ${i.message}`,
      ),
    );

  const components = {} as Record<ComponentId, ComponentPolicy>;
  for (const id of COMPONENT_IDS) {
    const policy = ComponentPolicySchema.safeParse(rawPolicies[id]);
    if (!policy.success) {
      problems.push(...describe(policy.error, `components.${id}.`));
      continue;
    }
    if (policy.data.id !== id) problems.push(`components.${id}.id: must be "${id}"`);
    const capacity = env.success ? env.data.capacity[id] : undefined;
    if (capacity) {
      const path = `capacity.${id}`;
      if (capacity.min > capacity.max) problems.push(`${path}.min: must not exceed ${path}.max`);
      if (capacity.min < policy.data.capacity.min || capacity.max > policy.data.capacity.max) {
        problems.push(
          `${path}: ${capacity.min}..${capacity.max} must lie within the policy's ` +
            `${policy.data.capacity.min}..${policy.data.capacity.max}`,
        );
      }
    }
    if (policy.data.maxScalingRate)
      problems.push(
        `components.${id}.maxScalingRate: set it per environment (scaling.maxScalingRate.${id}), not in the policy`,
      );
    const maxScalingRate = env.success ? env.data.scaling.maxScalingRate?.[id] : undefined;
    components[id] = {
      ...policy.data,
      capacity: capacity ?? policy.data.capacity,
      ...(maxScalingRate ? { maxScalingRate } : {}),
    };
  }

  if (env.success && env.data.database.maxAllocatedStorageGiB < env.data.database.allocatedStorageGiB) {
    problems.push('database.maxAllocatedStorageGiB: must not be below database.allocatedStorageGiB');
  }
  if (env.success && env.data.network.natGateways > env.data.network.availabilityZones.length) {
    problems.push('network.natGateways: must not exceed the number of availabilityZones');
  }
  if (env.success && env.data.name === 'prod' && !env.data.database.multiAz) {
    problems.push('database.multiAz: production must run PostgreSQL Multi-AZ (seed 000)');
  }

  if (env.success) problems.push(...platformFitProblems(env.data, components));
  problems.push(...catalogueSchemaProblems());

  if (problems.length > 0 || !env.success) {
    throw new ConfigError(
      `Invalid configuration for environment "${String(envName)}":\n  ${problems.join('\n  ')}`,
    );
  }
  return { env: env.data, components };
}

/** What must hold between the sizes of the parts: Odoo's processes in its task, connections in PostgreSQL. */
function platformFitProblems(
  env: EnvironmentConfig,
  components: Readonly<Record<ComponentId, ComponentPolicy>>,
): string[] {
  const problems: string[] = [];
  const odoo = odooProcessSizing(env.odoo);
  if (odoo.workers < 1) {
    problems.push(
      `odoo.memoryMiB: ${env.odoo.memoryMiB} MiB leaves no Odoo worker beside ${env.odoo.maxCronThreads} cron ` +
        'and the gevent process at 768 MiB each (lib/config/odoo-sizing.ts); give the task more memory or fewer cron threads',
    );
    return problems;
  }
  if (COMPONENT_IDS.every((id) => components[id])) {
    const budget = connectionBudget(env, components);
    if (!budget.fits) {
      problems.push(
        `database.maxConnections: ${describeConnectionBudget(budget, env.database.maxConnections, env.database.reservedConnections)}`,
      );
    }
  }
  return problems;
}

function describe(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((issue) => `${prefix}${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

function isEnvironmentName(name: string): name is EnvironmentName {
  return (ENVIRONMENT_NAMES as readonly string[]).includes(name);
}

/** The alert catalogue against its schema (the Lambda bundles trust the typed data; synth checks it). */
export function catalogueSchemaProblems(
  alerts: readonly unknown[] = ALERT_CATALOGUE,
  internal: readonly unknown[] = INTERNAL_ALARM_CATALOGUE,
): string[] {
  const problems: string[] = [];
  for (const [schema, entries] of [
    [AlertDefinitionSchema, alerts],
    [InternalAlarmSchema, internal],
  ] as const) {
    for (const entry of entries) {
      const result = schema.safeParse(entry);
      const name = (entry as { name?: unknown }).name ?? '?';
      if (!result.success) problems.push(...describe(result.error, `alerts.${String(name)}.`));
    }
  }
  return problems;
}
