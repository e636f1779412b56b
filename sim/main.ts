import * as path from 'node:path';
import { loadConfig } from '../lib/config';
import { bundledScenarios } from './run/scenario';
import { simulateComponent, type ComponentResult } from './run/simulate';
import { simulateFailedBackup } from './run/backup-scenario';
import { simulateStall, type StallCaseResult } from './run/stall-scenario';
import { summaryTable, writeResults } from './write-results';

/** How the twin models the platform, stated in every report. */
const MODEL_NOTES = [
  'The control plane runs as deployed: its generated scale alarms (CloudWatch M-of-N) and the 5-minute schedule reach the real alarm router, which starts the real scale-decision workflow (state-machines/scale-decision.asl.json in aws-local-stepfunctions, the real handlers, the ledger and lock in dynalite); ECS and CloudWatch are the twin, Wait states last twin seconds, retries are immediate.',
  'Runaway protection pauses a component until ops resume: the twin assumes an operator resumes 30 minutes after the page.',
  'Demand is the whole number of instances that keeps the SLO (Odoo at 70 % CPU; n8n workers whose slots hold the jobs in service; GPUs at 90 % of their throughput), capped at the maximum for the elasticity metrics; SLO-violation minutes count the uncapped need, and for n8n the minutes in which a job waited more than 60 s to start.',
  "n8n runs in queue mode: its load (1 = one worker with all 10 slots busy) arrives as jobs of 15 s each (40 a minute per full worker), which wait in the queue until a running worker has a free slot; the workers' CPU follows their busy slots; n8n's queue gauges (jobs waiting, jobs active) are published per minute and the scale alarms and the plan evaluate their own metric math over them. Target tracking and the HPA track jobs per worker at the queue rule's threshold (7).",
];

/**
 * `npm start`: the bundled scenario (a day of Odoo traffic with a flash crowd, n8n following it,
 * and a GPU generation burst) replayed against the control plane and the three baselines in the
 * twin. No AWS account: the twin is the only AWS.
 */
async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const config = loadConfig({ envName: 'prod', region: process.env.AWS_REGION ?? 'eu-west-1' });
  const scenarios = bundledScenarios();
  const total = scenarios.reduce((n, s) => n + s.components.length, 0);
  let done = 0;
  for (const scenario of scenarios) {
    const results: ComponentResult[] = [];
    for (const { component, load, faults } of scenario.components) {
      done += 1;
      // A bar redrawn in place on a terminal; elsewhere (a log, CI) one plain line per step, since
      // carriage returns do not belong in a log.
      const step = `${scenario.name}: simulating ${component} (${load.length} minutes) with the frontier`;
      if (process.stderr.isTTY)
        process.stderr.write(`\r[${'#'.repeat(done).padEnd(total)}] ${step}          `);
      else process.stderr.write(`[${done}/${total}] ${step}\n`);
      results.push(await simulateComponent(config, component, load, { faults, frontier: true }));
    }
    const stalls: StallCaseResult[] = [];
    for (const stallCase of scenario.stalls ?? []) stalls.push(await simulateStall(config, stallCase));
    const backupFailure = scenario.failedBackup ? await simulateFailedBackup(config) : undefined;
    if (process.stderr.isTTY) process.stderr.write('\n');
    const outdir = path.resolve('out', 'sim', scenario.name);
    const files = writeResults(
      outdir,
      scenario.title,
      results,
      [...scenario.notes, ...MODEL_NOTES],
      stalls,
      backupFailure,
    );
    console.log(`\n${scenario.title}\n${summaryTable(results)}`);
    for (const c of stalls)
      console.log(
        `stalled GPU, ${c.name}: first remediation after ${c.minutesToRemediation ?? '-'} min, repaired after ${c.minutesToRepair ?? '-'} min, Critical page after ${c.minutesToEscalation ?? '-'} min`,
      );
    if (backupFailure)
      console.log(
        `failed backup: ${backupFailure.reruns} automatic re-run, ${backupFailure.criticalPages} Critical page after ${backupFailure.minutesToPage ?? '-'} min`,
      );
    console.log(
      `summary: ${path.relative(process.cwd(), files.summary)}\nreport:  ${path.relative(process.cwd(), files.report)}`,
    );
  }
  console.log(`\nwall time: ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
