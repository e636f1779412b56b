import * as path from 'node:path';
import { loadConfig } from '../../lib/config';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { N8N_WORKER_CONCURRENCY } from '../../lib/config/n8n';
import { FRONTIER_TARGETS } from '../../sim/metrics/frontier';
import { N8N_JOB_SECONDS } from '../../sim/run/model';
import { loadTrace, TraceError, type Trace } from '../../sim/trace/load-trace';
import {
  defaultUnitCapacity,
  toTwinLoad,
  twinLoadPerRequest,
  twinLoadUnit,
} from '../../sim/trace/trace-units';
import { simulateComponent, type ComponentResult } from '../../sim/run/simulate';
import { summaryTable, writeResults } from '../../sim/write-results';
import { UsageError } from './errors';
import { scaledComponent } from './validate';

/** The environment `ops simulate` uses without `--env`: the one whose scaling is worth judging. */
export const SIMULATE_DEFAULT_ENV = 'prod';

const N8N_DEFAULT = defaultUnitCapacity('n8n', ENVIRONMENTS[SIMULATE_DEFAULT_ENV]) as number;
const GPU_DEFAULT = defaultUnitCapacity('flux-gpu', ENVIRONMENTS[SIMULATE_DEFAULT_ENV]) as number;
const targets = FRONTIER_TARGETS.map((t) => Math.round(t * 100));

/** The defaults and units `ops simulate --help` states (computed from the configuration and the twin). */
export const SIMULATE_HELP = {
  n8nDefault: N8N_DEFAULT,
  gpuDefault: GPU_DEFAULT,
  n8nConcurrency: N8N_WORKER_CONCURRENCY,
  n8nJobSeconds: N8N_JOB_SECONDS,
  frontierTargets: targets,
} as const;

export interface SimulateArgs {
  readonly trace?: string;
  readonly timeColumn?: string;
  readonly valueColumn?: string;
  readonly component?: string;
  readonly unitCapacity?: string;
  readonly from?: string;
  readonly to?: string;
  readonly out?: string;
  readonly frontier?: boolean;
  readonly envName: string;
}

export interface SimulateOutput {
  readonly summary: string;
  readonly report: string;
  readonly table: string;
  /** What the run used, to print before the table: the profile line, and a note when scaling is off. */
  readonly profile: readonly string[];
  readonly result: ComponentResult;
}

/**
 * `ops simulate`: replays any CSV (counts per interval, or one row per request) against the four
 * policies (and with `frontier` the swept baselines and the oracle) and writes summary.json and
 * report.html. `unitCapacity` is the requests per minute one instance serves at 100 % utilisation
 * (sim/trace/trace-units.ts turns the trace into the twin's load).
 */
export async function simulate(args: SimulateArgs): Promise<SimulateOutput> {
  if (!args.trace) throw new UsageError('--trace: a CSV file is required');
  if (!args.timeColumn) throw new UsageError('--time-column: name the column that holds the time');
  const component = scaledComponent(args.component, '--component');
  const given = args.unitCapacity === undefined ? undefined : Number(args.unitCapacity);
  if (given !== undefined && !(given > 0 && Number.isFinite(given)))
    throw new UsageError(`--unit-capacity: ${args.unitCapacity} is not a positive number`);
  const config = loadConfig({ envName: args.envName, region: process.env.AWS_REGION ?? 'eu-west-1' });
  const unitCapacity = given ?? defaultUnitCapacity(component, config.env);
  if (unitCapacity === undefined)
    throw new UsageError(
      `--unit-capacity: required for ${component}: the requests per minute one task serves at 100 % CPU (it has no default)`,
    );
  let trace: Trace;
  try {
    trace = loadTrace(args.trace, {
      timeColumn: args.timeColumn,
      ...(args.valueColumn ? { valueColumn: args.valueColumn } : {}),
      ...(args.from ? { from: args.from } : {}),
      ...(args.to ? { to: args.to } : {}),
      stepSeconds: 60,
    });
  } catch (error) {
    if (error instanceof TraceError) throw new UsageError(error.message.replace(/\s+/g, ' '));
    throw error;
  }

  const perRequest = twinLoadPerRequest(component, unitCapacity, config.env);
  const result = await simulateComponent(
    config,
    component,
    toTwinLoad(component, trace.values, unitCapacity, config.env),
    { frontier: args.frontier === true, start: trace.start },
  );
  const { profile } = result.summary;
  const input = {
    trace: path.basename(args.trace),
    minutes: trace.values.length,
    start: new Date(trace.start * 1000).toISOString(),
    unitCapacity: { requestsPerMinutePerInstance: unitCapacity, default: given === undefined },
    twinLoad: { unit: twinLoadUnit(component, config.env), perRequestPerMinute: perRequest },
  };
  const summary = { ...result.summary, input };
  const outdir = path.resolve(
    args.out ?? path.join('out', 'sim', path.basename(args.trace, path.extname(args.trace))),
  );
  const files = writeResults(
    outdir,
    `InfluenceGen ${component}: ${path.basename(args.trace)}`,
    [{ ...result, summary }],
    [
      `Trace ${args.trace}, ${trace.values.length} minutes from ${input.start}.`,
      `Unit capacity ${unitCapacity} requests/min per instance at 100 % utilisation${given === undefined ? ' (the default)' : ''}: one request a minute is ${round(perRequest)} ${input.twinLoad.unit} in the twin.`,
      `Profile ${profile.env}: ${component} capacity ${profile.capacity.min}..${profile.capacity.max}, automatic scaling ${profile.automaticScaling ? 'on' : 'off'}.`,
      ...(profile.note ? [`Note: ${profile.note}.`] : []),
    ],
  );
  return {
    ...files,
    table: summaryTable([result]),
    profile: [
      `profile: ${profile.env} (automatic scaling ${profile.automaticScaling ? 'on' : 'off'}; ${component} capacity ${profile.capacity.min}..${profile.capacity.max}; unit capacity ${unitCapacity} requests/min per instance)`,
      ...(profile.note ? [`note: ${profile.note}`] : []),
    ],
    result,
  };
}

function round(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}
