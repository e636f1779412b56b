import fc from 'fast-check';
import { ConfigError, loadConfig, validateConfig } from '../../lib/config';
import { COMPONENT_POLICIES } from '../../lib/config/components';
import { ENVIRONMENTS } from '../../lib/config/environments';
import type { ComponentPolicy } from '../../lib/config/schema';
import { decideScaling } from '../../lambdas/core/scaling/decide';
import { ruleBreaches } from '../../lambdas/core/scaling/rules';
import type { LedgerAction, ScalingInput, Series, Signal } from '../../lambdas/core/scaling/types';
import { SCALING_FLAGS, SCALING_NOW, scalingInput } from '../support/scaling-input';

const PROD = loadConfig({ envName: 'prod', region: 'eu-west-1' }).components;
const STAGING = loadConfig({ envName: 'staging', region: 'eu-west-1' }).components;
const NOW = SCALING_NOW;
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
/** `minutes` one-minute datapoints of `value`, oldest first. */
const flat = (value: number, minutes: number): number[] => Array.from({ length: minutes }, () => value);
/** A fleet of `desired`, `pending` of which still booting. */
const fleet = (desired: number, pending = 0) => ({ fleet: { desired, running: desired - pending, pending } });
const FLAGS = SCALING_FLAGS;
const input = scalingInput;
const odoo = (over: Partial<ScalingInput> = {}, metrics: Partial<Record<Signal, Series>> = {}) =>
  decideScaling(input(PROD.odoo, over, metrics));
const rule = (component: keyof typeof PROD, id: string) =>
  PROD[component].rules.find((r) => r.id === id) as ComponentPolicy['rules'][number];
/** Odoo at 90 % CPU for 3 minutes: on 2 tasks a load of 1.8, which needs ceil(1.8 / 0.7) = 3. */
const hot = { 'cpu-utilization': [90, 90, 90] };
/** The production scale-in windows: Odoo and n8n scale in after 10 minutes (the literal 10s below pin them). */
const ODOO_WINDOW = COMPONENT_POLICIES.odoo.rightSizing.scaleInAfterMinutes;
const N8N_WINDOW = COMPONENT_POLICIES.n8n.rightSizing.scaleInAfterMinutes;
/** Odoo at 10 % CPU for the whole 10-minute scale-in window. */
const quiet = { 'cpu-utilization': flat(10, ODOO_WINDOW) };
const action = (at: number, from: number, to: number, outcome: LedgerAction['outcome'] = 'succeeded') =>
  ({ at: ago(at), from, to, outcome }) satisfies LedgerAction;

describe('rules: CloudWatch M-of-N semantics', () => {
  test.each<[string, Series, boolean]>([
    ['2 of 3 at exactly 70 % breaches (>=)', [70, 50, 70], true],
    ['1 of 3 does not', [70, 50, 50], false],
    ['69.9 does not', [69.9, 69.9, 69.9], false],
    ['only the last 3 count', [90, 90, 10, 10, 70], false],
    ['missing datapoints never breach', [null, 75, null], false],
    ['no data at all', [], false],
  ])('Odoo CPU >= 70 %% (2 of 3): %s', (_name, series, expected) => {
    expect(ruleBreaches(rule('odoo', 'cpu-high'), series)).toBe(expected);
  });

  test.each<[string, Series, boolean]>([
    ['4 of 5 at exactly 30 %', [30, 30, 31, 30, 30], true],
    ['3 of 5', [30, 31, 31, 30, 30], false],
  ])('Odoo CPU <= 30 %% (4 of 5): %s', (_name, series, expected) => {
    expect(ruleBreaches(rule('odoo', 'cpu-low'), series)).toBe(expected);
  });

  test('GPU backlog > 100 (1 of 2): exactly 100 does not breach, 101 does', () => {
    expect(ruleBreaches(rule('flux-gpu', 'queue-backlog-high'), [100, 100])).toBe(false);
    expect(ruleBreaches(rule('flux-gpu', 'queue-backlog-high'), [100, 101])).toBe(true);
  });

  test('the right-sizing targets are triggers: Odoo CPU > 70 % and n8n > 9.5 jobs a worker, on one minute', () => {
    expect(rule('odoo', 'cpu-above-target')).toMatchObject({
      signal: 'cpu-utilization',
      comparison: '>',
      threshold: 70,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      change: 1,
    });
    expect(rule('n8n', 'queue-above-target')).toMatchObject({
      signal: 'workflow-queue-per-worker',
      comparison: '>',
      threshold: 9.5,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      change: 1,
    });
    expect(ruleBreaches(rule('odoo', 'cpu-above-target'), [50, 50, 70])).toBe(false);
    expect(ruleBreaches(rule('odoo', 'cpu-above-target'), [50, 50, 70.1])).toBe(true);
    expect(ruleBreaches(rule('odoo', 'cpu-above-target'), [90, 90, 50])).toBe(false);
    expect(ruleBreaches(rule('n8n', 'queue-above-target'), [9.5])).toBe(false);
    expect(ruleBreaches(rule('n8n', 'queue-above-target'), [9.6])).toBe(true);
  });
});

