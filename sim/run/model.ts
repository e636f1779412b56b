import type { ComponentId } from '../../lib/config/constants';
import type { ComponentPolicy, EnvironmentConfig } from '../../lib/config/schema';

/**
 * A component as the twin models it. Load is in "instance units": 1 is what one task (or GPU)
 * serves at 100 % CPU; for the GPU fleet the load is generation jobs arriving per minute.
 */
export interface ComponentModel {
  readonly component: ComponentId;
  readonly policy: ComponentPolicy;
  /** Seconds from launch to serving: Fargate about 60 s, a GPU host 5-8 minutes. */
  readonly bootSeconds: number | { readonly min: number; readonly max: number };
  /** Utilisation up to which the latency SLO holds: demand (SPEC-RG's minimal resources) is load / this. */
  readonly sloUtilisation: number;
  readonly baseLatencyMs: number;
  readonly timeoutMs: number;
  /** The environment's Flux settings (flux-gpu only): throughput per GPU and the sizing targets. */
  readonly gpu?: EnvironmentConfig['flux'];
}

export function defaultModel(
  component: ComponentId,
  policy: ComponentPolicy,
  flux: EnvironmentConfig['flux'],
): ComponentModel {
  if (component === 'flux-gpu') {
    return {
      component,
      policy,
      bootSeconds: { min: 300, max: 480 },
      sloUtilisation: 0.9,
      baseLatencyMs: 15_000,
      timeoutMs: 300_000,
      gpu: flux,
    };
  }
  // Seed 002: API p95 under 500 ms; with a 150 ms base, 150 / (1 - 0.7) = 500 ms at 70 % CPU.
  return { component, policy, bootSeconds: 60, sloUtilisation: 0.7, baseLatencyMs: 150, timeoutMs: 30_000 };
}
