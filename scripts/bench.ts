import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUNDLE_BUDGET_BYTES } from '../lib/constructs/bundling';
import { simulateStall, STALL_CASES, type StallCase } from '../sim/run/stall-scenario';
import { loadConfig } from '../lib/config';
import type { ComponentId } from '../lib/config/constants';
import { generationDay, odooDay } from '../sim/run/scenario';
import { simulateComponent } from '../sim/run/simulate';
import { bundleLambda, lambdaNames } from './lambda-bundles';

/**
 * `npm run bench`: for every Lambda, its esbuild bundle size and its module-load time in a fresh
 * local node process (median of 7; a cold start's init minus the runtime's own). Prints a table
 * and a JSON line, and exits non-zero when a bundle is over the budget.
 */
const RUNS = 7;

function loadMs(file: string): number {
  const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(file)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  const times = Array.from({ length: RUNS }, () => {
    const r = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1' },
    });
    if (r.status !== 0) throw new Error(`loading ${file} failed: ${r.stderr}`);
    return Number(r.stdout);
  }).sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)] as number;
}

async function main(): Promise<void> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const rows: Array<{ function: string; bundleKiB: number; moduleLoadMs: number; withinBudget: boolean }> =
    [];
  for (const name of lambdaNames()) {
    const { file, bytes } = await bundleLambda(name, outdir);
    rows.push({
      function: name,
      bundleKiB: Math.round((bytes / 1024) * 10) / 10,
      moduleLoadMs: Math.round(loadMs(file) * 10) / 10,
      withinBudget: bytes <= BUNDLE_BUDGET_BYTES,
    });
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  const width = Math.max(...rows.map((r) => r.function.length));
  console.log(`${'function'.padEnd(width)}  bundle KiB  load ms  (budget ${BUNDLE_BUDGET_BYTES / 1024} KiB)`);
  for (const r of rows) {
    console.log(
      `${r.function.padEnd(width)}  ${String(r.bundleKiB).padStart(10)}  ${String(r.moduleLoadMs).padStart(7)}${r.withinBudget ? '' : '  OVER BUDGET'}`,
    );
  }
  const replay = await weekReplay();
  for (const r of replay)
    console.log(
      `simulator: ${r.component}, one week at 1-minute resolution (${r.steps} steps), 4 policies, ${r.workflowExecutions} real workflow executions (${r.stateTransitions} state transitions): ${r.seconds.toFixed(2)} s${r.withinBudget ? '' : '  OVER THE 60 s BUDGET'}`,
    );
  const stall = await stallWeek();
  console.log(
    `simulator: stalled-GPU checks, one week of 5-minute per-host checks on 4 hosts (one wedged GPU repaired), ${stall.workflowExecutions} real workflow executions: ${stall.seconds.toFixed(2)} s${stall.withinBudget ? '' : '  OVER THE 60 s BUDGET'}`,
  );
  console.log(JSON.stringify({ node: process.version, lambdas: rows, weekReplay: replay, stallWeek: stall }));
  if (rows.some((r) => !r.withinBudget) || replay.some((r) => !r.withinBudget) || !stall.withinBudget)
    process.exitCode = 1;
}

/**
 * A week at 1-minute resolution (10,080 steps) of each component, replayed against the four
 * policies; the control plane as deployed (alarms and schedule -> the real router -> the real
 * scale-decision workflow in aws-local-stepfunctions, dynalite). Budget: 60 s per week.
 */
async function weekReplay() {
  const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
  const weeks: Array<[ComponentId, number[]]> = [
    ['odoo', Array.from({ length: 7 }, (_, day) => odooDay(100 + day)).flat()],
    ['flux-gpu', Array.from({ length: 7 }, (_, day) => generationDay(200 + day)).flat()],
  ];
  const results = [];
  for (const [component, load] of weeks) {
    const start = process.hrtime.bigint();
    const result = await simulateComponent(config, component, load);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    results.push({
      component,
      steps: load.length,
      seconds: Number(seconds.toFixed(2)),
      workflowExecutions: result.usage.executions,
      stateTransitions: result.usage.stateTransitions,
      withinBudget: seconds < 60,
    });
  }
  return results;
}

/**
 * A week of the stalled-GPU workflow as deployed: the 5-minute per-host check on 4 GPU hosts
 * (2,017 executions of the real workflow, mostly finding every host healthy), one wedged GPU
 * repaired on the way. Budget: 60 s per week.
 */
async function stallWeek() {
  const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
  const start = process.hrtime.bigint();
  const result = await simulateStall(
    config,
    STALL_CASES.find((c) => c.name === 'wedged-gpu') as StallCase,
    7 * 1440,
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    seconds: Number(seconds.toFixed(2)),
    workflowExecutions: result.executions,
    withinBudget: seconds < 60,
  };
}

void main();