describe('decisions', () => {
  test('a CPU breach is answered by right-sizing: 75 % on 2 tasks (load 1.5) needs 3', () => {
    expect(odoo({}, { 'cpu-utilization': [75, 72, 71] })).toMatchObject({
      action: 'scale',
      from: 2,
      to: 3,
      rule: 'cpu-high',
      guardrails: [],
      reason: 'cpu-high: 2 -> 3 (load 1.50 tasks at 100 % CPU needs 3 at 70 %)',
    });
  });

  test('latency p95 >= 400 ms (2 of 2) with no CPU to size from adds its step', () => {
    expect(odoo({}, { 'api-latency-p95-ms': [400, 450] })).toMatchObject({
      action: 'scale',
      to: 3,
      rule: 'latency-p95-high',
    });
  });

  test('a memory rule (not a load signal) adds its step, with CPU quiet', () => {
    expect(odoo({}, { 'cpu-utilization': [40, 40, 40], 'memory-utilization': [85, 85] })).toMatchObject({
      action: 'scale',
      from: 2,
      to: 3,
      rule: 'memory-high',
      reason: 'memory-high: 2 -> 3',
    });
  });

  test('scale-out wins over scale-in', () => {
    expect(
      odoo({ ...fleet(4) }, { 'cpu-utilization': flat(10, ODOO_WINDOW), 'memory-utilization': [85, 85] }),
    ).toMatchObject({ action: 'scale', to: 5, rule: 'memory-high' });
  });

  test('the larger proposal wins: 100 % on 4 (needs 6) over the memory step (5)', () => {
    expect(
      odoo({ ...fleet(4) }, { 'cpu-utilization': flat(100, 5), 'memory-utilization': [85, 85] }),
    ).toMatchObject({ action: 'scale', to: 6, rule: 'cpu-high' });
  });

  test('quiet CPU for 10 minutes scales in to the minimum and no further', () => {
    expect(odoo({ ...fleet(3) }, quiet)).toMatchObject({
      action: 'scale',
      from: 3,
      to: 2,
      rule: 'cpu-low',
      guardrails: ['floor'],
    });
    expect(odoo({}, quiet)).toMatchObject({
      action: 'hold',
      reason: 'odoo is at its minimum of 2',
      guardrails: ['floor'],
      rule: 'cpu-low',
      // 2 tasks at 10 %: the 10 minutes' peak (0.2) needs 1.
      proposed: 1,
    });
  });

  test('no rule breached and nothing to right-size holds', () => {
    expect(odoo({}, { 'cpu-utilization': [50, 50, 50] })).toEqual({
      action: 'hold',
      from: 2,
      to: 2,
      reason: 'no rule breached',
      guardrails: [],
    });
    // 10 minutes at 50 % on 2 (load 1.0) still need 2.
    expect(odoo({}, { 'cpu-utilization': flat(50, ODOO_WINDOW) })).toMatchObject({
      action: 'hold',
      reason: 'no rule breached',
    });
  });
});

