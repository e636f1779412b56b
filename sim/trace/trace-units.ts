/**
 * From a trace of requests per minute to the load the twin takes (sim/run/model.ts).
 *
 * `unitCapacity` is the same thing for every component: the requests per minute one instance
 * serves at 100 % utilisation (an Odoo task, an n8n worker with all its slots busy, a GPU host).
 * The twin's own units differ:
 * - odoo: instance units (1 = one task at 100 % CPU): trace / unitCapacity;
 * - n8n: worker units (1 = one worker with every slot busy, concurrency x 60 / N8N_JOB_SECONDS jobs
 *   a minute): trace / unitCapacity;
 * - flux-gpu: generation jobs per minute (a GPU serves flux.jobsPerGpuPerMinute):
 *   trace / unitCapacity GPUs' worth, times jobsPerGpuPerMinute.
 */
import type { ComponentId } from '../../lib/config/constants';
import type { EnvironmentConfig } from '../../lib/config/schema';
import { N8N_JOB_SECONDS } from '../run/model';

type UnitEnv = Pick<EnvironmentConfig, 'flux' | 'n8n'>;

/**
 * The requests per minute one instance serves at 100 % utilisation when the operator does not say:
 * one n8n worker finishes workerConcurrency x 60 / N8N_JOB_SECONDS jobs a minute (40), a GPU
 * jobsPerGpuPerMinute (4), so a trace of jobs per minute is taken as it is. Odoo has none: what a
 * task serves depends on the requests, so the operator must measure and give it.
 */
export function defaultUnitCapacity(component: ComponentId, env: UnitEnv): number | undefined {
  if (component === 'n8n') return (env.n8n.workerConcurrency * 60) / N8N_JOB_SECONDS;
  if (component === 'flux-gpu') return env.flux.jobsPerGpuPerMinute;
  return undefined;
}

/** What one trace request per minute is in the twin's load units. */
export function twinLoadPerRequest(component: ComponentId, unitCapacity: number, env: UnitEnv): number {
  return convert(component, unitCapacity, env)(1);
}

function convert(component: ComponentId, unitCapacity: number, env: UnitEnv): (requests: number) => number {
  if (!(unitCapacity > 0) || !Number.isFinite(unitCapacity))
    throw new RangeError(`unit capacity must be a positive number, not ${unitCapacity}`);
  const perGpu = env.flux.jobsPerGpuPerMinute;
  // Divide first: a trace of jobs with the default unit capacity stays exactly as it is.
  return component === 'flux-gpu' ? (v) => (v / unitCapacity) * perGpu : (v) => v / unitCapacity;
}

/** The twin's load unit for a component, as the report and the CLI state it. */
export function twinLoadUnit(component: ComponentId, env: UnitEnv): string {
  if (component === 'flux-gpu') return `generation jobs/min (${env.flux.jobsPerGpuPerMinute} per GPU)`;
  if (component === 'n8n')
    return `worker units (1 = one worker with all ${env.n8n.workerConcurrency} slots busy, ${defaultUnitCapacity('n8n', env)} jobs/min)`;
  return 'instance units (1 = one task at 100 % CPU)';
}

/** A trace of requests per minute as the twin's per-minute load for `component`. */
export function toTwinLoad(
  component: ComponentId,
  trace: readonly number[],
  unitCapacity: number,
  env: UnitEnv,
): number[] {
  return trace.map(convert(component, unitCapacity, env));
}
