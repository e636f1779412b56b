import { COMPONENT_POLICIES } from '../../lib/config/components';
import type { ComponentPolicy } from '../../lib/config/schema';
import { hpa } from '../../sim/baselines/hpa';
import { stepScaling } from '../../sim/baselines/step-scaling';
import { targetTracking } from '../../sim/baselines/target-tracking';
import type { Baseline } from '../../sim/baselines/types';

type Metrics = Record<string, number | null>;

/**
 * Drives a controller the way the twin does: one call per `periodSeconds`, the returned capacity
 * becoming the next call's `desired`. `running` follows `desired` unless a step pins it.
 */
class Run {
  time: number;
  desired: number;
  readonly decisions: { time: number; desired: number }[] = [];

  constructor(
    private readonly controller: Baseline,
    desired: number,
    start = 0,
  ) {
    this.desired = desired;
    this.time = start;
  }

  /** One call at the current time, then the clock moves one period on. Returns the new desired. */
  step(metrics: Metrics, running = this.desired): number {
    const next = this.controller.decide({ time: this.time, desired: this.desired, running, metrics });
    this.decisions.push({ time: this.time, desired: next });
    this.desired = next;
    this.time += this.controller.periodSeconds;
    return next;
  }

  /** `n` calls with the same metrics; returns the desired capacity after each. */
  steps(n: number, metrics: Metrics, running?: number): number[] {
    return Array.from({ length: n }, () => this.step(metrics, running));
  }

  /** Times at which the desired capacity changed. */
  changes(): { time: number; desired: number }[] {
    const out: { time: number; desired: number }[] = [];
    let previous: number | undefined;
    for (const d of this.decisions) {
      if (previous !== undefined && d.desired !== previous) out.push(d);
      previous = d.desired;
    }
    return out;
  }
}

const cpu = (value: number | null): Metrics => ({ 'cpu-utilization': value });