describe('right-sizing Odoo (CPU x tasks; 70 % target, peak of 5 min, trend over 10, lead 2, scale-in after 10)', () => {
  test('90 % CPU on 3 tasks for 5 minutes: load 2.7, ceil(2.7 / 0.7) = 4', () => {
    expect(odoo({ ...fleet(3) }, { 'cpu-utilization': flat(90, 5) })).toMatchObject({
      action: 'scale',
      from: 3,
      to: 4,
      rule: 'cpu-high',
      reason: 'cpu-high: 3 -> 4 (load 2.70 tasks at 100 % CPU needs 4 at 70 %)',
    });
  });

  test("the tasks running each minute (RunningTaskCount) are the load's multiplier", () => {
    // 90 % on 4 tasks (a task stopped since) is 3.6: ceil(3.6 / 0.7) = ceil(5.14) = 6.
    expect(odoo({ ...fleet(3), tasks: flat(4, 5) }, { 'cpu-utilization': flat(90, 5) })).toMatchObject({
      action: 'scale',
      to: 6,
      reason: expect.stringContaining('load 3.60 tasks'),
    });
  });

  test('a flash crowd is met in one step, proportional to the load: CPU 50 -> 100 % on 2 asks for 6', () => {
    // Load 1.0 -> 2.0: peak 2.0 + slope 1.0 a minute x 2 minutes of lead = 4.0; 4.0 / 0.7 = 5.71 -> 6.
    expect(odoo({}, { 'cpu-utilization': [50, 100] })).toMatchObject({
      action: 'scale',
      from: 2,
      to: 6,
      rule: 'cpu-above-target',
      guardrails: [],
      reason:
        'cpu-above-target: 2 -> 6 (load 4.00 tasks at 100 % CPU (peak 2.00 + trend 1.000/min over 2 min) needs 6 at 70 %)',
    });
  });

  test('a sized scale-out is credited to the rule whose alarm asked, not the first breached', () => {
    // 90 % for 5 minutes breaches cpu-high (2 of 3) and cpu-above-target (1 of 1): the same size.
    const metrics = { 'cpu-utilization': flat(90, 5) };
    expect(odoo({ ...fleet(3), triggeredBy: 'cpu-above-target' }, metrics)).toMatchObject({
      to: 4,
      rule: 'cpu-above-target',
    });
    expect(odoo({ ...fleet(3) }, metrics)).toMatchObject({ to: 4, rule: 'cpu-high' });
    // A trigger that did not breach is not credited.
    expect(odoo({ ...fleet(3), triggeredBy: 'memory-high' }, metrics)).toMatchObject({ rule: 'cpu-high' });
  });

  test('the trend adds the growth over the lead: a rising series asks for more than its flat peak would', () => {
    // 20, 25, .. 65 % on 2: load 0.4 .. 1.3, 0.1 a minute. Flat at 1.3: 1.3 / 0.7 = 1.86 -> 2 (held);
    // rising: 1.3 + 0.1 x 2 = 1.5, 1.5 / 0.7 = 2.14 -> 3. No rule breached (65 %): right-sizing itself.
    const rising = Array.from({ length: 10 }, (_, i) => 20 + 5 * i);
    expect(odoo({}, { 'cpu-utilization': rising })).toMatchObject({
      action: 'scale',
      to: 3,
      rule: 'right-size',
      reason: expect.stringContaining('(peak 1.30 + trend 0.100/min over 2 min) needs 3 at 70 %'),
    });
    expect(odoo({}, { 'cpu-utilization': flat(65, 10) })).toMatchObject({
      action: 'hold',
      reason: 'no rule breached',
    });
  });

  test('a seed breach the fleet already holds is held, and says so', () => {
    // p95 at 450 ms, but CPU 40 % on 2 is a load of 0.8: ceil(0.8 / 0.7) = 2 hold it.
    expect(odoo({}, { 'cpu-utilization': [40, 40, 40], 'api-latency-p95-ms': [450, 480] })).toMatchObject({
      action: 'hold',
      to: 2,
      rule: 'latency-p95-high',
      reason:
        'latency-p95-high breached, but 2 running or booting hold the load 0.80 tasks at 100 % CPU at 70 %',
    });
    // Exactly 70 % on 3 (>= 70 breaches cpu-high): 2.1 / 0.7 = 3, what runs.
    expect(odoo({ ...fleet(3) }, { 'cpu-utilization': [70, 70, 70] })).toMatchObject({
      action: 'hold',
      rule: 'cpu-high',
      reason: expect.stringContaining('cpu-high breached, but 3 running or booting hold the load 2.10'),
    });
  });

  test('capacity booting counts (desired includes it): no second scale-out for the same load', () => {
    // 4 desired, 3 serving at 90 % (load 2.7): the fourth, booting, already answers it.
    expect(odoo({ ...fleet(4, 1) }, { 'cpu-utilization': flat(90, 5) })).toMatchObject({
      action: 'hold',
      to: 4,
      rule: 'cpu-high',
      guardrails: [],
      reason: 'cpu-high breached, but 4 running or booting hold the load 2.70 tasks at 100 % CPU at 70 %',
    });
    // More load than the 4 hold (3 at 100 %: 3.0 / 0.7 = 4.29 -> 5) adds the difference, booting or not.
    expect(odoo({ ...fleet(4, 1) }, { 'cpu-utilization': flat(100, 5) })).toMatchObject({
      action: 'scale',
      from: 4,
      to: 5,
      guardrails: [],
    });
  });

  test('a scale-in of several tasks at once when the 10-minute peak allows it', () => {
    // 6 tasks at 35 % for 10 minutes: 2.1 / 0.7 = 3. No rule breached: right-sizing itself.
    expect(odoo({ ...fleet(6) }, { 'cpu-utilization': flat(35, 10) })).toMatchObject({
      action: 'scale',
      from: 6,
      to: 3,
      rule: 'right-size',
      reason:
        'right-size: 6 -> 3 (the peak of the last 10 minutes, load 2.10 tasks at 100 % CPU, needs 3 at 70 %)',
    });
    // 6 at 20 % (cpu-low breached): 1.2 / 0.7 = 1.71 -> 2.
    expect(odoo({ ...fleet(6) }, { 'cpu-utilization': flat(20, ODOO_WINDOW) })).toMatchObject({
      action: 'scale',
      to: 2,
      rule: 'cpu-low',
    });
  });

  test('one high minute inside the 10-minute window holds the scale-in (time-based hysteresis)', () => {
    // 6 tasks at 20 %, one minute at 60 % seven minutes ago: 3.6 / 0.7 = 5.14 -> 6, what runs.
    const spike = [20, 20, 60, ...flat(20, 7)];
    expect(spike).toHaveLength(10);
    expect(odoo({ ...fleet(6) }, { 'cpu-utilization': spike })).toMatchObject({
      action: 'hold',
      rule: 'cpu-low',
      reason: 'cpu-low breached, but the peak of the last 10 minutes needs 6',
    });
    // Two minutes later it is still inside the 10; three minutes later it has left the window.
    expect(odoo({ ...fleet(6) }, { 'cpu-utilization': [...spike, 20, 20] })).toMatchObject({
      action: 'hold',
      reason: 'cpu-low breached, but the peak of the last 10 minutes needs 6',
    });
    expect(odoo({ ...fleet(6) }, { 'cpu-utilization': [...spike, 20, 20, 20] })).toMatchObject({
      action: 'scale',
      to: 2,
    });
    // A lower spike (50 %: 3.0 / 0.7 = 4.29 -> 5) releases only what it does not need.
    expect(odoo({ ...fleet(6) }, { 'cpu-utilization': [20, 20, 50, ...flat(20, 7)] })).toMatchObject({
      action: 'scale',
      to: 5,
    });
  });

  test.each<[string, Series]>([
    [
      'a datapoint of the 10 minutes is missing (no signal is not idle)',
      [...flat(20, 4), null, ...flat(20, 5)],
    ],
    ['fewer than 10 datapoints', flat(20, 9)],
  ])('holds the scale-in when %s', (_name, cpu) => {
    expect(odoo({ ...fleet(6) }, { 'cpu-utilization': cpu })).toMatchObject({
      action: 'hold',
      to: 6,
      rule: 'cpu-low',
      reason: 'cpu-low breached, but the load lacks a datapoint in the last 10 minutes',
    });
  });

  test('a scale-in waits for booting capacity to be measured', () => {
    expect(odoo({ ...fleet(6, 1) }, { 'cpu-utilization': flat(20, ODOO_WINDOW) })).toMatchObject({
      action: 'hold',
      rule: 'cpu-low',
    });
  });

  test('right-sizing respects the scale-in cooldown', () => {
    const ledger = [action(300, 7, 6)];
    expect(odoo({ ...fleet(6), ledger }, { 'cpu-utilization': flat(35, ODOO_WINDOW) })).toMatchObject({
      action: 'hold',
      guardrails: ['cooldown'],
      proposed: 3,
    });
  });
});

