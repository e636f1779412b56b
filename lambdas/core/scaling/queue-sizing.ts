import { N8N_QUEUE_SIZING } from '../../../lib/config/components';
import type { ComponentPolicy, ScalingRule } from '../../../lib/config/schema';
import { lastValue, sizedTo, type Proposal } from './sizing';
import type { ScalingInput, Signal } from './types';

/** Jobs waiting plus running per running worker (n8n in queue mode, lib/config/scale-alerts.ts). */
export const QUEUE_SIGNAL = 'workflow-queue-per-worker' satisfies Signal;

/**
 * A worker fleet scaled on its job queue (n8n): how many minutes its queue rules read, and the
 * jobs a worker is sized for and may hold after a scale-in (lib/config/components.ts).
 */
export interface QueueRules {
  readonly windowMinutes: number;
  readonly targetJobsPerWorker: number;
  readonly scaleInMaxJobsPerWorker: number;
}

/** The policy's queue rules, when it scales on n8n's job queue. */
export function queueRules(policy: ComponentPolicy): QueueRules | undefined {
  const rules = policy.rules.filter((r) => r.signal === QUEUE_SIGNAL);
  if (rules.length === 0) return undefined;
  return { windowMinutes: Math.max(...rules.map((r) => r.evaluationPeriods)), ...N8N_QUEUE_SIZING };
}

/**
 * A queue scale-out: enough workers that each holds at most `targetJobsPerWorker`, the jobs being
 * the signal times the workers it was measured over (the alarm's MAX([tasks, 1])). Waiting jobs
 * count as much as running ones, so a backlog is met in one step, as the GPU fleet is sized from
 * its backlog (sizing.ts), and booting workers count (sizedTo), so a scale-out still booting is
 * not repeated.
 */
export function sizeByQueue(input: ScalingInput, queue: QueueRules, rule: ScalingRule): Proposal {
  const { desired, running } = input.fleet;
  const perWorker = lastValue(input.metrics[QUEUE_SIGNAL]);
  if (perWorker === null) return { to: desired + rule.change, rule: rule.id };
  const jobs = perWorker * Math.max(running, 1);
  // Rounded so that 18 jobs at 6 a worker is 3 workers, whatever the division's last bit.
  const needed = Math.ceil(jobs / queue.targetJobsPerWorker - 1e-9);
  return sizedTo(
    needed,
    desired,
    { sizing: 'queue-sizing', triggeredBy: rule.id, units: 'workers' },
    `${formatJobs(jobs)} jobs waiting or running, ${queue.targetJobsPerWorker} a worker`,
  );
}

/**
 * Every scale-in of a fleet with queue rules, whichever rule asks (CPU's included): made only if,
 * at the queue's peak over the queue rules' window, the workers left would hold at most
 * `scaleInMaxJobsPerWorker` each, and held when the queue has no datapoint in that window. Why: a
 * worker's CPU does not show jobs that wait on other services or in the queue, so a CPU scale-in
 * could leave fewer slots than jobs and the queue rule would scale out again minutes later.
 */
export function guardQueueScaleIn(input: ScalingInput, queue: QueueRules, proposal: Proposal): Proposal {
  const { desired, running } = input.fleet;
  const window = queue.windowMinutes;
  const recent = (input.metrics[QUEUE_SIGNAL] ?? []).slice(-window);
  const hold = (why: string): Proposal => ({
    to: desired,
    rule: 'queue-sizing',
    detail: `${proposal.rule} asks for ${proposal.to}, but ${why}`,
  });
  if (recent.length < window || recent.some((v) => v === null))
    return hold(
      `the job queue lacks a datapoint in the last ${window} minutes (CPU does not show the jobs a worker holds)`,
    );
  const peakJobs = Math.max(...(recent as number[])) * Math.max(running, 1);
  const perWorker = peakJobs / Math.max(proposal.to, 1);
  if (perWorker > queue.scaleInMaxJobsPerWorker + 1e-9)
    return hold(
      `${proposal.to} workers would hold ${perWorker.toFixed(1)} jobs each at the queue's peak of the last ${window} minutes (${formatJobs(peakJobs)} jobs; limit ${queue.scaleInMaxJobsPerWorker})`,
    );
  return proposal;
}

function formatJobs(jobs: number): string {
  return Number.isInteger(jobs) ? String(jobs) : jobs.toFixed(1);
}
