import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUNDLE_BUDGET_BYTES } from '../lib/constructs/bundling';
import { simulateStall, STALL_CASES, type StallCase } from '../sim/run/stall-scenario';
import { loadConfig, type PlatformConfig } from '../lib/config';
import type { ComponentId } from '../lib/config/constants';
import { bundledDay, generationDay, odooDay, type Scenario } from '../sim/run/scenario';
import { POLICY_NAMES, simulateComponent, type PolicySummary } from '../sim/run/simulate';
import { syntheticScenarios } from '../sim/scenarios/synthetic';
import { bundleLambda, lambdaNames } from './lambda-bundles';

/**
 * `npm run bench`: for every Lambda, its esbuild bundle size and its module-load time in a fresh
 * local node process (median of 7; a cold start's init minus the runtime's own); the simulator's
 * week replays against their 60 s budget; and the policies judged on more than one day: the
 * bundled day and the synthetic scenarios (sim/scenarios/synthetic.ts) against target tracking's
 * cost/SLO frontier and the oracle. Prints tables and a JSON line, and exits non-zero when a
 * bundle or a week replay is over its budget.
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
  const rows = await lambdaBundles();
  const replay = await weekReplay();
  for (const r of replay)
    console.log(
      `simulator: ${r.component}, one week at 1-minute resolution (${r.steps} steps), 4 policies, ${r.workflowExecutions} real workflow executions (${r.stateTransitions} state transitions): ${r.seconds.toFixed(2)} s${r.withinBudget ? '' : '  OVER THE 60 s BUDGET'}`,
    );
  const stall = await stallWeek();
  console.log(
    `simulator: stalled-GPU checks, one week of 5-minute per-host checks on 4 hosts (one wedged GPU repaired), ${stall.workflowExecutions} real workflow executions: ${stall.seconds.toFixed(2)} s${stall.withinBudget ? '' : '  OVER THE 60 s BUDGET'}`,
  );
  const frontier = await frontierTable();
  console.log(
    JSON.stringify({ node: process.version, lambdas: rows, weekReplay: replay, stallWeek: stall, frontier }),
  );
  if (rows.some((r) => !r.withinBudget) || replay.some((r) => !r.withinBudget) || !stall.withinBudget)
    process.exitCode = 1;
}

/** Every Lambda's bundle size and module-load time, printed as a table against the budget. */
async function lambdaBundles() {
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
  return rows;
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

/** The ratios, in the table's column order, with the key of each one's null reason. */
const RATIOS = [
  ['frontierCostRatio', 'frontierCostRatioReason'],
  ['frontierSloRatio', 'frontierSloRatioReason'],
  ['oracleCostRatio', 'oracleCostRatioReason'],
] as const;

/** A frontier-table row as the JSON line keeps it: what a policy (or the oracle) measured. */
interface FrontierRow {
  readonly scenario: string;
  readonly component: ComponentId;
  readonly policy: string;
  readonly sloViolationMinutes: number;
  readonly instanceHours: number;
  readonly frontierCostRatio?: number | null;
  readonly frontierSloRatio?: number | null;
  readonly oracleCostRatio?: number | null;
  /** Per null ratio, the number of its reason in `nullReasons` (1-based, as printed). */
  readonly nullReasons?: Partial<Record<(typeof RATIOS)[number][0], number>>;
  readonly decisionLatencyP95Seconds?: number | null;
  readonly heldDecisionLatencyP95Seconds?: number | null;
  readonly heldScaleOuts?: number;
}

const FRONTIER_COLUMNS = [
  ['scenario', 18],
  ['component', 9],
  ['policy', 15],
  ['SLO min', 7],
  ['inst-h', 7],
  ['frontierCost', 12],
  ['frontierSlo', 11],
  ['oracleCost', 10],
  ['decide p95 s', 12],
  ['held p95 s/n', 12],
] as const;

function tableLine(cells: readonly string[]): string {
  return cells
    .map((cell, i) => {
      const [, width] = FRONTIER_COLUMNS[i] ?? ['', 0];
      return i < 3 ? cell.padEnd(width) : cell.padStart(width);
    })
    .join('  ');
}

/**
 * The policies judged on more than one day: the bundled day and every synthetic scenario, each
 * component run with the frontier (target tracking and the HPA swept over their targets, and the
 * oracle) in prod. Prints, per scenario, component and policy, the SLO-violation minutes,
 * instance-hours and the three ratios ('-[n]' where a ratio is null, n the number of its reason
 * listed under the table), the oracle's own minutes and hours, and each policy's decision latency
 * p95 (for the control plane also the p95 and count of the scale-outs a seed cooldown held); and
 * the seconds each scenario took.
 */
async function frontierTable() {
  const config = loadConfig({ envName: 'prod', region: 'eu-west-1' });
  const bundled: Scenario = {
    name: 'bundled',
    title: 'The bundled day',
    notes: [],
    components: bundledDay().map(([component, load]) => ({ component, load, faults: [] })),
  };
  const reasons: string[] = [];
  const reasonNumber = (reason: string) => {
    if (!reasons.includes(reason)) reasons.push(reason);
    return reasons.indexOf(reason) + 1;
  };
  console.log('\npolicies against the frontier (prod; ratios: frontierCost, frontierSlo and oracleCost)');
  console.log(tableLine(FRONTIER_COLUMNS.map(([name]) => name)));
  const rows: FrontierRow[] = [];
  const scenarios: Array<{ scenario: string; minutes: number; seconds: number }> = [];
  const start = process.hrtime.bigint();
  for (const scenario of [bundled, ...syntheticScenarios()]) {
    const scenarioStart = process.hrtime.bigint();
    for (const { component, load } of scenario.components) {
      const scenarioRows = await frontierRows(config, scenario.name, component, load, reasonNumber);
      for (const row of scenarioRows) console.log(tableLine(frontierCells(row)));
      rows.push(...scenarioRows);
    }
    const seconds = Number(process.hrtime.bigint() - scenarioStart) / 1e9;
    const minutes = scenario.components[0]?.load.length ?? 0;
    console.log(`  ${scenario.name}: ${minutes} minutes, ${seconds.toFixed(2)} s`);
    scenarios.push({ scenario: scenario.name, minutes, seconds: Number(seconds.toFixed(2)) });
  }
  const seconds = Number((Number(process.hrtime.bigint() - start) / 1e9).toFixed(2));
  if (reasons.length > 0) console.log('null ratios:');
  reasons.forEach((reason, i) => console.log(`  [${i + 1}] ${reason}`));
  console.log(`frontier table: ${scenarios.length} scenarios, ${seconds.toFixed(2)} s`);
  return { env: config.env.name, seconds, scenarios, rows, nullReasons: reasons };
}

/** One component of a scenario, run with the frontier: a row per policy and one for the oracle. */
async function frontierRows(
  config: PlatformConfig,
  scenario: string,
  component: ComponentId,
  load: readonly number[],
  reasonNumber: (reason: string) => number,
): Promise<FrontierRow[]> {
  const { summary } = await simulateComponent(config, component, load, { frontier: true });
  const rows: FrontierRow[] = POLICY_NAMES.map((policy) => {
    const m: PolicySummary = summary.policies[policy];
    const nullReasons: FrontierRow['nullReasons'] = {};
    for (const [ratio, reasonKey] of RATIOS) {
      const reason = m[reasonKey];
      if (m[ratio] === null && reason !== undefined) nullReasons[ratio] = reasonNumber(reason);
    }
    return {
      scenario,
      component,
      policy,
      sloViolationMinutes: m.sloViolationMinutes,
      instanceHours: Number(m.instanceHours.toFixed(3)),
      frontierCostRatio: m.frontierCostRatio ?? null,
      frontierSloRatio: m.frontierSloRatio ?? null,
      oracleCostRatio: m.oracleCostRatio ?? null,
      nullReasons,
      decisionLatencyP95Seconds: m.decisionLatencyP95Seconds,
      heldDecisionLatencyP95Seconds: m.heldDecisionLatencyP95Seconds,
      heldScaleOuts: m.heldScaleOuts,
    };
  });
  if (summary.oracle)
    rows.push({
      scenario,
      component,
      policy: 'oracle',
      sloViolationMinutes: summary.oracle.sloViolationMinutes,
      instanceHours: Number(summary.oracle.instanceHours.toFixed(3)),
    });
  return rows;
}

function frontierCells(row: FrontierRow): string[] {
  const ratio = (key: (typeof RATIOS)[number][0]) => {
    const value = row[key];
    if (value === undefined) return '';
    return value === null ? `-[${row.nullReasons?.[key] ?? '?'}]` : value.toFixed(3);
  };
  const seconds = (s: number | null | undefined) => (s === undefined ? '' : s === null ? '-' : String(s));
  const held =
    row.policy === 'control-plane'
      ? `${seconds(row.heldDecisionLatencyP95Seconds)}/${row.heldScaleOuts ?? 0}`
      : '';
  return [
    row.scenario,
    row.component,
    row.policy,
    String(row.sloViolationMinutes),
    row.instanceHours.toFixed(1),
    ratio('frontierCostRatio'),
    ratio('frontierSloRatio'),
    ratio('oracleCostRatio'),
    seconds(row.decisionLatencyP95Seconds),
    held,
  ];
}

void main();