describe("n8n's job queue (10 slots a worker; sized to 95 %: 9.5 jobs a worker; peak of 1 min, scale-in after 10)", () => {
  const QUEUE: Signal = 'workflow-queue-per-worker';
  /** n8n with a job queue and, unless given, a CPU that breaches nothing. */
  const n8n = (over: Partial<ScalingInput>, queue: Series, cpu: Series = flat(50, 5)) =>
    decideScaling(input(PROD.n8n, over, { [QUEUE]: queue, 'cpu-utilization': cpu }));

  test('the rules are shares of the worker concurrency, which every environment deploys', () => {
    expect(rule('n8n', 'queue-high')).toMatchObject({ comparison: '>', threshold: 7, evaluationPeriods: 3 });
    expect(rule('n8n', 'queue-low')).toMatchObject({ comparison: '<=', threshold: 3, datapointsToAlarm: 5 });
    expect(ruleBreaches(rule('n8n', 'queue-high'), [7, 7, 7])).toBe(false);
    expect(ruleBreaches(rule('n8n', 'queue-high'), [7.1, 5, 7.1])).toBe(true);
    expect(ruleBreaches(rule('n8n', 'queue-low'), [3, 3, 3, 3, 3.1])).toBe(false);
  });

  test('jobs waiting and running over the slots at 95 %: 15 a worker on 2 (30 jobs, 3.0 workers) need 4', () => {
    // 3.0 / 0.95 = 3.16 -> 4.
    expect(n8n(fleet(2), [15, 15, 15])).toMatchObject({
      action: 'scale',
      from: 2,
      to: 4,
      rule: 'queue-high',
      reason: "queue-high: 2 -> 4 (load 3.00 workers' worth of jobs (10 slots each) needs 4 at 95 %)",
    });
    // 11 a worker on 2 (22 jobs): 2.2 / 0.95 = 2.32 -> 3.
    expect(n8n(fleet(2), [11, 11, 11])).toMatchObject({ action: 'scale', to: 3 });
  });

  test('one minute over 9.5 a worker is a trigger; right-sizing sizes it', () => {
    // 7, 7, 7, 7, 10 on 2: load 1.4 .. 2.0, slope 0.12 a minute: 2.0 + 0.24 = 2.24, / 0.95 = 2.36 -> 3.
    expect(n8n(fleet(2), [7, 7, 7, 7, 10])).toMatchObject({
      action: 'scale',
      to: 3,
      rule: 'queue-above-target',
    });
  });

  test('9.5 jobs a worker is what 2 workers hold at 95 %: the queue-high breach is held, and says so', () => {
    expect(n8n(fleet(2), flat(9.5, 5))).toMatchObject({
      action: 'hold',
      rule: 'queue-high',
      reason:
        "queue-high breached, but 2 running or booting hold the load 1.90 workers' worth of jobs (10 slots each) at 95 %",
    });
  });

  test('a burst beyond the maximum goes to the maximum and pages', () => {
    expect(n8n(fleet(1), [30, 80, 140], [100, 100, 100])).toMatchObject({
      action: 'scale',
      to: 5,
      guardrails: ['max'],
      escalate: { alert: 'Max_Instances_Reached' },
    });
  });

  test('CPU is not the load: a CPU breach with few jobs a worker is held; with no queue signal it steps', () => {
    expect(n8n(fleet(2), [5, 5, 5], [99, 99, 99])).toMatchObject({
      action: 'hold',
      rule: 'cpu-high',
      reason: expect.stringContaining('cpu-high breached, but 2 running or booting hold the load 1.00'),
    });
    expect(decideScaling(input(PROD.n8n, fleet(2), { 'cpu-utilization': [99, 99, 99] }))).toMatchObject({
      action: 'scale',
      to: 3,
      rule: 'cpu-high',
    });
  });

  test('workers still booting count: 2 running and 2 booting hold 22 jobs; 40 jobs ask for a fifth', () => {
    // The queue is per running worker: 11 x 2 = 22 jobs, 2.2 / 0.95 -> 3 <= 4.
    expect(n8n(fleet(4, 2), [11, 11, 11])).toMatchObject({
      action: 'hold',
      rule: 'queue-high',
      reason: expect.stringContaining('queue-high breached, but 4 running or booting hold the load 2.20'),
    });
    // 20 x 2 = 40 jobs: 4.0 / 0.95 = 4.21 -> 5.
    expect(n8n(fleet(4, 2), [20, 20, 20])).toMatchObject({
      action: 'scale',
      from: 4,
      to: 5,
      rule: 'queue-high',
      guardrails: [],
    });
  });

  test('a drained queue scales in, several workers at once: 3 workers at 2 jobs each for 10 minutes go to 1', () => {
    // 6 jobs: 0.6 / 0.95 -> 1.
    expect(n8n(fleet(3), flat(2, 10))).toMatchObject({ action: 'scale', from: 3, to: 1, rule: 'queue-low' });
    expect(n8n(fleet(3), flat(2, N8N_WINDOW), flat(20, N8N_WINDOW))).toMatchObject({
      action: 'scale',
      to: 1,
      rule: 'cpu-low',
    });
    // 4 a worker (12 jobs, 1.2 / 0.95 -> 2): no rule breached, right-sizing releases one.
    expect(n8n(fleet(3), flat(4, N8N_WINDOW))).toMatchObject({ action: 'scale', to: 2, rule: 'right-size' });
  });

  test('a lull shorter than the 10-minute window is not a drained queue', () => {
    // 9 a worker on 3 (27 jobs) for the window's first 5 minutes, 1 for its last 5: the last minute
    // (n8n's peak) needs 1, but the 10 minutes' peak still needs 3 (2.7 / 0.95 = 2.84).
    const lull = [...flat(9, 5), ...flat(1, 5)];
    expect(n8n(fleet(3), lull)).toMatchObject({
      action: 'hold',
      rule: 'queue-low',
      reason: 'queue-low breached, but the peak of the last 10 minutes needs 3',
    });
    // Once the lull is 10 minutes long, the queue has drained: 0.3 / 0.95 -> 1.
    expect(n8n(fleet(3), [...lull, ...flat(1, 5)])).toMatchObject({
      action: 'scale',
      to: 1,
      rule: 'queue-low',
    });
  });

  test("CPU's scale-in is held while the workers left would hold more than 9.5 jobs each", () => {
    // CPU 20 % (I/O-bound jobs), but 7 a worker on 3 is 21 jobs: 2.1 / 0.95 = 2.21 -> 3.
    expect(n8n(fleet(3), flat(7, 10), flat(20, 10))).toMatchObject({
      action: 'hold',
      rule: 'cpu-low',
      reason: 'cpu-low breached, but the peak of the last 10 minutes needs 3',
    });
    // 6 a worker on 3 is 18 jobs: 1.8 / 0.95 = 1.89 -> 2.
    expect(n8n(fleet(3), flat(6, N8N_WINDOW), flat(20, N8N_WINDOW))).toMatchObject({
      action: 'scale',
      to: 2,
      rule: 'cpu-low',
    });
  });

  test('without the queue signal, n8n does not scale in on CPU alone', () => {
    // A queue datapoint missing 5 minutes ago, inside the 10: the queue's load is incomplete.
    expect(n8n(fleet(3), [...flat(4, 4), null, ...flat(4, 5)], flat(20, 10))).toMatchObject({
      action: 'hold',
      reason: 'cpu-low breached, but the load lacks a datapoint in the last 10 minutes',
    });
    // No queue series at all: no load, whatever CPU says.
    expect(
      decideScaling(input(PROD.n8n, fleet(3), { 'cpu-utilization': flat(20, N8N_WINDOW) })),
    ).toMatchObject({
      action: 'hold',
      reason: 'cpu-low breached, but the load lacks a datapoint in the last 10 minutes',
    });
  });
});

