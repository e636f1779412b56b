import type { TimelineEvent } from '../baselines/types';
import type { ComponentResult, PolicyName } from '../run/simulate';
import { POLICY_NAMES } from '../run/simulate';
import type { Fault } from '../twin/faults';
import { clockLabel, clockLabelAtSeconds, clockTicks, runClock, timeAxisTitle, type RunClock } from './clock';
import { LabelPlacer, type Box } from './label-placer';
import { legendRows, type LegendItem } from './legend';
import { COLOURS, escape, FAULT_COLOUR, HALO, niceAxis, PAGE_COLOUR, px, tickLabel } from './svg';

/**
 * The time-series chart: demand and every policy's running instances, minute by minute, with the
 * control plane's actions, pauses and pages and the injected AWS faults marked on the time axis.
 */

const WIDTH = 960;
const PLOT_HEIGHT = 210;
/** Room above the highest line for the pages' markers and the faults' labels. */
const HEADROOM = 16;
const MARGIN = { left: 58, right: 16, bottom: 46 };
const FONT = 10;

/** Where the plot sits in the SVG and how minutes and instances map onto it. */
interface Frame {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  x(minute: number): number;
  y(instances: number): number;
}

/** Instance counts are whole steps: a point only where the value changes keeps the SVG small. */
function stepPath(values: readonly number[], frame: Frame): string {
  let d = `M${px(frame.x(0))},${px(frame.y(values[0] ?? 0))}`;
  values.forEach((v, i) => {
    if (i > 0 && v !== values[i - 1]) d += `H${px(frame.x(i))}V${px(frame.y(v))}`;
  });
  // A minute's value holds until the minute ends.
  return `${d}H${px(frame.x(values.length))}`;
}

type SeriesName = PolicyName | 'demand';

function seriesPaths(series: ReadonlyArray<[SeriesName, readonly number[]]>, frame: Frame): string {
  return series
    .map(([name, values]) => {
      const dash = name === 'demand' ? ' stroke-dasharray="4 3"' : '';
      return `<path class="series" data-series="${name}" d="${stepPath(values, frame)}" fill="none" stroke="${COLOURS[name]}" stroke-width="1.5"${dash}/>`;
    })
    .join('');
}

function instanceAxis(frame: Frame, ticks: readonly number[], step: number): string {
  const lines = ticks
    .map((v) => {
      const y = px(frame.y(v));
      return `<line x1="${frame.left}" x2="${frame.right}" y1="${y}" y2="${y}" stroke="#eee"/><text data-axis="y" x="${frame.left - 6}" y="${px(frame.y(v) + 3.5)}" font-size="${FONT}" text-anchor="end">${tickLabel(v, step)}</text>`;
    })
    .join('');
  const middle = px((frame.top + frame.bottom) / 2);
  return `${lines}<text data-axis-title="y" transform="translate(16,${middle}) rotate(-90)" font-size="11" text-anchor="middle">instances (running)</text>`;
}

function timeAxis(frame: Frame, clock: RunClock): string {
  const ticks = clockTicks(clock, frame.right - frame.left)
    .map((m) => {
      const x = px(frame.x(m));
      return `<line x1="${x}" x2="${x}" y1="${frame.bottom}" y2="${frame.bottom + 4}" stroke="#999"/><text data-axis="x" x="${x}" y="${frame.bottom + 15}" font-size="${FONT}" text-anchor="middle">${clockLabel(clock, m)}</text>`;
    })
    .join('');
  const centre = px((frame.left + frame.right) / 2);
  return `<line x1="${frame.left}" x2="${frame.right}" y1="${frame.bottom}" y2="${frame.bottom}" stroke="#999"/>${ticks}<text data-axis-title="x" x="${centre}" y="${frame.bottom + 34}" font-size="11" text-anchor="middle">${escape(timeAxisTitle(clock))}</text>`;
}

const tooltip = (text: string, withTitle: boolean) => (withTitle ? `<title>${escape(text)}</title>` : '');

/** One drawn timeline event, and the box it covers (which fault labels keep off). */
interface Mark {
  readonly svg: string;
  readonly box: Box;
}

/**
 * Why these shapes: a scale action is frequent and small (a tick on the time axis), a pause or
 * resume changes what every later minute means (a line across the plot), a page is what an
 * operator is woken by (red, at the top, where the eye starts).
 */
