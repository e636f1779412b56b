/**
 * The environment the synthesized n8n task definitions give their containers, turned into the
 * environment of a local process: what CloudFormation or Secrets Manager would fill in at deploy
 * time (the database and Redis endpoints, the secrets) is replaced by the local stand-ins, and every
 * other variable is kept exactly as synthesized. Strict: a missing container, a variable the test
 * must replace that the template lacks, a secret or a CloudFormation token it has no stand-in for,
 * each fail with the name, so the test can never run n8n on a configuration other than the
 * template's without saying so.
 */

export type N8nRole = 'main' | 'worker';

/** The container names the Workloads stack gives n8n's two task definitions. */
export const N8N_CONTAINERS: Readonly<Record<N8nRole, string>> = { main: 'n8n-main', worker: 'n8n-worker' };

export interface SynthesizedContainer {
  readonly name: string;
  /** The container's command (the image's entrypoint runs `n8n <command>`). */
  readonly command: readonly string[];
  /** Plain values as synthesized: a string, or a CloudFormation token (an object). */
  readonly environment: Readonly<Record<string, unknown>>;
  /** Names of the variables ECS fills from Secrets Manager. */
  readonly secrets: readonly string[];
}

interface ContainerDefinition {
  Name?: unknown;
  Command?: unknown;
  Environment?: Array<{ Name: string; Value: unknown }>;
  Secrets?: Array<{ Name: string; ValueFrom: unknown }>;
}

interface TemplateJson {
  Resources?: Record<
    string,
    { Type?: string; Properties?: { ContainerDefinitions?: ContainerDefinition[] } }
  >;
}

/** The one container named for `role` among the template's ECS task definitions. */
export function synthesizedContainer(template: unknown, role: N8nRole): SynthesizedContainer {
  const name = N8N_CONTAINERS[role];
  const found = Object.values((template as TemplateJson).Resources ?? {})
    .filter((r) => r.Type === 'AWS::ECS::TaskDefinition')
    .flatMap((r) => r.Properties?.ContainerDefinitions ?? [])
    .filter((c) => c.Name === name);
  if (found.length !== 1) {
    throw new Error(
      `The Workloads template has ${found.length} containers named "${name}"; the test needs exactly 1`,
    );
  }
  const [container] = found as [ContainerDefinition];
  const environment: Record<string, unknown> = {};
  for (const { Name, Value } of container.Environment ?? []) {
    if (Name in environment) throw new Error(`${name}: environment variable ${Name} is set twice`);
    environment[Name] = Value;
  }
  const command = container.Command ?? [];
  if (!Array.isArray(command) || !command.every((part): part is string => typeof part === 'string')) {
    throw new Error(`${name}: Command is not a list of strings: ${JSON.stringify(command)}`);
  }
  return { name, command, environment, secrets: (container.Secrets ?? []).map((s) => s.Name) };
}

export interface LocalStandIns {
  /** Plain variables the template sets to deploy-time or one-host-unfit values, by name. */
  readonly environment: Readonly<Record<string, string>>;
  /** A local value for every secret the container reads. */
  readonly secrets: Readonly<Record<string, string>>;
}

/**
 * The container's environment with the stand-ins in place. Each stand-in must replace a variable
 * the container really has (otherwise the test would be adding configuration, not substituting it),
 * and each token and secret must have a stand-in.
 */
export function localEnvironment(
  container: SynthesizedContainer,
  standIns: LocalStandIns,
): Record<string, string> {
  const problems: string[] = [];
  for (const name of Object.keys(standIns.environment)) {
    if (!(name in container.environment)) problems.push(`${name} is not in its Environment`);
  }
  for (const name of Object.keys(standIns.secrets)) {
    if (!container.secrets.includes(name)) problems.push(`${name} is not in its Secrets`);
  }
  for (const name of container.secrets) {
    if (!(name in standIns.secrets)) problems.push(`secret ${name} has no local stand-in`);
  }
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(container.environment)) {
    const standIn = standIns.environment[name];
    if (standIn !== undefined) result[name] = standIn;
    else if (typeof value === 'string') result[name] = value;
    else problems.push(`${name} is a CloudFormation token (${JSON.stringify(value)}) with no local stand-in`);
  }
  if (problems.length > 0) throw new Error(`${container.name}: ${problems.join('; ')}`);
  return { ...result, ...standIns.secrets };
}

/**
 * Adds what running several n8n processes on one host needs (ports, folders, loopback addresses).
 * These must be variables the template does not set: overriding a deployed setting is a substitution
 * and belongs in the stand-ins, where it is checked to exist.
 */
export function withHostOnly(
  environment: Readonly<Record<string, string>>,
  hostOnly: Readonly<Record<string, string>>,
): Record<string, string> {
  const clashes = Object.keys(hostOnly).filter((name) => name in environment);
  if (clashes.length > 0) {
    throw new Error(
      `The template now sets ${clashes.join(', ')}: replace it as a stand-in, not as a host-only variable`,
    );
  }
  return { ...environment, ...hostOnly };
}

/** The value of a variable the test relies on, failing with its name when the template lacks it. */
export function required(environment: Readonly<Record<string, string>>, name: string): string {
  const value = environment[name];
  if (value === undefined) throw new Error(`The synthesized n8n environment has no ${name}`);
  return value;
}
