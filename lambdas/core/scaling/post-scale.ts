/**
 * Seed 002's post-scale-up alert (Scale_Up_Ineffective): after a scale-up has reached its new
 * count, is it helping?
 * - Odoo (a web service): CPU still above 85 %, or p95 latency not better than before.
 * - n8n workers (a queue): a worker draining a backlog is meant to run hot, so CPU says nothing;
 *   the scale-up did not help when the jobs per worker are still above the scale-out threshold
 *   after the new workers run. At the maximum, Max_Instances_Reached has already said so.
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
  queue: { readonly scaleOutJobsPerWorker: number; readonly atMaximum: boolean },
): string[] {
  const problems: string[] = [];
  if (component === 'n8n') {
    const jobs = reading.jobsPerWorker;
    if (jobs !== null && jobs > queue.scaleOutJobsPerWorker && !queue.atMaximum) {
      problems.push(
        `still ${jobs.toFixed(1)} jobs a worker (> ${queue.scaleOutJobsPerWorker}, the scale-out threshold)`,
      );
    }
    return problems;
  }
  if (reading.cpu !== null && reading.cpu > POST_SCALE_CPU_PERCENT)
    problems.push(`CPU still ${reading.cpu.toFixed(0)} % (> ${POST_SCALE_CPU_PERCENT} %)`);
  if (
    reading.latencyMs !== null &&
    reading.latencyBeforeMs !== null &&
    reading.latencyMs >= reading.latencyBeforeMs
  ) {
    problems.push(
      `p95 latency ${reading.latencyMs.toFixed(0)} ms, not better than ${reading.latencyBeforeMs.toFixed(0)} ms before`,
    );
  }
  return problems;
}
