import type { TimelineEvent } from '../../sim/baselines/types';
import { clockLabel, clockTicks } from '../../sim/report/clock';
import { frontierChart } from '../../sim/report/frontier-chart';
import { renderReport } from '../../sim/report/html';
import { metricColumns } from '../../sim/report/metrics-table';
import { symlogAxis } from '../../sim/report/svg';
import { chart } from '../../sim/report/time-series-chart';
import { METRIC_KEYS, type PolicyMetrics, type PolicyRun } from '../../sim/run/run-policy';
import {
  POLICY_NAMES,
  type ComponentResult,
  type PolicyName,
  type PolicySummary,
} from '../../sim/run/simulate';
import { noUsage } from '../../sim/workflows/scale-workflow-runtime';

/**
 * The report's charts drawn from a small hand-built run (ten minutes, no simulation): what each
 * chart must show, read straight from the SVG.
 */

const START = Date.parse('2026-11-23T09:00:00Z') / 1000;
const UNREACHABLE = 'fewer SLO-violation minutes than any target tracking target reached';

function metrics(sloViolationMinutes: number, instanceHours: number): PolicyMetrics {
  return {
    thetaU: 1,
    thetaO: 2,
    tauU: 3,
    tauO: 4,
    instability: 5,
    jitter: 0.5,
    sloViolationMinutes,
    instanceHours,
    actions: 2,
    decisionLatencyP95Seconds: 60,
    heldDecisionLatencyP95Seconds: 240,
    heldScaleOuts: 1,
    breachesAnsweredWithoutScaling: 0,
  };
}

const MEASURED: Record<PolicyName, [number, number]> = {
  'control-plane': [1, 0.5],
  'target-tracking': [4, 0.4],
  'step-seed': [2, 0.6],
  hpa: [6, 0.35],
};

const TIMELINE: TimelineEvent[] = [
  { time: 120, kind: 'scale', text: 'odoo 2 -> 3 (cpu above 70 %)' },
  { time: 300, kind: 'pause', text: 'runaway protection paused odoo' },
  { time: 330, kind: 'escalate', text: 'Critical: odoo paused' },
];

function run(policy: PolicyName): PolicyRun {
  const demand = [2, 2, 3, 3, 3, 4, 4, 3, 2, 2];
  return {
    policy,
    demand,
    supply: demand.map((d, i) => (i % 3 === 0 ? d + 1 : d)),
    desired: demand,
    metrics: metrics(...MEASURED[policy]),
    timeline: policy === 'control-plane' ? TIMELINE : [],
  };
}

function summaryOf(policy: PolicyName): PolicySummary {
  const ratios =
    policy === 'control-plane'
      ? {
          frontierCostRatio: null,
          frontierCostRatioReason: UNREACHABLE,
          frontierSloRatio: 0.5,
          oracleCostRatio: 1.67,
        }
      : { frontierCostRatio: 1, frontierSloRatio: 1, oracleCostRatio: 1.2 };
  return { ...metrics(...MEASURED[policy]), ...ratios };
}

function result(overrides: Partial<ComponentResult> = {}): ComponentResult {
  const runs = Object.fromEntries(POLICY_NAMES.map((p) => [p, run(p)])) as Record<PolicyName, PolicyRun>;
  return {
    summary: {
      component: 'odoo',
      steps: 10,
      profile: {
        env: 'dev',
        capacity: { min: 1, max: 1 },
        automaticScaling: false,
        note: 'automatic scaling is off in dev: the control plane holds odoo at its pinned capacity',
      },
      policies: Object.fromEntries(POLICY_NAMES.map((p) => [p, summaryOf(p)])) as Record<
        PolicyName,
        PolicySummary
      >,
      frontier: {
        'target-tracking': [
          { target: 0.4, sloViolationMinutes: 2, instanceHours: 0.5 },
          { target: 0.85, sloViolationMinutes: 8, instanceHours: 0.3 },
        ],
        hpa: [
          { target: 0.4, sloViolationMinutes: 3, instanceHours: 0.45 },
          { target: 0.85, sloViolationMinutes: 9, instanceHours: 0.28 },
        ],
      },
      oracle: metrics(0, 0.3),
    },
    runs,
    load: [1, 1, 2, 2, 2, 3, 3, 2, 1, 1],
    usage: noUsage(),
    faults: [
      { kind: 'placement-failure', fromMinute: 3, toMinute: 6 },
      { kind: 'api-throttling', atMinute: 7, calls: 8 },
    ],
    start: START,
    ...overrides,
  };
}

