/**
 * Seed 002's post-scale-up alert (Scale_Up_Ineffective): after a scale-up has reached its new
 * count, is it helping?
 * - Odoo (a web service): CPU still above 85 %, or p95 latency not better than before when it
 *   was at or above the latency rule's threshold. Why the threshold: right-sizing scales out ahead
 *   of a rising load, before latency is a problem; latency that was fine and stays fine while the
 *   load keeps rising is not an ineffective scale-up.
 * - n8n workers (a queue): a worker draining a backlog is meant to run hot, so CPU says nothing;
 *   the scale-up did not help when the workers still hold more jobs than their slots after the new
 *   ones run (jobs still wait). At the maximum, Max_Instances_Reached has already said so.
 */
export const POST_SCALE_CPU_PERCENT = 85;

export interface PostScaleReading {
  readonly cpu: number | null;
  readonly latencyMs: number | null;
  readonly latencyBeforeMs: number | null;
  readonly jobsPerWorker: number | null;
}

export function postScaleProblems(
  component: 'odoo' | 'n8n',
  reading: PostScaleReading,
  limits: {
    /** One worker's slots (n8n): more jobs a worker than this means jobs still wait. */
    readonly slotsPerWorker: number;
    readonly atMaximum: boolean;
    /** Odoo's latency rule threshold: below it before the scale-up, latency was not the problem. */
    readonly latencyThresholdMs: number;
  },
): string[] {
  const problems: string[] = [];
  if (component === 'n8n') {
    const jobs = reading.jobsPerWorker;
    if (jobs !== null && jobs > limits.slotsPerWorker && !limits.atMaximum) {
      problems.push(`still ${jobs.toFixed(1)} jobs a worker (> ${limits.slotsPerWorker} slots: jobs wait)`);
    }
    return problems;
  }
  if (reading.cpu !== null && reading.cpu > POST_SCALE_CPU_PERCENT)
    problems.push(`CPU still ${reading.cpu.toFixed(0)} % (> ${POST_SCALE_CPU_PERCENT} %)`);
  if (
    reading.latencyMs !== null &&
    reading.latencyBeforeMs !== null &&
    reading.latencyBeforeMs >= limits.latencyThresholdMs &&
    reading.latencyMs >= reading.latencyBeforeMs
  ) {
    problems.push(
      `p95 latency ${reading.latencyMs.toFixed(0)} ms, not better than ${reading.latencyBeforeMs.toFixed(0)} ms before`,
    );
  }
  return problems;
}
