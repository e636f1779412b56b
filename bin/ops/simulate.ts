import * as path from 'node:path';
import { loadConfig } from '../../lib/config';
import { COMPONENT_IDS, type ComponentId } from '../../lib/config/constants';
import { loadTrace, TraceError } from '../../sim/trace/load-trace';
import { simulateComponent } from '../../sim/run/simulate';
import { summaryTable, writeResults } from '../../sim/write-results';
import { UsageError } from './errors';

export interface SimulateArgs {
  readonly trace?: string;
  readonly timeColumn?: string;
  readonly valueColumn?: string;
  readonly component?: string;
  readonly unitCapacity?: string;
  readonly from?: string;
  readonly to?: string;
  readonly out?: string;
  readonly envName: string;
}

/**
 * `ops simulate --trace FILE.csv --time-column C [--value-column C] --component C
 * [--unit-capacity N] [--from T] [--to T] [--out DIR]`: replays any CSV (counts per interval, or
 * one row per request) against the four policies and writes summary.json and report.html.
 * `--unit-capacity` is how much of the trace's unit one task (or GPU: jobs per minute) serves.
 */
export async function simulate(
  args: SimulateArgs,
): Promise<{ summary: string; report: string; table: string }> {
  if (!args.trace) throw new UsageError('--trace: a CSV file is required');
  if (!args.timeColumn) throw new UsageError('--time-column: name the column that holds the time');
  if (!args.component || !(COMPONENT_IDS as readonly string[]).includes(args.component)) {
    throw new UsageError(
      `--component: ${args.component ?? '(missing)'} is not one of ${COMPONENT_IDS.join(', ')}`,
    );
  }
  const unit = args.unitCapacity === undefined ? 1 : Number(args.unitCapacity);
  if (!(unit > 0)) throw new UsageError(`--unit-capacity: ${args.unitCapacity} is not a positive number`);
  let values: readonly number[];
  try {
    values = loadTrace(args.trace, {
      timeColumn: args.timeColumn,
      ...(args.valueColumn ? { valueColumn: args.valueColumn } : {}),
      ...(args.from ? { from: args.from } : {}),
      ...(args.to ? { to: args.to } : {}),
      stepSeconds: 60,
    }).values;
  } catch (error) {
    if (error instanceof TraceError) throw new UsageError(error.message.replace(/\s+/g, ' '));
    throw error;
  }
  const component = args.component as ComponentId;
  const config = loadConfig({ envName: args.envName, region: process.env.AWS_REGION ?? 'eu-west-1' });
  const result = await simulateComponent(
    config,
    component,
    values.map((v) => v / unit),
  );
  const outdir = path.resolve(
    args.out ?? path.join('out', 'sim', path.basename(args.trace, path.extname(args.trace))),
  );
  const files = writeResults(
    outdir,
    `InfluenceGen ${component}: ${path.basename(args.trace)}`,
    [result],
    [`Trace ${args.trace}, ${values.length} minutes, ${unit} trace units per task.`],
  );
  return { ...files, table: summaryTable([result]) };
}