describe('AWS target tracking (Application Auto Scaling, ECS service)', () => {
  const tt = (extra: Partial<Parameters<typeof targetTracking>[0]> = {}) =>
    targetTracking({ metric: 'cpu-utilization', target: 50, min: 1, max: 10, ...extra });

  test('is called every minute', () => {
    expect(tt().periodSeconds).toBe(60);
  });

  test('scales out only after 3 breaching minutes, to ceil(current * metric / target)', () => {
    const run = new Run(tt(), 2);
    // 2 * 80 / 50 = 3.2 -> 4 on the third minute above the target.
    expect(run.steps(3, cpu(80))).toEqual([2, 2, 4]);
  });

  test('a minute at or below the target restarts the 3-minute count', () => {
    const run = new Run(tt(), 2);
    expect(run.steps(2, cpu(80))).toEqual([2, 2]);
    expect(run.step(cpu(50))).toBe(2); // not above 50
    expect(run.steps(2, cpu(80))).toEqual([2, 2]);
    expect(run.step(cpu(80))).toBe(4);
  });

  test('a missing datapoint does not breach', () => {
    const run = new Run(tt(), 2);
    expect([run.step(cpu(80)), run.step(cpu(null)), run.step(cpu(80))]).toEqual([2, 2, 2]);
    expect(run.step(cpu(80))).toBe(2); // [null, 80, 80]
    expect(run.step(cpu(80))).toBe(4);
  });

  test('scales in only after 15 minutes below 90 % of the target, rounding so as to keep capacity', () => {
    const run = new Run(tt(), 10);
    // 44 < 45: the 15th minute removes floor(10 - 10 * 44 / 50) = floor(1.2) = 1 task.
    const out = run.steps(15, cpu(44));
    expect(out.slice(0, 14)).toEqual(Array(14).fill(10));
    expect(out[14]).toBe(9);
  });

  test('never scales in while utilisation stays within 10 % below the target', () => {
    const run = new Run(tt(), 10);
    expect(run.steps(40, cpu(46)).every((d) => d === 10)).toBe(true); // 46 is below 50 but not below 45
    expect(run.steps(40, cpu(45)).every((d) => d === 10)).toBe(true); // the threshold itself does not breach
  });

  test('scale-in is proportional: 4 tasks at 20 % of a 50 % target become ceil(4 * 0.4) = 2', () => {
    const run = new Run(tt(), 4);
    expect(run.steps(15, cpu(20)).at(-1)).toBe(2);
  });

  test('the scale-in cooldown (300 s by default) spaces scale-ins while AlarmLow stays in ALARM', () => {
    const run = new Run(tt(), 10);
    run.steps(15, cpu(20)); // minute 14 (t = 840): 10 -> 4
    run.steps(9, cpu(20)); // t = 900 .. 1380
    expect(run.changes()).toEqual([
      { time: 840, desired: 4 },
      { time: 1140, desired: 2 }, // 840 + 300: ceil(4 * 0.4) = 2
    ]);
  });

  test('a scale-out goes through during the scale-in cooldown', () => {
    const run = new Run(tt(), 10);
    run.steps(15, cpu(20)); // t = 840: 10 -> 4, scale-in cooldown until 1140
    expect(run.steps(3, cpu(100))).toEqual([4, 4, 8]); // t = 1020: ceil(4 * 100 / 50) = 8
  });

  test('no scale-in during a scale-out cooldown', () => {
    const run = new Run(tt({ scaleOutCooldownSeconds: 1800 }), 2);
    run.steps(3, cpu(80)); // t = 120: 2 -> 4, scale-out cooldown until 1920
    run.steps(30, cpu(10)); // t = 180 .. 1920: AlarmLow in ALARM from t = 1020
    expect(run.changes()).toEqual([
      { time: 120, desired: 4 },
      { time: 1920, desired: 1 }, // ceil(4 * 10 / 50) = 1 once the cooldown is over
    ]);
  });

  test('during the scale-out cooldown only a larger scale-out goes through', () => {
    const run = new Run(tt(), 2);
    run.steps(3, cpu(80)); // t = 120: 2 -> 4 (from a base of 2)
    // The metric still describes the 2 old tasks: 2 * 90 / 50 = 3.6 -> 4, not larger than 4.
    expect(run.step(cpu(90))).toBe(4);
    // 2 * 150 / 50 = 6 is larger: it goes through at once (t = 240).
    expect(run.step(cpu(150))).toBe(6);
    // After the cooldown (t >= 540) the current capacity is the base again: 6 * 60 / 50 = 7.2 -> 8.
    const later = run.steps(6, cpu(60));
    expect(run.changes()).toEqual([
      { time: 120, desired: 4 },
      { time: 240, desired: 6 },
      { time: 540, desired: 8 },
    ]);
    expect(later.at(-1)).toBe(8);
  });

  test('stays within [min, max]', () => {
    const up = new Run(tt(), 5);
    expect(up.steps(3, cpu(500)).at(-1)).toBe(10); // ceil(5 * 10) = 50 -> max 10
    const down = new Run(tt({ min: 3 }), 6);
    expect(down.steps(15, cpu(1)).at(-1)).toBe(3); // ceil(6 * 0.02) = 1 -> min 3
  });

  test('custom cooldowns are honoured', () => {
    const run = new Run(tt({ scaleInCooldownSeconds: 60 }), 10);
    run.steps(17, cpu(40)); // t = 840: ceil(10 * 0.8) = 8; t = 900: ceil(6.4) = 7; t = 960: ceil(5.6) = 6
    expect(run.changes().map((c) => c.time)).toEqual([840, 900, 960]);
  });
});

