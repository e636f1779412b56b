import type { BackupScenarioResult } from '../run/backup-scenario';
import type { StallCaseResult } from '../run/stall-scenario';
import type { ComponentResult, PolicyName } from '../run/simulate';
import { METRIC_KEYS } from '../run/run-policy';
import { POLICY_NAMES } from '../run/simulate';

const COLOURS: Record<PolicyName | 'demand', string> = {
  demand: '#222222',
  'control-plane': '#d62728',
  'target-tracking': '#1f77b4',
  'step-seed': '#2ca02c',
  hpa: '#9467bd',
};

const escape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** Instance counts are whole steps: a point only where the value changes keeps the SVG small. */
function stepPath(values: readonly number[], x: (i: number) => number, y: (v: number) => number): string {
  const at = (n: number) => n.toFixed(1);
  let d = `M${at(x(0))},${at(y(values[0] ?? 0))}`;
  values.forEach((v, i) => {
    if (i > 0 && v !== values[i - 1]) d += `H${at(x(i))}V${at(y(v))}`;
  });
  return `${d}H${at(x(Math.max(0, values.length - 1)))}`;
}

/**
 * One SVG line chart: demand and every policy's supply over time (one point per minute).
 * `standalone` makes a file of its own (namespace, white background, the legend drawn inside)
 * for the README, where the report's HTML legend is not there.
 */
export function chart(result: ComponentResult, standalone = false): string {
  const width = 960;
  const height = 260;
  const pad = 36;
  const series: Array<[string, readonly number[]]> = [
    ['demand', result.runs['control-plane'].demand],
    ...POLICY_NAMES.map((p): [string, readonly number[]] => [p, result.runs[p].supply]),
  ];
  const max = Math.max(1, ...series.flatMap(([, v]) => v));
  const n = result.load.length;
  const x = (i: number) => pad + ((width - 2 * pad) * i) / Math.max(1, n - 1);
  const y = (v: number) => height - pad - ((height - 2 * pad) * v) / max;
  const lines = series
    .map(([name, values]) => {
      const d = stepPath(values, x, y);
      const dash = name === 'demand' ? ' stroke-dasharray="4 3"' : '';
      return `<path class="series" data-series="${name}" d="${d}" fill="none" stroke="${COLOURS[name as PolicyName | 'demand']}" stroke-width="1.5"${dash}/>`;
    })
    .join('\n');
  const ticks = Array.from({ length: 5 }, (_, i) => Math.round((max * i) / 4))
    .map(
      (v) =>
        `<text x="4" y="${y(v) + 4}" font-size="10">${v}</text><line x1="${pad}" x2="${width - pad}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`,
    )
    .join('');
  const hours = Array.from({ length: Math.floor(n / 60) + 1 }, (_, h) => h)
    .filter((h) => h % Math.max(1, Math.ceil(n / 60 / 12)) === 0)
    .map((h) => `<text x="${x(h * 60) - 6}" y="${height - 12}" font-size="10">${h}h</text>`)
    .join('');
  const label = `${result.summary.component}: demand and capacity`;
  if (!standalone) {
    return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${label}">${ticks}${hours}${lines}</svg>`;
  }
  const key = ['demand', ...POLICY_NAMES]
    .map(
      (name, i) =>
        `<line x1="${pad + i * 150}" x2="${pad + i * 150 + 16}" y1="14" y2="14" stroke="${COLOURS[name as PolicyName | 'demand']}" stroke-width="3"/><text x="${pad + i * 150 + 20}" y="18" font-size="11">${name}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${label}" font-family="sans-serif"><rect width="100%" height="100%" fill="#ffffff"/>${key}${ticks}${hours}${lines}</svg>\n`;
}

function legend(): string {
  return ['demand', ...POLICY_NAMES]
    .map(
      (name) =>
        `<span><i style="background:${COLOURS[name as PolicyName | 'demand']}"></i>${name === 'demand' ? 'demand (instances the SLO needs)' : name}</span>`,
    )
    .join(' ');
}

function table(result: ComponentResult): string {
  const keys = METRIC_KEYS;
  const rows = POLICY_NAMES.map((p) => {
    const m = result.summary.policies[p];
    const cells = keys.map((k) => {
      const v = m[k];
      return `<td>${v === null || v === undefined ? '-' : Number.isInteger(v) ? v : v.toFixed(2)}</td>`;
    });
    return `<tr><th>${p}</th>${cells.join('')}</tr>`;
  });
  return `<table class="metrics"><thead><tr><th>policy</th>${keys.map((k) => `<th>${k}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const clock = (seconds: number) =>
  `${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}`;

/** The control plane's actions and pages over the run, as an operator would read them. */
function timeline(result: ComponentResult): string {
  const events = result.runs['control-plane'].timeline;
  if (events.length === 0) return '<p>The control plane took no action and escalated nothing.</p>';
  const rows = events.map(
    (e) =>
      `<tr class="${e.kind}"><td>${clock(e.time)}</td><td>${e.kind}</td><td class="what">${escape(e.text)}</td></tr>`,
  );
  return `<details class="timeline"><summary>Control plane: ${events.length} actions, pauses, pages and resolutions (each escalation workflow started once per incident name)</summary><table><thead><tr><th>time</th><th>kind</th><th>what</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

/** The self-contained report (no scripts, no network): a chart and the metrics table per component. */
export function renderReport(
  title: string,
  results: readonly ComponentResult[],
  notes: readonly string[],
  gpuStall: readonly StallCaseResult[] = [],
  backupFailure?: BackupScenarioResult,
): string {
  const sections = results
    .map(
      (r) => `<section id="${r.summary.component}">
<h2>${escape(r.summary.component)} (${r.summary.steps} minutes)</h2>
${chart(r)}
<p class="legend">${legend()}</p>
${table(r)}
${timeline(r)}
<p>Control plane cost at this decision rate: $${(r.summary.policies['control-plane'].controlPlaneCostPerMonthUsd ?? 0).toFixed(2)} a month.</p>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th:first-child{text-align:left}td.what{text-align:left}tr.escalate td{color:#b00}
.legend span{margin-right:14px;font-size:13px}.legend i{display:inline-block;width:14px;height:3px;margin-right:4px;vertical-align:middle}
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
