import type { ScalingFlags } from './types';

/** Aggressive: a sized step (already the whole need) grows by half, rounded up. */
export const AGGRESSIVE_SIZED_FACTOR = 1.5;
/** Aggressive: a seed rule's fixed step (+1, +2) doubles. */
export const AGGRESSIVE_FIXED_FACTOR = 2;
/** Conservative: at most this many instances added or removed by one decision. */
export const CONSERVATIVE_MAX_STEP = 1;

export interface ShapedStep {
  readonly to: number;
  readonly guardrail?: 'conservative' | 'aggressive';
}

/**
 * Seed 001's "Aggressiveness" per environment (prod moderate; staging and dev conservative), applied
 * to every automatic step, sized or fixed, before the rate cap and the [floor, max] clamp:
 * - moderate: the step as the rules and right-sizing give it;
 * - conservative: one instance per decision, out and in ("conservative scaling thresholds
 *   initially", seed 001's mitigation of under-provisioning risk, and of thrashing): a sized 1 -> 5
 *   becomes 1 -> 2, and the next step waits for the cooldown and a new decision that measures the
 *   first; a scale-in of 3 at once becomes 1 every scale-in cooldown;
 * - aggressive (no seed environment uses it): a sized scale-out 1.5 times (1 -> 5 asks 1 -> 7,
 *   clamped to the maximum), a fixed step twice; scale-in unchanged, since right-sizing already
 *   releases at once everything the load frees.
 */
export function shapeStep(
  from: number,
  to: number,
  profile: ScalingFlags['aggressiveness'],
  sized: boolean,
): ShapedStep {
  const step = to - from;
  if (profile === 'conservative' && Math.abs(step) > CONSERVATIVE_MAX_STEP)
    return { to: from + Math.sign(step) * CONSERVATIVE_MAX_STEP, guardrail: 'conservative' };
  if (profile === 'aggressive' && step > 0) {
    const grown = sized ? Math.ceil(step * AGGRESSIVE_SIZED_FACTOR) : step * AGGRESSIVE_FIXED_FACTOR;
    return grown > step ? { to: from + grown, guardrail: 'aggressive' } : { to };
  }
  return { to };
}
