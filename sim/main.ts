import * as path from 'node:path';
import { loadConfig } from '../lib/config';
import { bundledDay } from './run/scenario';
import { simulateComponent, type ComponentResult } from './run/simulate';
import { summaryTable, writeResults } from './write-results';

/**
 * `npm start`: the bundled scenario (a day of Odoo traffic with a flash crowd, n8n following it,
 * and a GPU generation burst) replayed against the control plane and the three baselines in the
 * twin. No AWS account: the twin is the only AWS.
 */
function main(): void {
  const config = loadConfig({ envName: 'prod', region: process.env.AWS_REGION ?? 'eu-west-1' });
  const scenario = bundledDay();
  const results: ComponentResult[] = [];
  scenario.forEach(([component, load], i) => {
    process.stderr.write(
      `\r[${'#'.repeat(i + 1).padEnd(scenario.length)}] simulating ${component} (${load.length} minutes)   `,
    );
    results.push(simulateComponent(config, component, load));
  });
  process.stderr.write('\n');
  const outdir = path.resolve('out', 'sim', 'bundled');
  const files = writeResults(outdir, 'InfluenceGen bundled scenario: one day', results, [
    'Synthetic traces (sim/run/scenario.ts): Odoo office-hours traffic with a 45-minute flash crowd at 11:00; n8n at 40 % of Odoo; generation jobs with a 40-minute burst at 15:00.',
    'The control plane runs its generated scale alarms and its real decision engine; the twin applies decisions at once (the scale-decision workflow around the engine is not executed here yet).',
    'Runaway protection pauses a component until ops resume: the twin assumes an operator resumes 30 minutes after the page.',
    'Demand is the whole number of instances that keeps the latency SLO (Odoo and n8n at 70 % CPU; GPUs at 90 % of their throughput).',
  ]);
  console.log(summaryTable(results));
  console.log(
    `\nsummary: ${path.relative(process.cwd(), files.summary)}\nreport:  ${path.relative(process.cwd(), files.report)}`,
  );
}

main();