const count = (svg: string, pattern: RegExp) => (svg.match(new RegExp(pattern, 'g')) ?? []).length;

describe('the frontier chart', () => {
  const svg = frontierChart(result().summary);

  test('draws and labels each policy as a point in its colour', () => {
    expect(count(svg, /data-point="policy"/)).toBe(4);
    for (const p of POLICY_NAMES) {
      expect(svg).toContain(`data-point="policy" data-series="${p}"`);
      expect(svg).toMatch(new RegExp(`data-label="policy" data-series="${p}"[^>]*>${p}</text>`));
    }
  });

  test('marks the oracle apart and labels it', () => {
    expect(count(svg, /data-point="oracle"/)).toBe(1);
    expect(svg).toMatch(/data-label="oracle"[^>]*>oracle<\/text>/);
  });

  test("joins target tracking's and the HPA's swept targets into curves labelled by target", () => {
    expect(svg).toContain('data-curve="target-tracking"');
    expect(svg).toContain('data-curve="hpa"');
    expect(count(svg, /data-point="frontier" data-series="target-tracking"/)).toBe(2);
    expect(count(svg, /data-point="frontier" data-series="hpa"/)).toBe(2);
    // Both ends of each curve are always labelled.
    expect(count(svg, /data-label="target"[^>]*>40 %</)).toBe(2);
    expect(count(svg, /data-label="target"[^>]*>85 %</)).toBe(2);
  });

  test('names both axes with their units', () => {
    expect(svg).toMatch(/data-axis-title="x"[^>]*>cost: instance-hours/);
    expect(svg).toMatch(/data-axis-title="y"[^>]*>SLO-violation minutes/);
  });

  test('is left out when the run did not sweep the frontier', () => {
    expect(frontierChart({ ...result().summary, frontier: undefined })).toBe('');
  });
});

describe('the time-series chart', () => {
  const svg = chart(result());

  test('names its axes and labels the time axis in UTC clock time from the start', () => {
    expect(svg).toMatch(/data-axis-title="y"[^>]*>instances \(running\)</);
    expect(svg).toMatch(/data-axis-title="x"[^>]*>time \(UTC\), from Mon 2026-11-23</);
    expect(svg).toMatch(/data-axis="x"[^>]*>09:00</);
    expect(svg).toMatch(/data-axis="x"[^>]*>09:10</);
  });

  test("marks the control plane's scale action, pause and page", () => {
    expect(count(svg, /data-marker="scale"/)).toBe(1);
    expect(count(svg, /data-marker="pause"/)).toBe(1);
    expect(count(svg, /data-marker="escalate"/)).toBe(1);
    expect(svg).toContain('<title>09:05 pause: runaway protection paused odoo</title>');
  });

  test('shades the placement fault and draws the throttling as a line, each labelled', () => {
    expect(svg).toMatch(
      /<g data-marker="fault" data-fault="placement-failure"><title>[^<]*09:03-09:06<\/title><rect /,
    );
    expect(svg).toMatch(/<g data-marker="fault" data-fault="api-throttling"><title>[^<]*<\/title><line /);
    expect(svg).toMatch(/data-label="fault" data-fault="placement-failure"[^>]*>ECS cannot place tasks</);
    expect(svg).toMatch(/data-label="fault" data-fault="api-throttling"[^>]*>throttled \(8 calls\)</);
  });

  test('has a legend of demand, each policy and the marker kinds it shows', () => {
    for (const key of ['demand', ...POLICY_NAMES, 'scale', 'pause', 'escalate', 'fault', 'throttling'])
      expect(svg).toContain(`data-legend="${key}"`);
    // Kinds the run does not have are not explained.
    expect(svg).not.toContain('data-legend="resume"');
  });

  test('draws the lines as steps, only where the count changes', () => {
    const demand = /data-series="demand" d="([^"]+)"/.exec(svg)?.[1] ?? '';
    // Starts, then 2 -> 3 -> 4 -> 3 -> 2: four changes, each a horizontal and a vertical move.
    expect(count(demand, /V/)).toBe(4);
  });

  test('standalone, it is a file of its own with a namespace and a white background, and no tooltips', () => {
    const file = chart(result(), true);
    expect(file).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*><rect width="100%" height="100%" fill="#ffffff"\/>/,
    );
    expect(file).not.toContain('<title>');
    expect(file).toContain('data-series="control-plane"');
  });

  test('without dates minute 0 is 00:00', () => {
    const svg = chart(result({ start: undefined }));
    expect(svg).toMatch(/data-axis="x"[^>]*>00:00</);
    expect(svg).toContain('minute 0 is 00:00 of day 1');
  });
});

