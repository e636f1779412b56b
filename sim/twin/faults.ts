import type { ApiFaults } from '../aws/twin-account';

/**
 * AWS faults a scenario injects, by minute of the trace:
 * - `api-throttling`: the control plane's next `calls` UpdateService calls from `atMinute` on fail
 *   with ThrottlingException (the workflow tries 6 times, then records the failure and escalates);
 * - `placement-failure`: ECS cannot place new tasks from `fromMinute` to `toMinute` (no capacity in
 *   the subnets, an image pull failing): they stay pending and start, with their boot delay, after;
 * - `insufficient-gpu-capacity`: EC2 has no GPU instances of the type to launch in that window;
 *   the capacity provider keeps trying, and the task waits for its host as long.
 * Placement and capacity faults are the twin's: every policy meets them. Throttling hits only the
 * control plane's own API calls (the baselines model AWS's internal scalers, which retry unseen).
 */
export type Fault =
  | { readonly kind: 'api-throttling'; readonly atMinute: number; readonly calls: number }
  | { readonly kind: 'placement-failure'; readonly fromMinute: number; readonly toMinute: number }
  | { readonly kind: 'insufficient-gpu-capacity'; readonly fromMinute: number; readonly toMinute: number };

/** Until when (seconds) new tasks cannot start at `seconds`, if a launch fault is in force. */
export function launchesBlockedUntil(faults: readonly Fault[], seconds: number): number | undefined {
  const minute = seconds / 60;
  const active = faults.filter(
    (f) => f.kind !== 'api-throttling' && minute >= f.fromMinute && minute < f.toMinute,
  ) as Array<{ toMinute: number }>;
  return active.length > 0 ? Math.max(...active.map((f) => f.toMinute * 60)) : undefined;
}

/** The API faults of a scenario as the twin's ECS answers them, on the twin's clock. */
export function apiFaults(faults: readonly Fault[], nowSeconds: () => number): ApiFaults {
  const throttles = faults
    .filter((f): f is Extract<Fault, { kind: 'api-throttling' }> => f.kind === 'api-throttling')
    .map((f) => ({ at: f.atMinute * 60, left: f.calls }));
  return {
    updateServiceError() {
      const due = throttles.find((t) => t.at <= nowSeconds() && t.left > 0);
      if (!due) return undefined;
      due.left -= 1;
      return 'ThrottlingException';
    },
  };
}