describe('step scaling with the seed rules, no guardrails', () => {
  const odoo = COMPONENT_POLICIES.odoo; // cpu-high: >= 70 in 2 of 3 minutes, +1; cooldowns 300 / 600 s

  test('is called every minute', () => {
    expect(stepScaling(odoo).periodSeconds).toBe(60);
  });

  test('Odoo CPU >= 70 fires at 2 of 3 datapoints and not at 1 of 3', () => {
    const run = new Run(stepScaling(odoo), 3);
    expect(run.step(cpu(69.9))).toBe(3);
    expect(run.step(cpu(70))).toBe(3); // [69.9, 70]: 1 breaching
    expect(run.step(cpu(50))).toBe(3); // [69.9, 70, 50]: 1 of 3
    expect(run.step(cpu(70))).toBe(4); // [70, 50, 70]: 2 of 3, exactly at the threshold
  });

  test('two breaching datapoints in a row fire even before 3 exist', () => {
    const run = new Run(stepScaling(odoo), 3);
    expect([run.step(cpu(80)), run.step(cpu(80))]).toEqual([3, 4]);
  });

  test('a null datapoint never breaches, neither above nor below', () => {
    const out = new Run(stepScaling(odoo), 3);
    expect([out.step(cpu(75)), out.step(cpu(null)), out.step(cpu(null))]).toEqual([3, 3, 3]);
    expect(out.step(cpu(75))).toBe(3); // [null, null, 75]
    const inward = new Run(stepScaling(odoo), 5); // cpu-low: <= 30 in 4 of 5
    expect(inward.steps(10, cpu(null)).every((d) => d === 5)).toBe(true); // null is not 0
    expect(inward.steps(10, {}).every((d) => d === 5)).toBe(true); // neither is an absent metric
  });

  test('scale-out cooldown: 300 s between scale-outs while the alarm stays in ALARM', () => {
    const run = new Run(stepScaling(odoo), 2);
    run.steps(12, cpu(90));
    expect(run.changes()).toEqual([
      { time: 60, desired: 3 },
      { time: 360, desired: 4 },
      { time: 660, desired: 5 },
    ]);
  });

  test('scale-in cooldown: 600 s after any action, one scaleDownStep at a time', () => {
    const run = new Run(stepScaling(odoo), 4);
    run.steps(2, cpu(90)); // t = 60: 4 -> 5
    run.steps(20, cpu(20)); // cpu-low (<= 30, 4 of 5) in ALARM from t = 300
    expect(run.changes()).toEqual([
      { time: 60, desired: 5 },
      { time: 660, desired: 4 }, // 60 + 600
      { time: 1260, desired: 3 }, // 660 + 600
    ]);
  });

  test('a scale-out is not held back by a scale-in cooldown', () => {
    const run = new Run(stepScaling(odoo), 4);
    run.steps(4, cpu(20)); // t = 180: 4 of 5 low -> 3
    expect(run.steps(2, cpu(90))).toEqual([3, 4]); // t = 300, within 600 s of the scale-in
  });

  test('stays within [min, max] and an action that cannot happen does not start a cooldown', () => {
    const atMax = new Run(stepScaling(odoo), 10);
    expect(atMax.steps(5, cpu(95)).every((d) => d === 10)).toBe(true);
    const atMin = new Run(stepScaling(odoo), 2);
    expect(atMin.steps(10, cpu(5)).every((d) => d === 2)).toBe(true);
    // At the minimum nothing happened, so a scale-out is not delayed by any cooldown.
    expect(atMin.steps(2, cpu(95))).toEqual([2, 3]);
  });

  test('scale-out rules win over scale-in rules', () => {
    // Odoo: memory-low (<= 40, 2 of 2, -1) and cpu-high (>= 70, 2 of 3, +1) both in ALARM.
    const run = new Run(stepScaling(odoo), 4);
    const both = { 'cpu-utilization': 90, 'memory-utilization': 10 };
    expect(run.steps(2, both)).toEqual([4, 5]);
  });

  test('the largest change wins', () => {
    // Flux: queue-backlog > 100 (1 of 2, +2) and cpu > 75 (1 of 2, +1) at once.
    const run = new Run(stepScaling(COMPONENT_POLICIES['flux-gpu']), 1);
    expect(run.step({ 'queue-backlog': 150, 'cpu-utilization': 90 })).toBe(3);
  });

  test('no guardrails: scales out while capacity is still booting and keeps going', () => {
    const run = new Run(stepScaling(odoo), 2);
    // Nothing new ever becomes ready (running stays 2); the baseline does not care.
    run.steps(30, cpu(95), 2);
    expect(run.desired).toBe(8); // t = 60, 360, 660, 960, 1260, 1560: six +1 actions
    expect(run.changes()).toHaveLength(6);
  });

  test('clamps a scale-out that would overshoot the maximum', () => {
    const policy: ComponentPolicy = { ...COMPONENT_POLICIES['flux-gpu'], capacity: { min: 1, max: 4 } };
    const run = new Run(stepScaling(policy), 3);
    expect(run.step({ 'queue-backlog': 500 })).toBe(4); // +2 -> 5, clamped to 4
  });
});

