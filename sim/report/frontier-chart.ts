import type { FrontierPoint } from '../metrics/frontier';
import type { ComponentSummary, FrontierBaseline, PolicyName } from '../run/simulate';
import { FRONTIER_BASELINES, POLICY_NAMES } from '../run/simulate';
import { LabelPlacer, spotsAround } from './label-placer';
import { legendRows, type LegendItem } from './legend';
import { COLOURS, escape, HALO, niceAxis, px, symlogAxis, tickLabel } from './svg';

/**
 * The cost/SLO frontier chart: instance-hours (x) against SLO-violation minutes (y). Target
 * tracking's and the HPA's swept targets are each a curve; the oracle and the four policies as
 * run are points. Down and to the left is better; a policy below a curve buys its service level
 * for fewer instance-hours than any target of that baseline.
 */

const WIDTH = 620;
const PLOT_HEIGHT = 320;
const MARGIN = { left: 62, right: 18, bottom: 48 };
const POINT_FONT = 11;
const TARGET_FONT = 9;
const ORACLE_COLOUR = '#000000';

interface Frame {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  x(instanceHours: number): number;
  y(sloMinutes: number): number;
}

const pct = (target: number) => `${Math.round(target * 100)} %`;
const inOrder = (points: readonly FrontierPoint[]) => [...points].sort((a, b) => a.target - b.target);

/** Both axes span every point drawn; cost starts near the cheapest point, SLO minutes at 0. */
function layout(summary: ComponentSummary, top: number) {
  const frontier = summary.frontier ?? { 'target-tracking': [], hpa: [] };
  const points = [
    ...FRONTIER_BASELINES.flatMap((b) => frontier[b]),
    ...POLICY_NAMES.map((p) => summary.policies[p]),
    ...(summary.oracle ? [summary.oracle] : []),
  ];
  const hours = points.map((p) => p.instanceHours);
  const lo = Math.min(...hours);
  const hi = Math.max(...hours);
  // A little room either side keeps the extreme points off the frame.
  const xAxis = niceAxis(lo - (hi - lo) * 0.04, hi + (hi - lo) * 0.04, 6);
  const minutes = points.map((p) => p.sloViolationMinutes);
  const yAxis = symlogAxis(Math.min(...minutes), Math.max(...minutes));
  const right = WIDTH - MARGIN.right;
  const bottom = top + PLOT_HEIGHT;
  const f: Frame = {
    left: MARGIN.left,
    right,
    top,
    bottom,
    x: (h) => MARGIN.left + ((right - MARGIN.left) * (h - xAxis.lo)) / (xAxis.hi - xAxis.lo),
    y: (m) => bottom - PLOT_HEIGHT * yAxis.at(m),
  };
  return { frame: f, xAxis, yAxis };
}

function axes(f: Frame, xAxis: ReturnType<typeof niceAxis>, yAxis: ReturnType<typeof symlogAxis>): string {
  const vertical = xAxis.ticks
    .map((v) => {
      const x = px(f.x(v));
      return `<line x1="${x}" x2="${x}" y1="${f.top}" y2="${f.bottom}" stroke="#eee"/><text data-axis="x" x="${x}" y="${f.bottom + 15}" font-size="10" text-anchor="middle">${tickLabel(v, xAxis.step)}</text>`;
    })
    .join('');
  const horizontal = yAxis.ticks
    .map((v) => {
      const y = px(f.y(v));
      return `<line x1="${f.left}" x2="${f.right}" y1="${y}" y2="${y}" stroke="#eee"/><text data-axis="y" x="${f.left - 6}" y="${px(f.y(v) + 3.5)}" font-size="10" text-anchor="end">${v}</text>`;
    })
    .join('');
  const frameLines = `<path d="M${f.left},${f.top}V${f.bottom}H${f.right}" fill="none" stroke="#999"/>`;
  const titles = `<text data-axis-title="x" x="${px((f.left + f.right) / 2)}" y="${f.bottom + 36}" font-size="11" text-anchor="middle">cost: instance-hours over the run</text><text data-axis-title="y" transform="translate(16,${px((f.top + f.bottom) / 2)}) rotate(-90)" font-size="11" text-anchor="middle">SLO-violation minutes (log scale)</text>`;
  return `${vertical}${horizontal}${frameLines}${titles}`;
}

