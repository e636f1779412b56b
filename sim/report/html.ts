import type { BackupScenarioResult } from '../run/backup-scenario';
import type { StallCaseResult } from '../run/stall-scenario';
import type { ComponentResult } from '../run/simulate';
import { clockLabelAtSeconds, runClock } from './clock';
import { frontierChart } from './frontier-chart';
import { metricsTable } from './metrics-table';
import { ratiosTable } from './ratios';
import { escape } from './svg';
import { chart } from './time-series-chart';

/** Which environment profile the run used; a profile that does not scale says so before any figure. */
function profile(result: ComponentResult): string {
  const p = result.summary.profile;
  const scaling = p.automaticScaling ? 'automatic scaling on' : 'automatic scaling off';
  const line = `<p class="profile" data-profile="${escape(p.env)}">Environment profile <b>${escape(p.env)}</b>: capacity ${p.capacity.min}-${p.capacity.max} instances, ${scaling}.</p>`;
  return p.note ? `${line}<p class="profile-note" role="note"><b>Note:</b> ${escape(p.note)}</p>` : line;
}

/** The control plane's actions and pages over the run, as an operator would read them. */
function timeline(result: ComponentResult): string {
  const events = result.runs['control-plane'].timeline;
  if (events.length === 0) return '<p>The control plane took no action and escalated nothing.</p>';
  const clock = runClock(result);
  const rows = events.map(
    (e) =>
      `<tr class="${e.kind}"><td>${clockLabelAtSeconds(clock, e.time)}</td><td>${e.kind}</td><td class="what">${escape(e.text)}</td></tr>`,
  );
  return `<details class="timeline"><summary>Control plane: ${events.length} actions, pauses, pages and resolutions (each escalation workflow started once per incident name)</summary><table><thead><tr><th>time</th><th>kind</th><th>what</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

/** The frontier chart with its ratios beside it, and how to read them; '' without a frontier. */
function frontier(result: ComponentResult): string {
  const svg = frontierChart(result.summary);
  const table = ratiosTable(result.summary);
  if (!svg && !table) return '';
  return `<h3>Cost against service: the frontier</h3>
<div class="frontier-block"><figure>${svg}<figcaption>Each policy as run (large dots), the oracle (black diamond) and target tracking's and the HPA's targets swept from 40 % to 85 % (curves, labelled by target). Down and left is better: a policy below a curve meets its service level with fewer instance-hours than any target of that baseline.</figcaption></figure>
<div class="ratios-block">${table}</div></div>`;
}

/** One component: what it ran on, its run over time, its frontier and every metric. */
function componentSection(r: ComponentResult): string {
  const cost = (r.summary.policies['control-plane'].controlPlaneCostPerMonthUsd ?? 0).toFixed(2);
  return `<section id="${r.summary.component}">
<h2>${escape(r.summary.component)} (${r.summary.steps} minutes)</h2>
${profile(r)}
<h3>Demand and running instances</h3>
${chart(r)}
${frontier(r)}
<h3>Metrics</h3>
<div class="scroll">${metricsTable(r)}</div>
${timeline(r)}
<p>Control plane cost at this decision rate: $${cost} a month.</p>
</section>`;
}

/**
 * The self-contained report (no scripts, no network): per component its profile, the time-series
 * chart, the frontier chart with the ratios, the metrics table and the control plane's timeline.
 */
export function renderReport(
  title: string,
  results: readonly ComponentResult[],
  notes: readonly string[],
  gpuStall: readonly StallCaseResult[] = [],
  backupFailure?: BackupScenarioResult,
): string {
  const sections = results.map(componentSection).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th:first-child{text-align:left}td.what{text-align:left}tr.escalate td{color:#b00}
thead tr:first-child th[colspan]{text-align:center}tbody th{white-space:nowrap}
i.swatch{display:inline-block;width:10px;height:10px;margin-right:5px;border-radius:50%;vertical-align:-1px}
.profile-note{background:#fff3cd;border-left:4px solid #e0a800;padding:6px 10px;font-size:14px}
.frontier-block{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.frontier-block figure{margin:0;max-width:620px}
figcaption{font-size:12px;color:#555}.ratios-block{max-width:560px}td.na{color:#777}.ratio-notes{font-size:12px;color:#555;padding-left:20px}
svg{max-width:100%;height:auto}.scroll{overflow-x:auto}
</style></head>
<body><h1>${escape(title)}</h1>
<ul>${notes.map((n) => `<li>${escape(n)}</li>`).join('')}</ul>
${sections}
${stallSection(gpuStall)}
${backupSection(backupFailure)}
</body></html>`;
}

/** The stalled-GPU cases: how long from the stall to the first action, the repair or the page. */
function stallSection(cases: readonly StallCaseResult[]): string {
  if (cases.length === 0) return '';
  const minutes = (m: number | null) => (m === null ? '-' : `${m}`);
  const rows = cases.map(
    (c) =>
      `<tr><td>${escape(c.name)}</td><td class="what">${escape(c.description)}</td><td>${minutes(c.minutesToRemediation)}</td><td>${minutes(c.minutesToRepair)}</td><td>${minutes(c.minutesToEscalation)}</td><td class="what">${escape(c.actions.map((a) => `${a.action} ${a.instanceId} at ${a.minute}`).join(', ') || 'none')}</td><td>${c.otherHostsTouched}</td><td>${c.joinedTriggers}</td></tr>`,
  );
  const findings = cases
    .map(
      (c) =>
        `<details><summary>${escape(c.name)}: what the workflow saw and did</summary><p>${escape(c.findings ?? 'nothing')}</p></details>`,
    )
    .join('');
  return `<section id="gpu-stall">
<h2>Stalled GPU: one of ${cases[0]?.hosts ?? 0} busy hosts stops serving at minute ${cases[0]?.stallStartMinute ?? 0}</h2>
<p>The real stalled-gpu workflow, started by the 5-minute per-host check (the composite alarm reads the fleet's maximum and stays quiet while the other hosts work). Minutes are counted from the stall's start.</p>
<table><thead><tr><th>case</th><th>what happened</th><th>to first remediation</th><th>to repair</th><th>to Critical page</th><th>actions (minute)</th><th>busy hosts touched</th><th>later checks joined</th></tr></thead><tbody>${rows.join('')}</tbody></table>
${findings}
</section>`;
}

/** The failed-backup case: one re-run, one Critical page, and how long the page took. */
function backupSection(result: BackupScenarioResult | undefined): string {
  if (!result) return '';
  return `<section id="backup-failure">
<h2>Failed backup: ${escape(result.description)}</h2>
<p>The real backup-verification workflow, started by the failed job's event and every hour. The job fails at minute ${result.failureMinute}.</p>
<table><thead><tr><th>runs</th><th>automatic re-runs</th><th>Critical pages</th><th>minutes to the page</th></tr></thead>
<tbody><tr><td>${result.checks}</td><td>${result.reruns}</td><td>${result.criticalPages}</td><td>${result.minutesToPage ?? '-'}</td></tr></tbody></table>
<details><summary>What the page says</summary><p>${escape(result.pageDetail ?? 'no page')}</p></details>
</section>`;
}