describe('right-sizing the GPU fleet (4 jobs a minute per GPU, 90 % target, backlog drained in 10 min)', () => {
  const demand = { backlog: 0, arrivalsPerMinute: 0, jobsPerGpuPerMinute: 4, drainMinutes: 10 };
  const gpu = (
    over: Partial<ScalingInput>,
    arrivals: Series,
    backlog: Series,
    metrics: Partial<Record<Signal, Series>> = {},
  ) =>
    decideScaling(
      input(
        PROD['flux-gpu'],
        { gpu: { ...demand, backlog: backlog.at(-1) ?? 0 }, arrivals, ...over },
        { 'queue-backlog': backlog, ...metrics },
      ),
    );

  test('a burst is met in one step: 600 queued and 8/min arriving (2 + 15 = 17 GPUs worth) go to the max of 5', () => {
    expect(gpu(fleet(1), [8, 8], [600, 600])).toMatchObject({
      action: 'scale',
      from: 1,
      to: 5,
      rule: 'queue-backlog-high',
      guardrails: ['max'],
      escalate: { alert: 'Max_Instances_Reached' },
    });
  });

  test('without overshooting: 120 queued and 2/min arriving (0.5 + 3 = 3.5) need ceil(3.5 / 0.9) = 4', () => {
    expect(gpu(fleet(1), [2, 2], [120, 120])).toMatchObject({
      action: 'scale',
      from: 1,
      to: 4,
      rule: 'queue-backlog-high',
      reason:
        "queue-backlog-high: 1 -> 4 (load 3.50 GPUs' worth of jobs (4/min each, backlog over 10 min) needs 4 at 90 %)",
    });
  });

  test("below the seed's backlog threshold, right-sizing still adds what the load needs: 80 queued, 2/min -> 3", () => {
    // 0.5 + 80 / 40 = 2.5; 2.5 / 0.9 = 2.78 -> 3.
    expect(gpu(fleet(1), [2, 2], [80, 80])).toMatchObject({ action: 'scale', to: 3, rule: 'right-size' });
  });

  test('rising arrivals are sized for the 9 minutes a GPU host takes to serve', () => {
    // 2 .. 4 a minute (load 0.5 .. 1.0, 0.125 a minute): 1.0 + 0.125 x 9 = 2.125, / 0.9 -> 3.
    expect(gpu(fleet(2), [2, 2.5, 3, 3.5, 4], flat(0, 5))).toMatchObject({
      action: 'scale',
      from: 2,
      to: 3,
      rule: 'right-size',
      reason: expect.stringContaining('trend 0.125/min over 9 min'),
    });
    // The same peak, flat: 1.0 / 0.9 -> 2, what runs.
    expect(gpu(fleet(2), flat(4, 5), flat(0, 5))).toMatchObject({
      action: 'hold',
      reason: 'no rule breached',
    });
  });

  test('capacity already booting counts: 4 desired (2 booting) cover a need of 4', () => {
    expect(gpu(fleet(4, 2), [2, 2], [120, 120])).toMatchObject({
      action: 'hold',
      rule: 'queue-backlog-high',
      reason:
        "queue-backlog-high breached, but 4 running or booting hold the load 3.50 GPUs' worth of jobs (4/min each, backlog over 10 min) at 90 %",
    });
  });

  describe('scale-in: the peak of the last 16 minutes', () => {
    const quietNodes = (desired: number, arrivals: number, backlog = 0, minutes = 16) =>
      gpu(fleet(desired), flat(arrivals, minutes), flat(backlog, minutes), {
        'active-gpu-tasks-per-node': [1, 1],
      });

    test('3 GPUs, busy with an empty queue (10/min arriving: 2.5 GPUs worth, / 0.9 -> 3), are kept', () => {
      expect(quietNodes(3, 10)).toMatchObject({
        action: 'hold',
        rule: 'gpu-tasks-low',
        reason: 'gpu-tasks-low breached, but the peak of the last 16 minutes needs 3',
      });
    });

    test('3 GPUs with 5/min arriving (1.25, / 0.9 -> 2) scale in to 2', () => {
      expect(quietNodes(3, 5)).toMatchObject({ action: 'scale', from: 3, to: 2, rule: 'gpu-tasks-low' });
    });

    test('several at once: 5 GPUs with 2/min arriving (0.5 -> 1) go to 1', () => {
      expect(quietNodes(5, 2)).toMatchObject({ action: 'scale', from: 5, to: 1 });
    });

    test('a backlog counts: 4/min and 40 queued (1 + 1 = 2, needs 3) keep 3; without it they need 2', () => {
      expect(quietNodes(3, 4, 40)).toMatchObject({ action: 'hold', rule: 'gpu-tasks-low' });
      expect(quietNodes(3, 4, 0)).toMatchObject({ action: 'scale', to: 2 });
    });

    test('15 minutes of data are not the 16 a GPU scale-in needs', () => {
      expect(quietNodes(3, 5, 0, 15)).toMatchObject({
        action: 'hold',
        reason: 'gpu-tasks-low breached, but the load lacks a datapoint in the last 16 minutes',
      });
    });
  });
});

