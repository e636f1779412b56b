import type { StallAssessment } from './types';

export type RemediationStep = 'restart' | 'replace';

export interface RecheckResult {
  readonly status: 'recovered' | 'still-stalled';
  readonly detail: string;
}

/**
 * Did the step fix the stall? After a task restart, every restarted host must now be healthy
 * (its GPU worked) or idle (nothing waits for it); a host still starting or without metrics has
 * not proved anything. After a replacement, the old hosts must have left service and no host of
 * the fleet may be stalled (the new host is still booting, so it is judged by the next check).
 */
export function recheck(
  step: RemediationStep,
  targets: readonly string[],
  assessment: StallAssessment,
): RecheckResult {
  const byId = new Map(assessment.instances.map((v) => [v.instanceId, v]));
  if (step === 'restart') {
    const notBack = targets.flatMap((id) => {
      const v = byId.get(id);
      if (!v) return [`${id} left service`];
      return v.class === 'healthy' || v.class === 'idle' ? [] : [`${id} ${v.class}: ${v.reason}`];
    });
    return notBack.length === 0
      ? { status: 'recovered', detail: `after the task restart: ${assessment.summary}` }
      : { status: 'still-stalled', detail: `after the task restart: ${notBack.join('; ')}` };
  }
  const stillInService = targets.filter((id) => byId.has(id));
  const stalled = assessment.instances.filter((v) => v.class === 'stalled');
  const problems = [
    ...stillInService.map((id) => `${id} is still in service`),
    ...stalled.map((v) => `${v.instanceId} stalled: ${v.reason}`),
  ];
  return problems.length === 0
    ? { status: 'recovered', detail: `after the replacement: ${assessment.summary}` }
    : { status: 'still-stalled', detail: `after the replacement: ${problems.join('; ')}` };
}
