import { z } from 'zod';
import { CHANNEL_IDS, ENVIRONMENT_NAMES, type ChannelId } from '../../lib/config/schema';
import { WORKFLOW_NAMES, type WorkflowName } from '../../lib/config/naming';

/**
 * The one validated accessor for a function's environment. Read when a handler is first built,
 * not at import, so a missing variable fails that function's invocations with a message naming
 * it instead of crashing every import (and the tests that import the module).
 */
const RuntimeConfigSchema = z.object({
  ENVIRONMENT: z.enum(ENVIRONMENT_NAMES),
  STATE_TABLE: z.string().min(1),
  CHANNEL_TOPICS: z
    .string()
    .transform((v) => JSON.parse(v) as unknown)
    .pipe(z.record(z.enum(CHANNEL_IDS), z.string().startsWith('arn:'))),
  RUNBOOK_BASE_URL: z.string().url(),
  WORKFLOW_ARNS: z
    .string()
    .default('{}')
    .transform((v) => JSON.parse(v) as unknown)
    .pipe(z.record(z.enum(WORKFLOW_NAMES), z.string().startsWith('arn:'))),
});

export interface RuntimeConfig {
  readonly environment: (typeof ENVIRONMENT_NAMES)[number];
  readonly stateTable: string;
  readonly channelTopics: Readonly<Partial<Record<ChannelId, string>>>;
  readonly runbookBaseUrl: string;
  readonly workflowArns: Readonly<Partial<Record<WorkflowName, string>>>;
}

export function readRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const parsed = RuntimeConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Invalid function configuration: ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const c = parsed.data;
  return {
    environment: c.ENVIRONMENT,
    stateTable: c.STATE_TABLE,
    channelTopics: c.CHANNEL_TOPICS,
    runbookBaseUrl: c.RUNBOOK_BASE_URL,
    workflowArns: c.WORKFLOW_ARNS,
  };
}
