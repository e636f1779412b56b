import { NON_RESTORE_MINUTES, RECOVERY_METRICS, RTO_HOURS } from '../../../lib/config/slo';
import type { ResourceId } from '../backup/types';
import { emfDocument } from '../emf';

/**
 * A disaster recovery's projected duration from a restore test: the measured restore plus the
 * steps a restore test does not exercise (lib/config/slo.ts NON_RESTORE_STEPS).
 */
export function projectedRecoveryMinutes(restoreMinutes: number): number {
  return restoreMinutes + NON_RESTORE_MINUTES;
}

export function missesRto(restoreMinutes: number): boolean {
  return projectedRecoveryMinutes(restoreMinutes) > RTO_HOURS * 60;
}

/**
 * The datapoints of one restore test: by Resource (which restore is slow) and without dimensions
 * (the alarm reads the Maximum of every resource's projection: a recovery restores them all).
 */
export function recoveryDocument(
  resource: ResourceId,
  restoreMinutes: number,
  at: Date,
): Record<string, unknown> {
  return emfDocument(
    RECOVERY_METRICS.namespace,
    { Resource: resource },
    [['Resource'], []],
    [
      { name: RECOVERY_METRICS.restore, unit: 'None', value: restoreMinutes },
      { name: RECOVERY_METRICS.projected, unit: 'None', value: projectedRecoveryMinutes(restoreMinutes) },
    ],
    at,
  );
}
