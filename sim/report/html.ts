import type { ComponentResult, PolicyName } from '../run/simulate';
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

/** One SVG line chart: demand and every policy's supply over time (one point per minute). */
function chart(result: ComponentResult): string {
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
      const d = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
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
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${result.summary.component}: demand and capacity">${ticks}${hours}${lines}</svg>`;
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
  const keys = [
    'thetaU',
    'thetaO',
    'tauU',
    'tauO',
    'instability',
    'jitter',
    'sloViolationMinutes',
    'instanceHours',
    'actions',
    'decisionLatencyP95Seconds',
  ] as const;
  const rows = POLICY_NAMES.map((p) => {
    const m = result.summary.policies[p];
    const cells = keys.map((k) => {
      const v = m[k];
      return `<td>${v === null || v === undefined ? '-' : Number.isInteger(v) ? v : v.toFixed(2)}</td>`;
    });
    return `<tr><th>${p}</th>${cells.join('')}</tr>`;
  });
  return `<table><thead><tr><th>policy</th>${keys.map((k) => `<th>${k}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The self-contained report (no scripts, no network): a chart and the metrics table per component. */
export function renderReport(
  title: string,
  results: readonly ComponentResult[],
  notes: readonly string[],
): string {
  const sections = results
    .map(
      (r) => `<section id="${r.summary.component}">
<h2>${escape(r.summary.component)} (${r.summary.steps} minutes)</h2>
${chart(r)}
<p class="legend">${legend()}</p>
${table(r)}
<p>Control plane cost at this decision rate: $${(r.summary.policies['control-plane'].controlPlaneCostPerMonthUsd ?? 0).toFixed(2)} a month.</p>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th:first-child{text-align:left}
.legend span{margin-right:14px;font-size:13px}.legend i{display:inline-block;width:14px;height:3px;margin-right:4px;vertical-align:middle}
</style></head>
<body><h1>${escape(title)}</h1>
<ul>${notes.map((n) => `<li>${escape(n)}</li>`).join('')}</ul>
${sections}
</body></html>`;
}
