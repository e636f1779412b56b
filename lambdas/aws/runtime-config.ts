import * as z from 'zod/mini';
import {
  CHANNEL_IDS,
  ENVIRONMENT_NAMES,
  type ChannelId,
  type EnvironmentName,
} from '../../lib/config/constants';
import { WORKFLOW_NAMES, type WorkflowName } from '../../lib/config/naming';
import { acknowledgerArnProblem } from '../core/escalation/acknowledger';

/**
 * The one validated accessor for a function's environment. Read when a handler is first built,
 * not at import, so a missing variable fails that function's invocations with a message naming
 * it instead of crashing every import (and the tests that import the module).
 */
const Arn = z.string().check(z.startsWith('arn:', 'must be an ARN'));

const RuntimeConfigSchema = z.object({
  ENVIRONMENT: z.enum(ENVIRONMENT_NAMES),
  STATE_TABLE: z.string().check(z.minLength(1)),
  CHANNEL_TOPICS: z.partialRecord(z.enum(CHANNEL_IDS), Arn),
  RUNBOOK_BASE_URL: z.url(),
  WORKFLOW_ARNS: z.partialRecord(z.enum(WORKFLOW_NAMES), Arn),
  ACKNOWLEDGERS: z.array(
    z
      .string()
      .check(z.refine((arn) => acknowledgerArnProblem(arn) === undefined, 'must be an IAM role or user ARN')),
  ),
});

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
    throw new Error(`Invalid function configuration: ${name}: must be JSON`);
  }
}

export function readRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const parsed = RuntimeConfigSchema.safeParse({
    ...env,
    CHANNEL_TOPICS: json(env, 'CHANNEL_TOPICS', '{}'),
    WORKFLOW_ARNS: json(env, 'WORKFLOW_ARNS', '{}'),
    ACKNOWLEDGERS: json(env, 'ACKNOWLEDGERS', '[]'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Invalid function configuration: ${issue?.path.map(String).join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const c = parsed.data;
  return {
    environment: c.ENVIRONMENT,
    stateTable: c.STATE_TABLE,
    channelTopics: c.CHANNEL_TOPICS,
    runbookBaseUrl: c.RUNBOOK_BASE_URL,
    workflowArns: c.WORKFLOW_ARNS,
    acknowledgers: c.ACKNOWLEDGERS,
  };
}