describe('guardrails', () => {
  test('development: no automatic scaling', () => {
    expect(odoo({ flags: { ...FLAGS, scalingEnabled: false } }, hot)).toMatchObject({
      action: 'hold',
      guardrails: ['environment'],
    });
  });

  test('paused and maintenance hold; a manual run is an operator decision and is not held by them', () => {
    expect(odoo({ flags: { ...FLAGS, paused: true } }, hot)).toMatchObject({
      action: 'hold',
      guardrails: ['paused'],
    });
    expect(
      odoo(
        {
          flags: {
            ...FLAGS,
            maintenanceWindow: 'the postgresql window until 2026-12-04T06:00:00Z (minor upgrade)',
          },
        },
        hot,
      ),
    ).toMatchObject({
      action: 'hold',
      reason: 'odoo is held by the postgresql window until 2026-12-04T06:00:00Z (minor upgrade)',
    });
    expect(
      odoo({
        flags: {
          ...FLAGS,
          paused: true,
          maintenanceWindow: 'the odoo window until 2026-11-24T02:00:00Z (upgrade)',
        },
        manual: { to: 4, reason: 'campaign launch' },
      }),
    ).toMatchObject({ action: 'scale', to: 4, rule: 'manual', reason: 'manual: 2 -> 4 (campaign launch)' });
  });

  test('scale-out cooldown: 299 s after a scale-out holds, 300 s allows', () => {
    const at = (s: number) => [action(s, 2, 3)];
    expect(odoo({ ledger: at(299), ...fleet(3) }, hot)).toMatchObject({
      action: 'hold',
      guardrails: ['cooldown'],
      reason: 'scale-out cooldown: last scale-out 299 s ago (cooldown 300 s)',
      // 90 % on 3: 2.7 / 0.7 -> 4.
      proposed: 4,
    });
    expect(odoo({ ledger: at(300), ...fleet(3) }, hot)).toMatchObject({ action: 'scale', to: 4 });
  });

  test('scale-in cooldown: 599 s after any action holds, 600 s allows', () => {
    const at = (s: number) => [action(s, 2, 3)];
    expect(odoo({ ledger: at(599), ...fleet(3) }, quiet)).toMatchObject({
      action: 'hold',
      guardrails: ['cooldown'],
      proposed: 1,
    });
    expect(odoo({ ledger: at(600), ...fleet(3) }, quiet)).toMatchObject({ action: 'scale', to: 2 });
  });

  test('a failed action does not start a cooldown', () => {
    expect(odoo({ ledger: [action(30, 2, 3, 'failed')] }, hot)).toMatchObject({ action: 'scale', to: 3 });
  });

  test("database guard (seed 002's connection-pool trigger): no Odoo scale-up above 80 % of PostgreSQL connections; escalate instead", () => {
    const flags = (p: number) => ({ ...FLAGS, databaseConnectionsPercent: p });
    expect(odoo({ flags: flags(80) }, hot)).toMatchObject({ action: 'scale', to: 3 });
    expect(odoo({ flags: flags(80.5) }, hot)).toMatchObject({
      action: 'hold',
      guardrails: ['database'],
      proposed: 3,
      escalate: { alert: 'Scaling_Blocked_By_Database' },
    });
  });

  test('capacity still booting holds a fixed step the metrics cannot see yet', () => {
    expect(
      odoo({ ...fleet(3, 1) }, { 'cpu-utilization': [40, 40, 40], 'memory-utilization': [85, 85] }),
    ).toMatchObject({
      action: 'hold',
      rule: 'memory-high',
      guardrails: ['booting'],
      reason: '1 instance still booting; metrics do not show them yet',
      proposed: 4,
    });
  });

  test('at the maximum: hold and escalate "max instances reached"; reaching it escalates too', () => {
    expect(odoo({ ...fleet(10) }, hot)).toMatchObject({
      action: 'hold',
      guardrails: ['max'],
      escalate: { alert: 'Max_Instances_Reached' },
    });
    // 90 % on 9: 8.1 / 0.7 = 11.6 -> 12, capped at 10.
    expect(odoo({ ...fleet(9) }, hot)).toMatchObject({
      action: 'scale',
      to: 10,
      guardrails: ['max'],
      escalate: { alert: 'Max_Instances_Reached' },
    });
  });

  test('fixed steps: conservative environments add one at a time; aggressive ones double the step', () => {
    // No arrivals series: no load to size from, so the seed's backlog rule steps +2.
    const gpu = (aggressiveness: 'conservative' | 'moderate' | 'aggressive') =>
      decideScaling(
        input(
          PROD['flux-gpu'],
          { ...fleet(1), flags: { ...FLAGS, aggressiveness } },
          { 'queue-backlog': [150, 160] },
        ),
      );
    expect(gpu('conservative')).toMatchObject({ to: 2, guardrails: ['conservative'] });
    expect(gpu('moderate')).toMatchObject({ to: 3, guardrails: [] });
    expect(gpu('aggressive')).toMatchObject({ to: 5, guardrails: ['aggressive'] });
    // Odoo's memory step (+1): aggressive doubles it.
    const memory = { 'cpu-utilization': [40, 40, 40], 'memory-utilization': [85, 85] };
    expect(odoo({ flags: { ...FLAGS, aggressiveness: 'aggressive' } }, memory)).toMatchObject({
      to: 4,
      guardrails: ['aggressive'],
    });
  });

  test('an open stalled-GPU incident holds GPU scale-out', () => {
    expect(
      decideScaling(
        input(
          PROD['flux-gpu'],
          {
            ...fleet(1),
            flags: { ...FLAGS, stallOpen: true },
            arrivals: [8, 8],
            gpu: { backlog: 600, arrivalsPerMinute: 8, jobsPerGpuPerMinute: 4, drainMinutes: 10 },
          },
          { 'queue-backlog': [600, 600] },
        ),
      ),
    ).toMatchObject({ action: 'hold', guardrails: ['stall'], proposed: 19 });
  });

  test('off-peak minimum: inside the window the floor is the off-peak count', () => {
    const policy = {
      ...PROD.odoo,
      capacity: { min: 4, max: 10 },
      offPeak: { ...PROD.odoo.offPeak, enabled: true },
    };
    const at = (iso: string) => decideScaling(input(policy, { now: new Date(iso), ...fleet(4) }, quiet));
    // 4 at 10 % need 1: the off-peak floor of 2.
    expect(at('2026-11-23T03:00:00Z')).toMatchObject({ action: 'scale', to: 2, guardrails: ['floor'] });
    expect(at('2026-11-23T06:00:00Z')).toMatchObject({
      action: 'hold',
      reason: 'odoo is at its minimum of 4',
    });
  });
});

