import type { StallAssessment } from './types';

export type RemediationStep = 'restart' | 'replace';

export interface RecheckResult {
  readonly status: 'recovered' | 'still-stalled';
  readonly detail: string;
  /** The hosts the step did not repair, still in service: the next step acts on these only. */
  readonly stillStalled: readonly string[];
}

/**
 * Did the step fix the stall? After a task restart, every restarted host must prove it serves:
 * its GPU worked in the window ("idle", still loading or without metrics proves nothing, and a
 * wedged GPU must not cycle through restarts reported as repairs). A host that left service in
 * the meantime is not the workflow's to act on any more. After a replacement, the old hosts must
 * have left service, no host may be stalled, and at least one host must serve: an empty fleet
 * (the new host not up yet) is not a repair.
 */
export function recheck(
  step: RemediationStep,
  targets: readonly string[],
  assessment: StallAssessment,
): RecheckResult {
  const byId = new Map(assessment.instances.map((v) => [v.instanceId, v]));
  if (step === 'restart') {
    const left = targets.filter((id) => !byId.has(id));
    const notBack = targets.filter((id) => byId.has(id) && byId.get(id)?.class !== 'healthy');
    const problems = [
      ...notBack.map((id) => `${id} ${byId.get(id)?.class}: ${byId.get(id)?.reason}`),
      ...left.map((id) => `${id} left service`),
    ];
    return notBack.length === 0
      ? {
          status: 'recovered',
          detail: `after the task restart: ${[...left.map((id) => `${id} left service`), assessment.summary].join('; ')}`,
          stillStalled: [],
        }
      : {
          status: 'still-stalled',
          detail: `after the task restart: ${problems.join('; ')}`,
          stillStalled: notBack,
        };
  }
  const stillInService = targets.filter((id) => byId.has(id));
  const stalled = assessment.instances.filter((v) => v.class === 'stalled');
  const serving = assessment.instances.some((v) => v.class === 'healthy' || v.class === 'idle');
  const problems = [
    ...stillInService.map((id) => `${id} is still in service`),
    ...stalled.map((v) => `${v.instanceId} stalled: ${v.reason}`),
    ...(serving ? [] : [`no host serves yet (${assessment.summary})`]),
  ];
  return problems.length === 0
    ? { status: 'recovered', detail: `after the replacement: ${assessment.summary}`, stillStalled: [] }
    : {
        status: 'still-stalled',
        detail: `after the replacement: ${problems.join('; ')}`,
        stillStalled: [...stillInService, ...stalled.map((v) => v.instanceId)],
      };
}