describe('clock time on the time axis', () => {
  test('a day is labelled HH:MM, from the start in UTC', () => {
    expect(clockLabel({ minutes: 1440, start: START }, 0)).toBe('09:00');
    expect(clockLabel({ minutes: 1440, start: START }, 16 * 60)).toBe('01:00');
    expect(clockLabel({ minutes: 1440 }, 1440)).toBe('24:00');
  });

  test('a week adds the weekday, or the day without dates', () => {
    expect(clockLabel({ minutes: 10080, start: START }, 21 * 60)).toBe('Tue 06:00');
    expect(clockLabel({ minutes: 10080 }, 30 * 60)).toBe('day 2 06:00');
  });

  test('ticks fall on whole clock times and fit the width', () => {
    const start = START + 17 * 60; // 09:17
    const ticks = clockTicks({ minutes: 1440, start }, 880);
    expect(clockLabel({ minutes: 1440, start }, ticks[0] ?? -1)).toBe('10:00');
    expect(ticks.length).toBeLessThanOrEqual(13);
    const week = clockTicks({ minutes: 10080 }, 880);
    expect(week.length).toBeGreaterThan(3);
    expect(week.length).toBeLessThanOrEqual(13);
  });
});

describe('the report around the charts', () => {
  const html = renderReport('hand-built', [result()], ['a note']);

  test('shows a null ratio as n/a with its reason, as a tooltip and as a footnote', () => {
    expect(html).toContain(`title="${UNREACHABLE}">n/a`);
    expect(html).toMatch(
      new RegExp(`<li id="odoo-ratio-note-1" data-reason="1">control-plane, [^<]*: ${UNREACHABLE}</li>`),
    );
  });

  test("shows the oracle's own SLO minutes and instance-hours beside the ratios", () => {
    expect(html).toMatch(/<tr data-policy="oracle"><th>oracle<\/th><td>0<\/td><td>0.30<\/td>/);
  });

  test('states the profile, and its note before any figure when it does not scale', () => {
    expect(html).toContain('Environment profile <b>dev</b>: capacity 1-1 instances, automatic scaling off.');
    expect(html.indexOf('class="profile-note"')).toBeGreaterThan(0);
    expect(html.indexOf('class="profile-note"')).toBeLessThan(html.indexOf('<svg class="chart"'));
  });

  test('the metrics table has every metric, the decision latencies and the ratios', () => {
    expect(metricColumns().map((c) => c.key)).toEqual([...METRIC_KEYS]);
    for (const key of [
      'decisionLatencyP95Seconds',
      'heldDecisionLatencyP95Seconds',
      'heldScaleOuts',
      'frontierCostRatio',
    ])
      expect(html).toContain(`data-metric="${key}"`);
    expect(html).toContain('held by a seed cooldown');
  });

  test('stays self-contained: no scripts, links or external resources', () => {
    expect(html).not.toMatch(/<script|<link|@import|url\(|https?:\/\//);
  });
});

describe('the frontier chart y axis (SLO-violation minutes, symmetric log)', () => {
  test('starts at 0 when a point has none, and reaches past the most', () => {
    const axis = symlogAxis(0, 403);
    expect(axis.ticks[0]).toBe(0);
    expect(axis.hi).toBeGreaterThanOrEqual(403);
    expect(axis.at(0)).toBe(0);
    expect(axis.at(axis.hi)).toBeCloseTo(1);
  });

  test('starts near the fewest when every point has many', () => {
    expect(symlogAxis(40, 131).ticks).toEqual([20, 50, 100, 200]);
  });
});
