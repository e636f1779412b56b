import {
  CHANNEL_IDS,
  ENVIRONMENT_NAMES,
  type ChannelId,
  type EnvironmentName,
} from '../../lib/config/constants';
import { WORKFLOW_NAMES, type WorkflowName } from '../../lib/config/naming';
import { acknowledgerArnProblem } from '../core/escalation/acknowledger';

type Path = readonly (string | number)[];

function fail(path: Path, message: string): never {
  throw new Error(`Invalid function configuration: ${path.join('.')}: ${message}`);
}

const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function expected(type: 'string' | 'record' | 'array', value: unknown, path: Path): never {
  return fail(path, `Invalid input: expected ${type}, received ${typeOf(value)}`);
}

function text(value: unknown, path: Path): string {
  return typeof value === 'string' ? value : expected('string', value, path);
}

function oneOf<T extends string>(options: readonly T[], value: unknown, path: Path): T {
  if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T;
  return fail(path, `Invalid option: expected one of ${options.map((o) => JSON.stringify(o)).join('|')}`);
}

/** A JSON object of ARNs keyed by the given names, each optional. */
function arnsBy<K extends string>(
  keys: readonly K[],
  value: unknown,
  name: string,
): Readonly<Partial<Record<K, string>>> {
  if (typeOf(value) !== 'object') expected('record', value, [name]);
  const out: Partial<Record<K, string>> = {};
  for (const [key, arn] of Object.entries(value as Record<string, unknown>)) {
    if (!(keys as readonly string[]).includes(key)) fail([name, key], 'Invalid key in record');
    if (!text(arn, [name, key]).startsWith('arn:')) fail([name, key], 'must be an ARN');
    out[key as K] = arn as string;
  }
  return out;
}

function parse(input: Record<string, unknown>): RuntimeConfig {
  const environment = oneOf(ENVIRONMENT_NAMES, input.ENVIRONMENT, ['ENVIRONMENT']);
  const stateTable = text(input.STATE_TABLE, ['STATE_TABLE']);
  if (stateTable.length < 1) fail(['STATE_TABLE'], 'Too small: expected string to have >=1 characters');
  const channelTopics = arnsBy(CHANNEL_IDS, input.CHANNEL_TOPICS, 'CHANNEL_TOPICS');
  // As zod's z.url(): the URL trimmed, parseable, without the tabs and newlines the parser skips.
  const runbookBaseUrl = text(input.RUNBOOK_BASE_URL, ['RUNBOOK_BASE_URL']).trim();
  if (!URL.canParse(runbookBaseUrl)) fail(['RUNBOOK_BASE_URL'], 'Invalid URL');
  const workflowArns = arnsBy(WORKFLOW_NAMES, input.WORKFLOW_ARNS, 'WORKFLOW_ARNS');
  const acknowledgers = Array.isArray(input.ACKNOWLEDGERS)
    ? (input.ACKNOWLEDGERS as unknown[])
    : expected('array', input.ACKNOWLEDGERS, ['ACKNOWLEDGERS']);
  acknowledgers.forEach((arn, i) => {
    if (acknowledgerArnProblem(text(arn, ['ACKNOWLEDGERS', i])) !== undefined)
      fail(['ACKNOWLEDGERS', i], 'must be an IAM role or user ARN');
  });
  return {
    environment,
    stateTable,
    channelTopics,
    runbookBaseUrl: runbookBaseUrl.replace(/[\t\n\r]/g, ''),
    workflowArns,
    acknowledgers: acknowledgers as string[],
  };
}

export interface RuntimeConfig {
  readonly environment: EnvironmentName;
  readonly stateTable: string;
  readonly channelTopics: Readonly<Partial<Record<ChannelId, string>>>;
  readonly runbookBaseUrl: string;
  readonly workflowArns: Readonly<Partial<Record<WorkflowName, string>>>;
  /**
   * IAM role and user ARNs whose proven identity may acknowledge incidents (the environment's
   * alerts.acknowledgers, account resolved). Absent or empty: nobody may.
   */
  readonly acknowledgers?: readonly string[];
}

function json(env: NodeJS.ProcessEnv, name: string, fallback: string): unknown {
  try {
    return JSON.parse(env[name] ?? fallback) as unknown;
  } catch {
    return fail([name], 'must be JSON');
  }
}

/**
 * The one validated accessor for a function's environment. Read when a handler is first built,
 * not at import, so a missing variable fails that function's invocations with a message naming
 * it instead of crashing every import (and the tests that import the module). Checked by hand,
 * not with zod: this is the only schema of Notify, Resolve, Await-ack and Record, and zod's core
 * is 21 KiB of each (issue 18); test/lambdas/runtime-config.test.ts holds it to the zod schema it
 * replaced.
 */
export function readRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  return parse({
    ...env,
    CHANNEL_TOPICS: json(env, 'CHANNEL_TOPICS', '{}'),
    WORKFLOW_ARNS: json(env, 'WORKFLOW_ARNS', '{}'),
    ACKNOWLEDGERS: json(env, 'ACKNOWLEDGERS', '[]'),
  });
}