describe('runaway protection: direction changes in the last hour, counting the proposed action', () => {
  const runaway = { action: 'hold', pause: true, guardrails: ['runaway'] };

  test('a monotone ramp is not a runaway: 5 scale-outs in the hour, all upward, then a sixth', () => {
    const ledger = [3300, 2700, 2100, 1500, 900].map((s, i) => action(s, 2 + i, 3 + i));
    // 90 % on 7: 6.3 / 0.7 = 9.
    const decision = odoo({ ledger, ...fleet(7) }, hot);
    expect(decision).toMatchObject({ action: 'scale', from: 7, to: 9, guardrails: [] });
    expect(decision.pause).toBeUndefined();
  });

  /** Out, in, out, in: 3 changes of direction. */
  const oscillating = (first = 3000, lastOutcome: LedgerAction['outcome'] = 'succeeded') => [
    action(first, 2, 3),
    action(2400, 3, 2),
    action(1800, 2, 3),
    action(1200, 3, 2, lastOutcome),
  ];

  test('an oscillating loop pauses on the action that would be the 4th change of direction', () => {
    const reason =
      'this scale-out would be the 4th change of direction in an hour (4 actions; limit 4): automatic scaling paused';
    expect(odoo({ ledger: oscillating() }, hot)).toEqual({
      action: 'hold',
      from: 2,
      to: 2,
      reason,
      rule: 'cpu-high',
      guardrails: ['runaway'],
      proposed: 3,
      pause: true,
      escalate: { alert: 'Scaling_Runaway_Paused', reason },
    });
  });

  test('the 3rd change of direction is allowed; a scale-in can be the 4th', () => {
    // Out, in, out, then in: 3 changes.
    expect(odoo({ ledger: oscillating().slice(0, 3), ...fleet(3) }, quiet)).toMatchObject({
      action: 'scale',
      to: 2,
    });
    // In, out, in, out, then in: 4 changes.
    const ledger = [action(3000, 3, 2), action(2400, 2, 3), action(1800, 3, 2), action(1200, 2, 3)];
    expect(odoo({ ledger, ...fleet(3) }, quiet)).toMatchObject({
      ...runaway,
      reason: expect.stringContaining('this scale-in would be the 4th change of direction in an hour'),
      escalate: { alert: 'Scaling_Runaway_Paused' },
    });
  });

  test('failed actions do not count', () => {
    const decision = odoo({ ledger: oscillating(3000, 'failed') }, hot);
    expect(decision).toMatchObject({ action: 'scale', to: 3 });
    expect(decision.pause).toBeUndefined();
  });

  test('actions older than an hour do not count', () => {
    expect(odoo({ ledger: oscillating(3601) }, hot)).toMatchObject({ action: 'scale', to: 3 });
    expect(odoo({ ledger: oscillating(3599) }, hot)).toMatchObject(runaway);
  });

  test('a manual run is an operator decision: runaway protection does not hold it', () => {
    expect(odoo({ ledger: oscillating(), manual: { to: 4, reason: 'campaign launch' } })).toMatchObject({
      action: 'scale',
      to: 4,
      rule: 'manual',
    });
  });
});

describe("seed 002's maximum scaling rate, per environment", () => {
  /** CPU 50 -> 100 % on 2 Odoo tasks: right-sizing asks for 6 (see the flash crowd above). */
  const crowd = { 'cpu-utilization': [50, 100] };

  test('staging keeps 1 Odoo instance per 300 s; prod and dev keep none; no policy sets it itself', () => {
    expect(STAGING.odoo.maxScalingRate).toEqual({ instances: 1, perSeconds: 300 });
    expect(STAGING.n8n.maxScalingRate).toBeUndefined();
    expect(PROD.odoo.maxScalingRate).toBeUndefined();
    expect(
      loadConfig({ envName: 'dev', region: 'eu-west-1' }).components.odoo.maxScalingRate,
    ).toBeUndefined();
    expect(COMPONENT_POLICIES.odoo.maxScalingRate).toBeUndefined();
  });

  test("staging: the sized scale-out 2 -> 6 is cut to 3 ('max-rate'); a second within 300 s is held", () => {
    expect(decideScaling(input(STAGING.odoo, {}, crowd))).toMatchObject({
      action: 'scale',
      from: 2,
      to: 3,
      rule: 'cpu-above-target',
      guardrails: ['max-rate'],
    });
    const second = (at: number) =>
      decideScaling(input(STAGING.odoo, { ...fleet(3), ledger: [action(at, 2, 3)] }, crowd));
    expect(second(120)).toMatchObject({ action: 'hold', guardrails: ['cooldown'] });
    expect(second(299)).toMatchObject({ action: 'hold', guardrails: ['cooldown'] });
    // 300 s later the instance added has left the window: one more.
    expect(second(300)).toMatchObject({ action: 'scale', from: 3, to: 4, guardrails: ['max-rate'] });
  });

  test('prod: the same input goes 2 -> 6 in one step', () => {
    expect(decideScaling(input(PROD.odoo, {}, crowd))).toMatchObject({
      action: 'scale',
      from: 2,
      to: 6,
      guardrails: [],
    });
  });

  test('a rate window longer than the cooldown holds with max-rate', () => {
    const policy = { ...STAGING.odoo, maxScalingRate: { instances: 1, perSeconds: 600 } };
    expect(decideScaling(input(policy, { ...fleet(3), ledger: [action(400, 2, 3)] }, crowd))).toMatchObject({
      action: 'hold',
      guardrails: ['max-rate'],
      reason: 'maximum scaling rate: 1 added in the last 600 s',
    });
  });

  test('a manual run is capped too', () => {
    expect(
      decideScaling(input(STAGING.odoo, { manual: { to: 4, reason: 'campaign launch' } })),
    ).toMatchObject({
      action: 'scale',
      to: 3,
      guardrails: ['max-rate'],
    });
  });

  test('validateConfig refuses a maximum scaling rate set in the component policy', () => {
    const env = { ...ENVIRONMENTS.prod, region: 'eu-west-1' };
    expect(() => validateConfig(env, COMPONENT_POLICIES)).not.toThrow();
    const policies = {
      ...COMPONENT_POLICIES,
      odoo: { ...COMPONENT_POLICIES.odoo, maxScalingRate: { instances: 1, perSeconds: 300 } },
    };
    expect(() => validateConfig(env, policies)).toThrow(ConfigError);
    expect(() => validateConfig(env, policies)).toThrow(
      'components.odoo.maxScalingRate: set it per environment (scaling.maxScalingRate.odoo), not in the policy',
    );
  });
});

