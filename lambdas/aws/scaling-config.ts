import * as z from 'zod/mini';
import { COMPONENT_POLICIES } from '../../lib/config/components';
import type { ComponentId } from '../../lib/config/constants';
import type { ComponentPolicy } from '../../lib/config/schema';
import type { ScalingTargets } from '../core/scaling/queries';

/**
 * The environment's scaling settings, handed to the scaling functions as SCALING_CONFIG (JSON,
 * validated at synth from lib/config; checked again here for shape). The rules themselves are
 * the bundled lib/config/components.ts; only what differs per environment travels.
 */
const Capacity = z.object({ min: z.number(), max: z.number() });
const ScalingConfigSchema = z.object({
  scalingEnabled: z.boolean(),
  aggressiveness: z.enum(['conservative', 'moderate', 'aggressive']),
  capacity: z.object({ odoo: Capacity, n8n: Capacity, 'flux-gpu': Capacity }),
  databaseMaxConnections: z.number(),
  gpu: z.object({
    jobsPerGpuPerMinute: z.number(),
    backlogDrainMinutes: z.number(),
    targetUtilisation: z.number(),
    scaleInMaxUtilisation: z.number(),
  }),
  targets: z.object({
    cluster: z.string(),
    services: z.object({ odoo: z.string(), n8n: z.string(), 'flux-gpu': z.string() }),
    queue: z.string(),
    loadBalancer: z.string(),
    targetGroup: z.string(),
    database: z.string(),
  }),
});

export type ScalingConfig = z.infer<typeof ScalingConfigSchema> & { readonly targets: ScalingTargets };

export function readScalingConfig(env: NodeJS.ProcessEnv = process.env): ScalingConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(env.SCALING_CONFIG ?? '');
  } catch {
    throw new Error('Invalid function configuration: SCALING_CONFIG: must be JSON');
  }
  const parsed = ScalingConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Invalid function configuration: SCALING_CONFIG.${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** The component's policy with this environment's capacity. */
export function policyFor(config: ScalingConfig, component: ComponentId): ComponentPolicy {
  return { ...COMPONENT_POLICIES[component], capacity: config.capacity[component] };
}