const pointTitle = (name: string, p: { sloViolationMinutes: number; instanceHours: number }) =>
  `${name}: ${p.sloViolationMinutes} SLO-violation minutes, ${p.instanceHours.toFixed(1)} instance-hours`;

/** A baseline's swept targets joined in target order, each a small dot. */
function curve(baseline: FrontierBaseline, points: readonly FrontierPoint[], f: Frame): string {
  const ordered = inOrder(points);
  const d = ordered
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${px(f.x(p.instanceHours))},${px(f.y(p.sloViolationMinutes))}`)
    .join('');
  const dots = ordered
    .map(
      (p) =>
        `<circle data-point="frontier" data-series="${baseline}" data-target="${p.target}" cx="${px(f.x(p.instanceHours))}" cy="${px(f.y(p.sloViolationMinutes))}" r="2.5" fill="${COLOURS[baseline]}"><title>${escape(pointTitle(`${baseline} at ${pct(p.target)}`, p))}</title></circle>`,
    )
    .join('');
  return `<path data-curve="${baseline}" d="${d}" fill="none" stroke="${COLOURS[baseline]}" stroke-width="1.5" stroke-opacity="0.75"/>${dots}`;
}

function oracleMark(oracle: NonNullable<ComponentSummary['oracle']>, f: Frame): string {
  const x = f.x(oracle.instanceHours);
  const y = f.y(oracle.sloViolationMinutes);
  return `<path data-point="oracle" d="M${px(x)},${px(y - 7)}L${px(x + 7)},${px(y)}L${px(x)},${px(y + 7)}L${px(x - 7)},${px(y)}Z" fill="${ORACLE_COLOUR}"><title>${escape(pointTitle('oracle (perfect foresight)', oracle))}</title></path>`;
}

function policyMark(policy: PolicyName, summary: ComponentSummary, f: Frame): string {
  const m = summary.policies[policy];
  return `<circle data-point="policy" data-series="${policy}" cx="${px(f.x(m.instanceHours))}" cy="${px(f.y(m.sloViolationMinutes))}" r="5.5" fill="${COLOURS[policy]}" stroke="#ffffff" stroke-width="1.5"><title>${escape(pointTitle(`${policy} as run`, m))}</title></circle>`;
}

/** A label to place at a drawn point: its text, look, data attributes and whether it must show. */
interface PointLabel {
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly size: number;
  readonly colour: string;
  readonly attrs: string;
  readonly required: boolean;
}

type Measured = { readonly sloViolationMinutes: number; readonly instanceHours: number };

/**
 * The labels, most important first so that they get the free spots: the policies and the oracle
 * (always shown), then each curve's ends (always), then every other target (left out where it
 * would cover another label or a point).
 */
function pointLabels(summary: ComponentSummary, f: Frame): PointLabel[] {
  const at = (m: Measured) => ({ x: f.x(m.instanceHours), y: f.y(m.sloViolationMinutes) });
  const policies = POLICY_NAMES.map((p) => ({
    ...at(summary.policies[p]),
    text: p,
    size: POINT_FONT,
    colour: COLOURS[p],
    attrs: `data-label="policy" data-series="${p}"`,
    required: true,
  }));
  const oracle = summary.oracle
    ? [
        {
          ...at(summary.oracle),
          text: 'oracle',
          size: POINT_FONT,
          colour: ORACLE_COLOUR,
          attrs: 'data-label="oracle"',
          required: true,
        },
      ]
    : [];
  const targets = FRONTIER_BASELINES.flatMap((b) =>
    inOrder(summary.frontier?.[b] ?? []).map((p, i, all) => ({
      ...at(p),
      text: pct(p.target),
      size: TARGET_FONT,
      colour: COLOURS[b],
      attrs: `data-label="target" data-series="${b}"`,
      required: i === 0 || i === all.length - 1,
      shown: i === 0 || i === all.length - 1 || i % 2 === 0,
    })),
  );
  const ends = targets.filter((t) => t.required);
  const others = targets.filter((t) => !t.required && t.shown);
  return [...policies, ...oracle, ...ends, ...others];
}

/** Every point drawn, so that no label covers one: the policies' and oracle's marks, the curves' dots. */
function reservePoints(placer: LabelPlacer, summary: ComponentSummary, f: Frame): void {
  const big = [...POLICY_NAMES.map((p) => summary.policies[p]), ...(summary.oracle ? [summary.oracle] : [])];
  const dots = FRONTIER_BASELINES.flatMap((b) => summary.frontier?.[b] ?? []);
  const reserve = (m: Measured, r: number) =>
    placer.reserve({
      x: f.x(m.instanceHours) - r,
      y: f.y(m.sloViolationMinutes) - r,
      width: 2 * r,
      height: 2 * r,
    });
  big.forEach((m) => reserve(m, 7));
  dots.forEach((m) => reserve(m, 2.5));
}

function labels(summary: ComponentSummary, f: Frame): string {
  const placer = new LabelPlacer({ x: f.left, y: f.top, width: f.right - f.left, height: f.bottom - f.top });
  reservePoints(placer, summary, f);
  return pointLabels(summary, f)
    .map((l) => {
      const gap = l.size === TARGET_FONT ? 4 : 8;
      // A label far from its point could be read as another's: only those that must show go further.
      const spot = placer.place(l.text, l.size, spotsAround(l.x, l.y, gap, l.required ? 3 : 1), l.required);
      return spot
        ? `<text ${l.attrs} x="${px(spot.x)}" y="${px(spot.y)}" font-size="${l.size}" text-anchor="${spot.anchor}" fill="${l.colour}"${HALO}>${escape(l.text)}</text>`
        : '';
    })
    .join('');
}

function legendItems(summary: ComponentSummary): LegendItem[] {
  const swept = (b: FrontierBaseline): LegendItem => {
    const targets = inOrder(summary.frontier?.[b] ?? []);
    const range =
      targets.length > 0
        ? ` ${pct(targets[0]?.target ?? 0)}-${pct(targets[targets.length - 1]?.target ?? 0)}`
        : '';
    return {
      key: `curve-${b}`,
      label: `${b}, target swept${range}`,
      sample: (x, y) =>
        `<line x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${COLOURS[b]}" stroke-width="1.5"/><circle cx="${x + 9}" cy="${y}" r="2.5" fill="${COLOURS[b]}"/>`,
    };
  };
  return [
    ...FRONTIER_BASELINES.map(swept),
    {
      key: 'oracle',
      label: 'oracle (perfect foresight)',
      sample: (x, y) =>
        `<path d="M${x + 9},${y - 6}L${x + 15},${y}L${x + 9},${y + 6}L${x + 3},${y}Z" fill="${ORACLE_COLOUR}"/>`,
    },
    {
      key: 'policy',
      label: 'policy as run',
      sample: (x, y) =>
        `<circle cx="${x + 9}" cy="${y}" r="5" fill="#888888" stroke="#ffffff" stroke-width="1.5"/>`,
    },
  ];
}

/** The chart, or '' when the run did not sweep the frontier. */
export function frontierChart(summary: ComponentSummary): string {
  if (!summary.frontier) return '';
  const legend = legendRows(legendItems(summary), MARGIN.left, WIDTH - MARGIN.right);
  const { frame: f, xAxis, yAxis } = layout(summary, legend.height + 8);
  const curves = FRONTIER_BASELINES.map((b) => curve(b, summary.frontier?.[b] ?? [], f)).join('');
  const oracle = summary.oracle ? oracleMark(summary.oracle, f) : '';
  const points = POLICY_NAMES.map((p) => policyMark(p, summary, f)).join('');
  const text = labels(summary, f);
  const height = f.bottom + MARGIN.bottom;
  const label = `${summary.component}: SLO-violation minutes against instance-hours, with target tracking's and the HPA's swept targets, the oracle and each policy`;
  return `<svg class="frontier" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escape(label)}">${axes(f, xAxis, yAxis)}${curves}${oracle}${points}${text}${legend.svg}</svg>`;
}