describe('properties', () => {
  const policies = [...Object.values(PROD), STAGING.odoo];
  const series = fc.array(fc.option(fc.double({ min: 0, max: 2000, noNaN: true }), { nil: null }), {
    maxLength: 20,
  });
  const counts = fc.option(
    fc.array(fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }), { maxLength: 20 }),
    {
      nil: undefined,
    },
  );

  test('no input yields a desired count outside [min, max]; a hold keeps it, a scale changes it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...policies),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 3 }),
        fc.record({
          'cpu-utilization': series,
          'memory-utilization': series,
          'api-latency-p95-ms': series,
          'queue-backlog': series,
          'active-gpu-tasks-per-node': series,
          'workflow-queue-per-worker': series,
        }),
        counts,
        series,
        fc.option(fc.integer({ min: -5, max: 20 }), { nil: undefined }),
        fc.constantFrom<'conservative' | 'moderate' | 'aggressive'>('conservative', 'moderate', 'aggressive'),
        (policy, desired, pending, metrics, tasks, arrivals, manual, aggressiveness) => {
          const d = decideScaling(
            input(
              policy,
              {
                fleet: { desired, running: Math.max(0, desired - pending), pending },
                flags: { ...FLAGS, aggressiveness },
                tasks,
                arrivals,
                gpu: {
                  backlog: metrics['queue-backlog'].at(-1) ?? 0,
                  arrivalsPerMinute: 5,
                  jobsPerGpuPerMinute: 4,
                  drainMinutes: 10,
                },
                ...(manual !== undefined ? { manual: { to: manual, reason: 'p' } } : {}),
              },
              metrics,
            ),
          );
          return d.action === 'hold'
            ? d.to === desired && d.from === desired
            : d.to >= policy.capacity.min && d.to <= policy.capacity.max && d.to !== d.from;
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('no two automatic actions inside one cooldown, whatever the metrics do', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...policies),
        fc.array(fc.double({ min: 0, max: 300, noNaN: true }), { minLength: 20, maxLength: 120 }),
        (policy, load) => {
          let desired = policy.capacity.min;
          const ledger: LedgerAction[] = [];
          const history: number[] = [];
          load.forEach((value, minute) => {
            history.push(value);
            const now = new Date(NOW.getTime() + minute * 60_000);
            const all = history.slice(-20);
            const d = decideScaling({
              policy,
              metrics: {
                'cpu-utilization': all,
                'memory-utilization': all,
                'api-latency-p95-ms': all.map((v) => v * 5),
                'queue-backlog': all,
                'active-gpu-tasks-per-node': all.map((v) => v / 30),
                'workflow-queue-per-worker': all.map((v) => v / 10),
              },
              arrivals: all.map((v) => v / 10),
              gpu: {
                backlog: all.at(-1) ?? 0,
                arrivalsPerMinute: 0,
                jobsPerGpuPerMinute: 4,
                drainMinutes: 10,
              },
              fleet: { desired, running: desired, pending: 0 },
              ledger,
              flags: FLAGS,
              now,
            });
            if (d.action === 'scale') {
              ledger.push({ at: now.toISOString(), from: d.from, to: d.to, outcome: 'succeeded' });
              desired = d.to;
            }
          });
          for (let i = 1; i < ledger.length; i++) {
            const gap =
              (Date.parse((ledger[i] as LedgerAction).at) - Date.parse((ledger[i - 1] as LedgerAction).at)) /
              1000;
            const current = ledger[i] as LedgerAction;
            const cooldown =
              current.to > current.from ? policy.cooldown.scaleUpSeconds : policy.cooldown.scaleDownSeconds;
            const lastOut = [...ledger.slice(0, i)].reverse().find((a) => a.to > a.from);
            if (
              current.to > current.from &&
              lastOut &&
              (Date.parse(current.at) - Date.parse(lastOut.at)) / 1000 < cooldown
            )
              return false;
            if (current.to < current.from && gap < cooldown) return false;
          }
          return true;
        },
      ),
      { numRuns: 500 },
    );
  });

  test('a ramp in one direction never pauses, however many actions the hour holds', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 3599 }), { maxLength: 12 }),
        fc.boolean(),
        (seconds, outward) => {
          const ledger = [...seconds]
            .sort((a, b) => b - a)
            .map((s, i) => (outward ? action(s, 2 + i, 3 + i) : action(s, 10 - i, 9 - i)));
          const d = odoo({ ledger, ...fleet(outward ? 2 : 6) }, outward ? hot : quiet);
          return d.pause === undefined && !d.guardrails.includes('runaway');
        },
      ),
      { numRuns: 300 },
    );
  });
});
