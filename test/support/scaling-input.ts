import type { ComponentPolicy } from '../../lib/config/schema';
import type { ScalingInput, Series, Signal } from '../../lambdas/core/scaling/types';

/** Monday morning, the decision's "now" in the engine's tests. */
export const SCALING_NOW = new Date('2026-11-23T10:00:00.000Z');

/** Automatic scaling on, nothing paused, in maintenance or stalled. */
export const SCALING_FLAGS: ScalingInput['flags'] = {
  scalingEnabled: true,
  aggressiveness: 'moderate',
  paused: false,
  stallOpen: false,
};

/** A decision's input: 2 running, no ledger, the flags above; `over` and `metrics` change it. */
export function scalingInput(
  policy: ComponentPolicy,
  over: Partial<ScalingInput> = {},
  metrics: Partial<Record<Signal, Series>> = {},
): ScalingInput {
  return {
    policy,
    metrics,
    fleet: { desired: 2, running: 2, pending: 0 },
    ledger: [],
    flags: SCALING_FLAGS,
    now: SCALING_NOW,
    ...over,
  };
}
