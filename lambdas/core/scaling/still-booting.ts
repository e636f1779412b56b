import type { FleetState } from './types';

/**
 * Why a scale-in (a rule's, right-sizing's or the off-peak schedule's) waits: capacity still
 * booting serves nothing yet, so the load measured so far says nothing about what it frees.
 * Undefined once the fleet is what was asked for.
 */
export function stillBooting(fleet: FleetState): string | undefined {
  if (fleet.pending === 0 && fleet.running === fleet.desired) return undefined;
  return `${fleet.desired - fleet.running} of ${fleet.desired} still booting: their load is not measured yet`;
}
