import { METRIC_KEYS } from '../run/run-policy';
import type { ComponentResult } from '../run/simulate';
import { POLICY_NAMES } from '../run/simulate';
import { hasRatios, RATIO_HEADERS, RATIO_KEYS, ratioCell } from './ratios';
import { COLOURS, escape, figure } from './svg';

/**
 * Every metric of every policy, grouped as a reader compares them: how closely supply followed
 * demand (SPEC-RG), what it cost and what it broke, how fast it decided, and, when the frontier
 * was swept, how it compares with target tracking's curve and the oracle.
 */

type MetricKey = (typeof METRIC_KEYS)[number];

export interface Column {
  readonly key: MetricKey;
  readonly group: string;
  readonly label: string;
  readonly title: string;
}

const ELASTICITY = 'elasticity (SPEC-RG)';
const SERVICE = 'service and cost';
const LATENCY = 'decision latency (breach to scale-out)';

/** Headers of the metrics the report knows; a metric added to METRIC_KEYS later shows under its own name. */
const KNOWN: Partial<Record<MetricKey, Omit<Column, 'key'>>> = {
  thetaU: {
    group: ELASTICITY,
    label: 'θU %',
    title: 'under-provisioning accuracy: mean shortfall as % of demand',
  },
  thetaO: {
    group: ELASTICITY,
    label: 'θO %',
    title: 'over-provisioning accuracy: mean excess as % of demand',
  },
  tauU: { group: ELASTICITY, label: 'τU %', title: '% of time under-provisioned' },
  tauO: { group: ELASTICITY, label: 'τO %', title: '% of time over-provisioned' },
  instability: {
    group: ELASTICITY,
    label: 'instability %',
    title: '% of steps where supply and demand move apart',
  },
  jitter: { group: ELASTICITY, label: 'jitter /h', title: 'adaptations per hour beyond demand changes' },
  sloViolationMinutes: {
    group: SERVICE,
    label: 'SLO-violation min',
    title: 'minutes in which the SLO was not met',
  },
  instanceHours: { group: SERVICE, label: 'instance-hours', title: 'instances running, summed over the run' },
  actions: { group: SERVICE, label: 'actions', title: 'scaling actions taken' },
  decisionLatencyP95Seconds: {
    group: LATENCY,
    label: 'p95 s, unheld',
    title:
      'p95 from the first breaching datapoint to the scale-out call, over breaches no seed cooldown held',
  },
  heldDecisionLatencyP95Seconds: {
    group: LATENCY,
    label: 'p95 s, held by a seed cooldown',
    title: 'the same over the breaches a seed cooldown held',
  },
  heldScaleOuts: {
    group: LATENCY,
    label: 'held by a seed cooldown (count)',
    title: 'scale-outs a seed cooldown held',
  },
  breachesAnsweredWithoutScaling: {
    group: LATENCY,
    label: 'answered without scaling',
    title: 'breaches answered by a decision that the fleet already holds the load',
  },
};

/** Every metric's column, in METRIC_KEYS order. */
export const metricColumns = (): Column[] =>
  METRIC_KEYS.map((key) => ({ key, ...(KNOWN[key] ?? { group: 'other', label: key, title: key }) }));

/** The group header cells: one per run of neighbouring columns in the same group. */
function groupSpans(columns: readonly Column[]): Array<{ name: string; span: number }> {
  const spans: Array<{ name: string; span: number }> = [];
  for (const c of columns) {
    const last = spans[spans.length - 1];
    if (last && last.name === c.group) last.span += 1;
    else spans.push({ name: c.group, span: 1 });
  }
  return spans;
}

const cell = (v: number | null | undefined) => `<td>${v === null || v === undefined ? '-' : figure(v)}</td>`;

function header(columns: readonly Column[], withRatios: boolean): string {
  const groups = [
    ...groupSpans(columns).map((g) => `<th colspan="${g.span}">${escape(g.name)}</th>`),
    ...(withRatios ? [`<th colspan="${RATIO_KEYS.length}">against the frontier and the oracle</th>`] : []),
  ];
  const cells = [
    ...columns.map((c) => `<th data-metric="${c.key}" title="${escape(c.title)}">${escape(c.label)}</th>`),
    ...(withRatios
      ? RATIO_KEYS.map(
          (k) =>
            `<th data-metric="${k}" title="${escape(RATIO_HEADERS[k].title)}">${escape(RATIO_HEADERS[k].label)}</th>`,
        )
      : []),
  ];
  return `<thead><tr><th rowspan="2">policy</th>${groups.join('')}</tr><tr>${cells.join('')}</tr></thead>`;
}

export function metricsTable(result: ComponentResult): string {
  const summary = result.summary;
  const withRatios = hasRatios(summary);
  const columns = metricColumns();
  const rows = POLICY_NAMES.map((p) => {
    const m = summary.policies[p];
    const metrics = columns.map((c) => cell(m[c.key]));
    const ratios = withRatios ? RATIO_KEYS.map((k) => ratioCell(summary, p, k)) : [];
    return `<tr data-policy="${p}"><th><i class="swatch" style="background:${COLOURS[p]}"></i>${p}</th>${metrics.join('')}${ratios.join('')}</tr>`;
  });
  return `<table class="metrics">${header(columns, withRatios)}<tbody>${rows.join('')}</tbody></table>`;
}