function timelineMark(event: TimelineEvent, frame: Frame, clock: RunClock, withTitle: boolean): Mark {
  const x = frame.x(event.time / 60);
  const title = tooltip(`${clockLabelAtSeconds(clock, event.time)} ${event.kind}: ${event.text}`, withTitle);
  const at = `data-marker="${event.kind}"`;
  const { top, bottom } = frame;
  switch (event.kind) {
    case 'scale':
      return {
        svg: `<g ${at}>${title}<line x1="${px(x)}" x2="${px(x)}" y1="${bottom - 9}" y2="${bottom}" stroke="${COLOURS['control-plane']}" stroke-width="1.5"/></g>`,
        box: { x: x - 2, y: bottom - 9, width: 4, height: 9 },
      };
    case 'pause':
    case 'resume':
      return {
        svg: `<g ${at}>${title}<line x1="${px(x)}" x2="${px(x)}" y1="${top}" y2="${bottom}" stroke="#444" stroke-width="1.2" stroke-dasharray="${event.kind === 'pause' ? '6 3' : '2 3'}"/></g>`,
        box: { x: x - 1, y: top, width: 2, height: 1 },
      };
    case 'escalate':
    case 'resolve': {
      const fill = event.kind === 'escalate' ? PAGE_COLOUR : '#ffffff';
      return {
        svg: `<g ${at}>${title}<path d="M${px(x - 4.5)},${top}H${px(x + 4.5)}L${px(x)},${top + 8}Z" fill="${fill}" stroke="${PAGE_COLOUR}"/></g>`,
        box: { x: x - 5, y: top, width: 10, height: 9 },
      };
    }
  }
}

const FAULT_NAMES: Record<Fault['kind'], string> = {
  'api-throttling': 'UpdateService throttled',
  'placement-failure': 'ECS cannot place tasks',
  'insufficient-gpu-capacity': 'no GPU capacity',
};

/**
 * A fault's window as a shaded band (a line for throttling, which starts at a minute), and its
 * label, which is drawn apart, over the lines, to stay legible.
 */
function faultMark(
  fault: Fault,
  frame: Frame,
  clock: RunClock,
  labels: LabelPlacer,
  withTitle: boolean,
): { band: string; label: string } {
  const from = fault.kind === 'api-throttling' ? fault.atMinute : fault.fromMinute;
  const x = frame.x(from);
  const label =
    fault.kind === 'api-throttling' ? `throttled (${fault.calls} calls)` : FAULT_NAMES[fault.kind];
  const span =
    fault.kind === 'api-throttling'
      ? `from ${clockLabel(clock, from)}, the next ${fault.calls} calls`
      : `${clockLabel(clock, from)}-${clockLabel(clock, fault.toMinute)}`;
  const title = tooltip(`injected fault: ${FAULT_NAMES[fault.kind]}, ${span}`, withTitle);
  const shape =
    fault.kind === 'api-throttling'
      ? `<line x1="${px(x)}" x2="${px(x)}" y1="${frame.top}" y2="${frame.bottom}" stroke="${FAULT_COLOUR}" stroke-width="1.5"/>`
      : `<rect x="${px(x)}" y="${frame.top}" width="${px(Math.max(1, frame.x(fault.toMinute) - x))}" height="${frame.bottom - frame.top}" fill="${FAULT_COLOUR}" fill-opacity="0.16"/>`;
  // Stacked rows under the pages: faults close together (two throttles 40 minutes apart) keep apart.
  const rows = [14, 26, 38, 50].map((dy) => ({ x: x + 3, y: frame.top + dy, anchor: 'start' as const }));
  const spot = labels.place(label, FONT, rows, true);
  const text = spot
    ? `<text data-label="fault" data-fault="${fault.kind}" x="${px(spot.x)}" y="${px(spot.y)}" font-size="${FONT}" fill="#8a4b00"${HALO}>${escape(label)}</text>`
    : '';
  return { band: `<g data-marker="fault" data-fault="${fault.kind}">${title}${shape}</g>`, label: text };
}