describe('Kubernetes HPA (autoscaling/v2 defaults)', () => {
  const h = (extra: Partial<Parameters<typeof hpa>[0]> = {}) =>
    hpa({ metric: 'cpu-utilization', target: 50, min: 1, max: 20, ...extra });

  test('syncs every 15 s', () => {
    expect(h().periodSeconds).toBe(15);
  });

  test('desiredReplicas = ceil(current * metric / target)', () => {
    expect(new Run(h(), 4).step(cpu(80))).toBe(7); // 4 * 1.6 = 6.4 -> 7
  });

  test('no change while the ratio is within the 10 % tolerance', () => {
    expect(new Run(h(), 4).step(cpu(54))).toBe(4); // ratio 1.08
    expect(new Run(h(), 4).step(cpu(46))).toBe(4); // ratio 0.92
    expect(new Run(h(), 4).step(cpu(56))).toBe(5); // ratio 1.12: 4.48 -> 5
  });

  test('scale-up is limited to the larger of +100 % and +4 pods per 15 s', () => {
    // 1 pod at 400 % of the target wants 8: +4 pods (5) beats +100 % (2).
    const run = new Run(h(), 1);
    expect(run.step(cpu(400), 1)).toBe(5);
    // 15 s later the 4 new pods are not ready: counted at 0 %, 400 * 1 / (50 * 5) = 1.6 -> 8;
    // the limit is now max(5 + 4, 5 * 2) = 10, so 8 goes through.
    expect(run.step(cpu(400), 1)).toBe(8);
  });

  test('a large group doubles per sync period', () => {
    const run = new Run(h({ max: 100 }), 10);
    expect(run.step(cpu(500))).toBe(20); // wants 100: +100 % (20) beats +4 (14)
    expect(run.step(cpu(500))).toBe(40);
  });

  test('scale-down waits for the highest recommendation of the last 300 s', () => {
    const run = new Run(h(), 6, 1000);
    run.steps(5, cpu(50)); // t = 1000 .. 1060: 6 recommended
    run.steps(30, cpu(10)); // from t = 1075: ceil(6 * 0.2) = 2 recommended
    // The last recommendation of 6 was at t = 1060; it leaves the window at 1060 + 300.
    expect(run.changes()).toEqual([{ time: 1360, desired: 2 }]);
  });

  test('right after it starts, the HPA does not scale below the replicas it found for 300 s', () => {
    const run = new Run(h(), 6);
    run.steps(22, cpu(10));
    expect(run.changes()).toEqual([{ time: 300, desired: 2 }]);
  });

  test('scale-down is not rate-limited beyond the window: straight to the recommendation, then min', () => {
    const run = new Run(h({ min: 3 }), 8);
    run.steps(22, cpu(1));
    expect(run.changes()).toEqual([{ time: 300, desired: 3 }]);
  });

  test('not-yet-ready pods count as 0 % on a scale-up, which can cancel it', () => {
    // 4 asked for, 2 ready at 60 % of a 50 % target: alone they would ask for ceil(2 * 1.2) = 3 < 4;
    // with the 2 unready at 0 % the ratio is 0.6, a reversal: no scaling.
    expect(new Run(h(), 4).step(cpu(60), 2)).toBe(4);
    // 2 ready at 150 %: 150 * 2 / (50 * 4) = 1.5 -> ceil(1.5 * 4) = 6.
    expect(new Run(h(), 4).step(cpu(150), 2)).toBe(6);
  });

  test('no scaling without a metric', () => {
    const run = new Run(h(), 4);
    expect(run.steps(30, cpu(null))).toEqual(Array(30).fill(4));
    expect(new Run(h(), 4).step({})).toBe(4);
    expect(new Run(h(), 4).step(cpu(80), 0)).toBe(4); // no ready pod to read it from
  });

  test('stays within [min, max] and brings an out-of-range count back first', () => {
    expect(new Run(h({ max: 6 }), 4).step(cpu(500))).toBe(6);
    expect(new Run(h({ max: 6 }), 9).step(cpu(10))).toBe(6);
    expect(new Run(h({ min: 2 }), 1).step(cpu(50))).toBe(2);
  });

  test('a target scaled to 0 by hand is left alone', () => {
    expect(new Run(h(), 0).step(cpu(90), 0)).toBe(0);
  });
});
