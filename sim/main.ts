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
async function main(): Promise<void> {
  const config = loadConfig({ envName: 'prod', region: process.env.AWS_REGION ?? 'eu-west-1' });
  const scenario = bundledDay();
  const results: ComponentResult[] = [];
  for (const [i, [component, load]] of scenario.entries()) {
    process.stderr.write(
      `\r[${'#'.repeat(i + 1).padEnd(scenario.length)}] simulating ${component} (${load.length} minutes)   `,
    );
    results.push(await simulateComponent(config, component, load));
  }
  process.stderr.write('\n');
  const outdir = path.resolve('out', 'sim', 'bundled');
  const files = writeResults(outdir, 'InfluenceGen bundled scenario: one day', results, [
    'Synthetic traces (sim/run/scenario.ts): Odoo office-hours traffic with a 45-minute flash crowd at 11:00; n8n at 40 % of Odoo; generation jobs with a 40-minute burst at 15:00.',
    'The control plane runs as deployed: its generated scale alarms (CloudWatch M-of-N) and the 5-minute schedule reach the real alarm router, which starts the real scale-decision workflow (state-machines/scale-decision.asl.json in aws-local-stepfunctions, the real handlers, the ledger and lock in dynalite); ECS and CloudWatch are the twin, Wait states last twin seconds, retries are immediate.',
    'Runaway protection pauses a component until ops resume: the twin assumes an operator resumes 30 minutes after the page.',
    'Demand is the whole number of instances that keeps the latency SLO (Odoo and n8n at 70 % CPU; GPUs at 90 % of their throughput).',
  ]);
  console.log(summaryTable(results));
  console.log(
    `\nsummary: ${path.relative(process.cwd(), files.summary)}\nreport:  ${path.relative(process.cwd(), files.report)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
