import type * as z from 'zod/mini';

/**
 * A function's JSON environment variable (SCALING_CONFIG, STALL_CONFIG), parsed and checked for
 * shape. The values were validated at synth from lib/config; a mismatch here means the deployed
 * function and its stack have drifted, and the message names the variable and the field.
 */
export function readJsonVariable<T>(env: NodeJS.ProcessEnv, name: string, schema: z.ZodMiniType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(env[name] ?? '');
  } catch {
    throw new Error(`Invalid function configuration: ${name}: must be JSON`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Invalid function configuration: ${name}.${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
