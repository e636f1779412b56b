import { SCALING_PROFILES } from '../../../lib/config/components';
import type { ScalingFlags } from './types';

export interface ShapedStep {
  readonly to: number;
  readonly guardrail?: 'conservative' | 'aggressive';
}

/**
 * Seed 001's "Aggressiveness" per environment (prod moderate; staging and dev conservative), applied
 * to every automatic step, sized or fixed, before the rate cap and the [floor, max] clamp (the
 * numbers and their reasons: SCALING_PROFILES in lib/config/components.ts):
 * - moderate: the step as the rules and right-sizing give it;
 * - conservative: one instance per decision, out and in: a sized 1 -> 5 becomes 1 -> 2, and the
 *   next step waits for the cooldown and a new decision that measures the first; a scale-in of 3 at
 *   once becomes 1 every scale-in cooldown;
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
  const { conservativeMaxStep, aggressiveSizedFactor, aggressiveFixedFactor } = SCALING_PROFILES;
  if (profile === 'conservative' && Math.abs(step) > conservativeMaxStep)
    return { to: from + Math.sign(step) * conservativeMaxStep, guardrail: 'conservative' };
  // Both factors exceed 1, so any scale-out grows.
  if (profile === 'aggressive' && step > 0) {
    const grown = sized ? Math.ceil(step * aggressiveSizedFactor) : step * aggressiveFixedFactor;
    return { to: from + grown, guardrail: 'aggressive' };
  }
  return { to };
}