/** The legend's entries: the lines always, marker kinds only when the chart has them. */
function legendItems(events: readonly TimelineEvent[], faults: readonly Fault[]): LegendItem[] {
  const line = (name: SeriesName, label: string): LegendItem => ({
    key: name,
    label,
    sample: (x, y) =>
      `<line x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${COLOURS[name]}" stroke-width="2.5"${name === 'demand' ? ' stroke-dasharray="4 3"' : ''}/>`,
  });
  const has = (kind: TimelineEvent['kind']) => events.some((e) => e.kind === kind);
  const vertical =
    (colour: string, dash = '') =>
    (x: number, y: number) =>
      `<line x1="${x + 9}" x2="${x + 9}" y1="${y - 6}" y2="${y + 6}" stroke="${colour}" stroke-width="1.5"${dash}/>`;
  const triangle = (fill: string) => (x: number, y: number) =>
    `<path d="M${x + 4.5},${y - 4}H${x + 13.5}L${x + 9},${y + 4}Z" fill="${fill}" stroke="${PAGE_COLOUR}"/>`;
  const markers: Array<[boolean, LegendItem]> = [
    [
      has('scale'),
      { key: 'scale', label: 'scale action (control plane)', sample: vertical(COLOURS['control-plane']) },
    ],
    [has('pause'), { key: 'pause', label: 'paused', sample: vertical('#444', ' stroke-dasharray="3 2"') }],
    [has('resume'), { key: 'resume', label: 'resumed', sample: vertical('#444', ' stroke-dasharray="1 2"') }],
    [has('escalate'), { key: 'escalate', label: 'page', sample: triangle(PAGE_COLOUR) }],
    [has('resolve'), { key: 'resolve', label: 'page resolved', sample: triangle('#ffffff') }],
    [
      faults.some((f) => f.kind !== 'api-throttling'),
      {
        key: 'fault',
        label: 'injected fault',
        sample: (x, y) =>
          `<rect x="${x + 2}" y="${y - 6}" width="14" height="12" fill="${FAULT_COLOUR}" fill-opacity="0.3"/>`,
      },
    ],
    [
      faults.some((f) => f.kind === 'api-throttling'),
      { key: 'throttling', label: 'API throttled', sample: vertical(FAULT_COLOUR) },
    ],
  ];
  return [
    line('demand', 'demand (instances needed)'),
    ...POLICY_NAMES.map((p) => line(p, p)),
    ...markers.filter(([shown]) => shown).map(([, item]) => item),
  ];
}

/** The plot below the legend: minutes across, instances up, with headroom for the top markers. */
function chartFrame(top: number, clock: RunClock, axis: { lo: number; hi: number }): Frame {
  const left = MARGIN.left;
  const right = WIDTH - MARGIN.right;
  const bottom = top + PLOT_HEIGHT;
  return {
    left,
    right,
    top,
    bottom,
    x: (minute) => left + ((right - left) * minute) / Math.max(1, clock.minutes),
    y: (v) => bottom - ((PLOT_HEIGHT - HEADROOM) * (v - axis.lo)) / (axis.hi - axis.lo),
  };
}

/**
 * One SVG chart of a component's run. `standalone` makes a file of its own (namespace, white
 * background, no tooltips) for docs/simulator.md; the report inlines it.
 */
export function chart(result: ComponentResult, standalone = false): string {
  const clock = runClock(result);
  const events = result.runs['control-plane'].timeline;
  const series: Array<[SeriesName, readonly number[]]> = [
    ['demand', result.runs['control-plane'].demand],
    ...POLICY_NAMES.map((p): [SeriesName, readonly number[]] => [p, result.runs[p].supply]),
  ];
  const legend = legendRows(legendItems(events, result.faults), MARGIN.left, WIDTH - MARGIN.right);
  const axis = niceAxis(0, Math.max(1, ...series.flatMap(([, v]) => v)), 5, 1);
  const frame = chartFrame(legend.height + 10, clock, axis);
  const marks = events.map((e) => timelineMark(e, frame, clock, !standalone));
  const labels = new LabelPlacer({
    x: frame.left,
    y: frame.top,
    width: frame.right - frame.left,
    height: PLOT_HEIGHT,
  });
  for (const m of marks) labels.reserve(m.box);
  const faults = result.faults.map((f) => faultMark(f, frame, clock, labels, !standalone));
  const body = [
    instanceAxis(frame, axis.ticks, axis.step),
    timeAxis(frame, clock),
    faults.map((f) => f.band).join(''),
    seriesPaths(series, frame),
    marks.map((m) => m.svg).join(''),
    faults.map((f) => f.label).join(''),
    legend.svg,
  ].join('');
  const height = frame.bottom + MARGIN.bottom;
  const label = `${result.summary.component}: demand and running instances per policy over time`;
  const size = `viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escape(label)}"`;
  if (!standalone) return `<svg class="chart" ${size}>${body}</svg>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" ${size} font-family="sans-serif"><rect width="100%" height="100%" fill="#ffffff"/>${body}</svg>\n`;
}
