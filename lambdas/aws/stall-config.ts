import * as z from 'zod/mini';
import { readJsonVariable } from './json-variable';
import type { RemediationBudget } from '../core/gpu/budget';
import type { StallDetection } from '../core/gpu/types';
import type { GpuTargets } from './gpu-fleet';

/**
 * The environment's stalled-GPU settings, handed to the stall functions as STALL_CONFIG (JSON,
 * validated at synth from lib/config gpuStall; checked again here for shape), with the deployed
 * names they read and the incident's subject (the composite alarm's name, so that the alarm's
 * return to OK resolves the incident the workflow opened).
 */
const positive = z.number().check(z.positive());
const StallConfigSchema = z.object({
  detection: z.object({
    windowMinutes: positive,
    minDatapoints: positive,
    taskStartGraceMinutes: positive,
  }),
  budget: z.object({ maxReplacementsPerHour: positive, maxFleetShare: positive }),
  restartWaitSeconds: positive,
  replaceWaitSeconds: positive,
  claimSlackMinutes: positive,
  subject: z.string().check(z.minLength(1)),
  targets: z.object({
    cluster: z.string(),
    service: z.string(),
    capacityProvider: z.string(),
    queue: z.string(),
  }),
});

export interface StallConfig {
  readonly detection: StallDetection;
  readonly budget: RemediationBudget;
  readonly restartWaitSeconds: number;
  readonly replaceWaitSeconds: number;
  readonly claimSlackMinutes: number;
  readonly subject: string;
  readonly targets: GpuTargets;
}

export function readStallConfig(env: NodeJS.ProcessEnv = process.env): StallConfig {
  return readJsonVariable(env, 'STALL_CONFIG', StallConfigSchema);
}
