import type { ComponentSummary, PolicyName } from '../run/simulate';
import { POLICY_NAMES } from '../run/simulate';
import { COLOURS, escape, figure } from './svg';

/**
 * The frontier ratios (sim/metrics/frontier.ts) as the report shows them. A null ratio is not a
 * missing figure but a finding (the policy lies outside the range target tracking's curve
 * covers), so its reason is shown, not only a dash: as a tooltip on the cell and as a numbered
 * footnote under the table.
 */

export const RATIO_KEYS = ['frontierCostRatio', 'frontierSloRatio', 'oracleCostRatio'] as const;
export type RatioKey = (typeof RATIO_KEYS)[number];

export const RATIO_HEADERS: Record<RatioKey, { readonly label: string; readonly title: string }> = {
  frontierCostRatio: {
    label: 'cost ÷ target tracking at the same SLO',
    title:
      "instance-hours over target tracking's frontier at the same SLO-violation minutes (below 1: cheaper)",
  },
  frontierSloRatio: {
    label: 'avoidable SLO min ÷ target tracking at the same cost',
    title:
      "SLO-violation minutes beyond the oracle's, over target tracking's frontier at the same instance-hours (below 1: fewer)",
  },
  oracleCostRatio: {
    label: 'cost ÷ oracle',
    title: "instance-hours over the oracle's (perfect foresight; 1 is the least possible)",
  },
};

const REASON_KEYS: Record<RatioKey, `${RatioKey}Reason`> = {
  frontierCostRatio: 'frontierCostRatioReason',
  frontierSloRatio: 'frontierSloRatioReason',
  oracleCostRatio: 'oracleCostRatioReason',
};

/** Whether the run computed the ratios (it does when it swept the frontier). */
export const hasRatios = (summary: ComponentSummary) =>
  POLICY_NAMES.some((p) => summary.policies[p].frontierCostRatio !== undefined);

/** The reasons of the null ratios, numbered in table order (a reason given twice keeps one number). */
function ratioReasons(summary: ComponentSummary): string[] {
  const reasons = POLICY_NAMES.flatMap((p) =>
    RATIO_KEYS.flatMap((k) => {
      const m = summary.policies[p];
      const reason = m[k] === null ? m[REASON_KEYS[k]] : undefined;
      return reason === undefined ? [] : [`${p}, ${RATIO_HEADERS[k].label}: ${reason}`];
    }),
  );
  return [...new Set(reasons)];
}

const noteId = (summary: ComponentSummary, n: number) => `${summary.component}-ratio-note-${n}`;

/** A ratio's cell: the figure, or "n/a" with the reason as tooltip and a link to its footnote. */
export function ratioCell(summary: ComponentSummary, policy: PolicyName, key: RatioKey): string {
  const m = summary.policies[policy];
  const value = m[key];
  if (value === undefined) return '<td>-</td>';
  if (value !== null) return `<td data-ratio="${key}">${figure(value)}</td>`;
  const reason = m[REASON_KEYS[key]] ?? 'no reason given';
  const n = ratioReasons(summary).indexOf(`${policy}, ${RATIO_HEADERS[key].label}: ${reason}`) + 1;
  return `<td class="na" data-ratio="${key}" title="${escape(reason)}">n/a<sup><a href="#${noteId(summary, n)}">${n}</a></sup></td>`;
}

/** The numbered reasons of the null ratios, which the cells link to. */
function ratioFootnotes(summary: ComponentSummary): string {
  const reasons = ratioReasons(summary);
  if (reasons.length === 0) return '';
  const items = reasons.map(
    (r, i) => `<li id="${noteId(summary, i + 1)}" data-reason="${i + 1}">${escape(r)}</li>`,
  );
  return `<ol class="ratio-notes">${items.join('')}</ol>`;
}

const swatch = (policy: PolicyName) => `<i class="swatch" style="background:${COLOURS[policy]}"></i>`;

/** Beside the frontier chart: each policy's ratios, and the oracle's own figures to read them by. */
export function ratiosTable(summary: ComponentSummary): string {
  if (!hasRatios(summary)) return '';
  const head = RATIO_KEYS.map(
    (k) => `<th title="${escape(RATIO_HEADERS[k].title)}">${escape(RATIO_HEADERS[k].label)}</th>`,
  );
  const rows = POLICY_NAMES.map((p) => {
    const m = summary.policies[p];
    const cells = RATIO_KEYS.map((k) => ratioCell(summary, p, k)).join('');
    return `<tr data-policy="${p}"><th>${swatch(p)}${p}</th><td>${figure(m.sloViolationMinutes)}</td><td>${figure(m.instanceHours)}</td>${cells}</tr>`;
  });
  const oracle = summary.oracle
    ? `<tr data-policy="oracle"><th>oracle</th><td>${figure(summary.oracle.sloViolationMinutes)}</td><td>${figure(summary.oracle.instanceHours)}</td><td colspan="3" class="what">perfect foresight: what no policy can beat</td></tr>`
    : '';
  return `<table class="ratios"><thead><tr><th>policy</th><th>SLO-violation min</th><th>instance-hours</th>${head.join('')}</tr></thead><tbody>${rows.join('')}${oracle}</tbody></table>${ratioFootnotes(summary)}`;
}
