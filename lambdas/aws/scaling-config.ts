import * as z from 'zod/mini';
import { readJsonVariable } from './json-variable';
import { COMPONENT_POLICIES } from '../../lib/config/components';
import { AGGRESSIVENESS_LEVELS, COST_PRIORITIES, type ComponentId } from '../../lib/config/constants';
import type { ComponentPolicy } from '../../lib/config/schema';
import type { ScalingTargets } from '../core/scaling/queries';

/**
 * The environment's scaling settings, handed to the scaling functions as SCALING_CONFIG (JSON,
 * validated at synth from lib/config; checked again here for shape). The rules themselves are
 * the bundled lib/config/components.ts; only what differs per environment travels.
 */
const Capacity = z.object({ min: z.number(), max: z.number() });
const Rate = z.object({ instances: z.number(), perSeconds: z.number() });
const ScalingConfigSchema = z.object({
  scalingEnabled: z.boolean(),
  aggressiveness: z.enum(AGGRESSIVENESS_LEVELS),
  /** Seed 001's cost priority; absent (an older deployment's variable) is balanced. */
  costPriority: z.optional(z.enum(COST_PRIORITIES)),
  capacity: z.object({ odoo: Capacity, n8n: Capacity, 'flux-gpu': Capacity }),
  /** Seed 002's rate cap, for the components whose environment keeps it. */
  maxScalingRate: z.object({ odoo: z.optional(Rate), n8n: z.optional(Rate), 'flux-gpu': z.optional(Rate) }),
  databaseMaxConnections: z.number(),
  gpu: z.object({
    jobsPerGpuPerMinute: z.number(),
    backlogDrainMinutes: z.number(),
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
  return readJsonVariable(env, 'SCALING_CONFIG', ScalingConfigSchema);
}

/** The component's policy with this environment's capacity and rate cap. */
export function policyFor(config: ScalingConfig, component: ComponentId): ComponentPolicy {
  const maxScalingRate = config.maxScalingRate[component];
  return {
    ...COMPONENT_POLICIES[component],
    capacity: config.capacity[component],
    ...(maxScalingRate ? { maxScalingRate } : {}),
  };
}
