import fc from 'fast-check';
import { loadConfig } from '../../lib/config';
import type { ComponentPolicy } from '../../lib/config/schema';
import { decideScaling } from '../../lambdas/core/scaling/decide';
import { ruleBreaches } from '../../lambdas/core/scaling/rules';
import type { LedgerAction, ScalingInput, Series, Signal } from '../../lambdas/core/scaling/types';

const PROD_CONFIG = loadConfig({ envName: 'prod', region: 'eu-west-1' });
const PROD = PROD_CONFIG.components;
/** The production Flux sizing targets (75 % busy to size, 65 % to scale in). */
const GPU_TARGETS = {
  targetUtilisation: PROD_CONFIG.env.flux.targetUtilisation,
  scaleInMaxUtilisation: PROD_CONFIG.env.flux.scaleInMaxUtilisation,
};
const NOW = new Date('2026-11-23T10:00:00.000Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

function input(
  policy: ComponentPolicy,
  over: Partial<ScalingInput> = {},
  metrics: Partial<Record<Signal, Series>> = {},
): ScalingInput {
  return {
    policy,
    metrics,
    fleet: { desired: 2, running: 2, pending: 0 },
    ledger: [],
    flags: {
      scalingEnabled: true,
      aggressiveness: 'moderate',
      paused: false,
      inMaintenance: false,
      stallOpen: false,
    },
    now: NOW,
    ...over,
  };
}
const odoo = (over: Partial<ScalingInput> = {}, metrics: Partial<Record<Signal, Series>> = {}) =>
  decideScaling(input(PROD.odoo, over, metrics));
const rule = (component: keyof typeof PROD, id: string) =>
  PROD[component].rules.find((r) => r.id === id) as ComponentPolicy['rules'][number];

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
});

describe('decisions', () => {
  test('a CPU breach adds one Odoo worker', () => {
    expect(odoo({}, { 'cpu-utilization': [75, 72, 71] })).toMatchObject({
      action: 'scale',
      from: 2,
      to: 3,
      rule: 'cpu-high',
    });
  });

  test('latency p95 >= 400 ms (2 of 2) adds one', () => {
    expect(odoo({}, { 'api-latency-p95-ms': [400, 450] })).toMatchObject({
      action: 'scale',
      to: 3,
      rule: 'latency-p95-high',
    });
  });

  test('scale-out wins over scale-in', () => {
    expect(
      odoo(
        { fleet: { desired: 4, running: 4, pending: 0 } },
        { 'cpu-utilization': [10, 10, 10, 10, 10], 'memory-utilization': [85, 85] },
      ),
    ).toMatchObject({ to: 5, rule: 'memory-high' });
  });

  test('quiet CPU removes one worker, down to the minimum and no further', () => {
    const quiet = { 'cpu-utilization': [10, 10, 10, 10, 10] };
    expect(odoo({ fleet: { desired: 3, running: 3, pending: 0 } }, quiet)).toMatchObject({
      action: 'scale',
      to: 2,
      rule: 'cpu-low',
    });
    expect(odoo({}, quiet)).toMatchObject({
      action: 'hold',
      reason: 'odoo is at its minimum of 2',
      guardrails: ['floor'],
    });
  });

  test('no rule breached holds', () => {
    expect(odoo({}, { 'cpu-utilization': [50, 50, 50] })).toMatchObject({
      action: 'hold',
      reason: 'no rule breached',
    });
  });
});

describe('CPU sizing (odoo, n8n: 60 % target, right-size while one fewer stays <= 60 %)', () => {
  /** n8n, its queue quiet (per worker a tenth of its CPU: each busy slot 10 % of a worker). */
  const n8n = (over: Partial<ScalingInput> = {}, metrics: Partial<Record<Signal, Series>> = {}) =>
    decideScaling(
      input(PROD.n8n, over, {
        'workflow-queue-per-worker': (metrics['cpu-utilization'] ?? []).map((v) => (v === null ? 5 : v / 10)),
        ...metrics,
      }),
    );
  const fleet = (n: number, pending = 0) => ({ fleet: { desired: n, running: n - pending, pending } });

  test('a flash crowd is met in one step: CPU 99 % on 2 asks for 4 (2 x 99 / 60, rounded up)', () => {
    expect(n8n({}, { 'cpu-utilization': [95, 98, 99] })).toMatchObject({ action: 'scale', from: 2, to: 4 });
  });

  test('aggressiveness does not double a sized step; conservative does not cut it', () => {
    for (const aggressiveness of ['aggressive', 'conservative'] as const) {
      const decision = decideScaling({
        ...input(
          PROD.n8n,
          {},
          { 'cpu-utilization': [95, 98, 99], 'workflow-queue-per-worker': [9.5, 9.8, 9.9] },
        ),
        flags: { ...input(PROD.n8n).flags, aggressiveness },
      });
      expect(decision).toMatchObject({ to: 4 });
    }
  });

  test('a breach just over the threshold still adds at least the rule step', () => {
    expect(n8n(fleet(3), { 'cpu-utilization': [71, 71, 71] })).toMatchObject({ to: 4 });
  });

  test("Odoo's sized scale-out is still capped by seed 002's 1 instance per 5 minutes", () => {
    expect(odoo(fleet(4), { 'cpu-utilization': [99, 99, 99] })).toMatchObject({
      action: 'scale',
      to: 5,
      guardrails: ['max-rate'],
    });
  });

  test('between the thresholds, right-sizes down when one fewer would run at <= 60 % (38 x 3 / 2 = 57)', () => {
    expect(n8n(fleet(3), { 'cpu-utilization': [35, 36, 38, 37, 36] })).toMatchObject({
      action: 'scale',
      to: 2,
      rule: 'cpu-right-size',
    });
  });

  test.each<[string, Partial<ScalingInput>, Series]>([
    ['one fewer would run above 60 % (41 x 3 / 2 = 61.5)', fleet(3), [35, 36, 41, 37, 36]],
    ['a datapoint of the 5 minutes is missing (no signal is not idle)', fleet(3), [35, null, 38, 37, 36]],
    ['fewer than 5 datapoints', fleet(3), [35, 36, 38]],
    ['a task is still booting', fleet(3, 1), [35, 36, 38, 37, 36]],
  ])('holds when %s', (_name, over, cpu) => {
    expect(n8n(over, { 'cpu-utilization': cpu })).toMatchObject({ action: 'hold' });
  });

  test('right-sizing respects the scale-in cooldown', () => {
    const ledger: LedgerAction[] = [{ at: ago(300), from: 4, to: 3, outcome: 'succeeded' }];
    expect(n8n({ ...fleet(3), ledger }, { 'cpu-utilization': [35, 36, 38, 37, 36] })).toMatchObject({
      action: 'hold',
      guardrails: ['cooldown'],
    });
  });
});

describe("n8n's job queue (workers run 10 jobs at once: out above 7 a worker, sized to 6, in at <= 3)", () => {
  const QUEUE: Signal = 'workflow-queue-per-worker';
  const workers = (desired: number, pending = 0) => ({
    fleet: { desired, running: desired - pending, pending },
  });
  /** n8n with a job queue and, unless given, a CPU that breaches nothing. */
  const n8n = (over: Partial<ScalingInput>, queue: Series, cpu: Series = [50, 50, 50, 50, 50]) =>
    decideScaling(input(PROD.n8n, over, { [QUEUE]: queue, 'cpu-utilization': cpu }));

  test('the rules are shares of the worker concurrency, which every environment deploys', () => {
    expect(rule('n8n', 'queue-high')).toMatchObject({ comparison: '>', threshold: 7, evaluationPeriods: 3 });
    expect(rule('n8n', 'queue-low')).toMatchObject({ comparison: '<=', threshold: 3, datapointsToAlarm: 5 });
    expect(ruleBreaches(rule('n8n', 'queue-high'), [7, 7, 7])).toBe(false);
    expect(ruleBreaches(rule('n8n', 'queue-high'), [7.1, 5, 7.1])).toBe(true);
    expect(ruleBreaches(rule('n8n', 'queue-low'), [3, 3, 3, 3, 3.1])).toBe(false);
  });

  test('a backlog is met in one step: 11 jobs a worker on 2 (22 waiting or running) asks for 4 at 6 each', () => {
    expect(n8n(workers(2), [6, 8, 11])).toMatchObject({
      action: 'scale',
      from: 2,
      to: 4,
      rule: 'queue-sizing',
      reason: expect.stringContaining(
        '22 jobs waiting or running, 6 a worker: 4 workers (triggered by queue-high)',
      ),
    });
  });

  test('a burst beyond the maximum goes to the maximum and pages, whatever the CPU (capped at 100 %) says', () => {
    expect(n8n(workers(1), [30, 80, 140], [100, 100, 100])).toMatchObject({
      action: 'scale',
      to: 5,
      escalate: { alert: 'Max_Instances_Reached' },
    });
  });

  test('with CPU and queue both breaching, the larger proposal wins', () => {
    // CPU 99 % on 2 sizes to 4 (2 x 99 / 60); the queue's 7.5 a worker (15 jobs) to 3.
    expect(n8n(workers(2), [7.5, 7.5, 7.5], [99, 99, 99])).toMatchObject({ to: 4, rule: 'cpu-high' });
    // CPU 72 % sizes to 3 (the +1 step); the queue's 14 a worker (28 jobs) to 5.
    expect(n8n(workers(2), [9, 14, 14], [72, 72, 72])).toMatchObject({ to: 5, rule: 'queue-sizing' });
  });

  test('workers still booting count: 2 running and 2 booting hold 22 jobs; 30 jobs ask for a fifth', () => {
    expect(n8n(workers(4, 2), [11, 11, 11])).toMatchObject({
      action: 'hold',
      reason: expect.stringMatching(/4 workers cover the demand and 4 are running or booting/),
    });
    expect(n8n(workers(4, 2), [11, 15, 15])).toMatchObject({ action: 'scale', to: 5, rule: 'queue-sizing' });
  });

  test('aggressiveness does not reshape a queue-sized step', () => {
    for (const aggressiveness of ['aggressive', 'conservative'] as const) {
      const decision = decideScaling({
        ...input(PROD.n8n, workers(2), { [QUEUE]: [6, 8, 11], 'cpu-utilization': [50, 50, 50] }),
        flags: { ...input(PROD.n8n).flags, aggressiveness },
      });
      expect(decision).toMatchObject({ action: 'scale', to: 4 });
    }
  });

  test('a drained queue scales in: 3 workers at <= 3 jobs each for 5 minutes go to 2', () => {
    expect(n8n(workers(3), [2, 3, 2.5, 3, 1], [25, 30, 25, 30, 10])).toMatchObject({
      action: 'scale',
      from: 3,
      to: 2,
    });
    expect(n8n(workers(3), [2, 3, 2.5, 3, 1], [50, 50, 50, 50, 50])).toMatchObject({
      action: 'scale',
      to: 2,
      rule: 'queue-low',
    });
  });

  test('one low minute is a lull, not a drained queue', () => {
    expect(n8n(workers(3), [5, 5, 5, 5, 1], [50, 50, 50, 50, 50])).toMatchObject({ action: 'hold' });
  });

  test("CPU's scale-in is held while the workers left would hold more than 6 jobs each", () => {
    // CPU 20 % (I/O-bound jobs), but 5 jobs a worker on 3 is 15 jobs: 7.5 each on 2.
    expect(n8n(workers(3), [5, 5, 5, 5, 5], [20, 20, 20, 20, 20])).toMatchObject({
      action: 'hold',
      rule: 'queue-sizing',
      reason: expect.stringMatching(/cpu-low asks for 2, but 2 workers would hold 7\.5 jobs each/),
    });
    // The queue's peak of the 5 minutes counts, not its last value.
    expect(n8n(workers(3), [5, 1, 1, 1, 1], [20, 20, 20, 20, 20])).toMatchObject({ action: 'hold' });
    // 4 a worker on 3 is 12 jobs: 6 each on 2, at the limit.
    expect(n8n(workers(3), [4, 4, 4, 4, 4], [20, 20, 20, 20, 20])).toMatchObject({
      action: 'scale',
      to: 2,
      rule: 'cpu-low',
    });
  });

  test('without the queue signal, n8n does not scale in on CPU alone', () => {
    expect(n8n(workers(3), [4, 4, null, 4, 4], [20, 20, 20, 20, 20])).toMatchObject({
      action: 'hold',
      reason: expect.stringMatching(/job queue lacks a datapoint in the last 5 minutes/),
    });
  });
});

describe('guardrails', () => {
  const hot = { 'cpu-utilization': [90, 90, 90] };

  test('development: no automatic scaling', () => {
    expect(odoo({ flags: { ...input(PROD.odoo).flags, scalingEnabled: false } }, hot)).toMatchObject({
      action: 'hold',
      guardrails: ['environment'],
    });
  });

  test('paused and maintenance hold; a manual run is an operator decision and is not held by them', () => {
    expect(odoo({ flags: { ...input(PROD.odoo).flags, paused: true } }, hot)).toMatchObject({
      action: 'hold',
      guardrails: ['paused'],
    });
    expect(odoo({ flags: { ...input(PROD.odoo).flags, inMaintenance: true } }, hot)).toMatchObject({
      action: 'hold',
      guardrails: ['maintenance'],
    });
    expect(
      odoo({
        flags: { ...input(PROD.odoo).flags, paused: true },
        manual: { to: 4, reason: 'campaign launch' },
      }),
    ).toMatchObject({ action: 'scale', to: 3, guardrails: ['max-rate'] });
  });

  test('scale-out cooldown: 299 s after a scale-out holds, 300 s allows', () => {
    const at = (s: number): LedgerAction[] => [{ at: ago(s), from: 2, to: 3, outcome: 'succeeded' }];
    expect(odoo({ ledger: at(299), fleet: { desired: 3, running: 3, pending: 0 } }, hot)).toMatchObject({
      action: 'hold',
      guardrails: ['cooldown'],
    });
    expect(odoo({ ledger: at(300), fleet: { desired: 3, running: 3, pending: 0 } }, hot)).toMatchObject({
      action: 'scale',
      to: 4,
    });
  });

  test('scale-in cooldown: 599 s after any action holds, 600 s allows', () => {
    const quiet = { 'cpu-utilization': [10, 10, 10, 10, 10] };
    const at = (s: number): LedgerAction[] => [{ at: ago(s), from: 2, to: 3, outcome: 'succeeded' }];
    expect(odoo({ ledger: at(599), fleet: { desired: 3, running: 3, pending: 0 } }, quiet)).toMatchObject({
      action: 'hold',
      guardrails: ['cooldown'],
    });
    expect(odoo({ ledger: at(600), fleet: { desired: 3, running: 3, pending: 0 } }, quiet)).toMatchObject({
      action: 'scale',
      to: 2,
    });
  });

  test('a failed action does not start a cooldown', () => {
    expect(odoo({ ledger: [{ at: ago(30), from: 2, to: 3, outcome: 'failed' }] }, hot)).toMatchObject({
      action: 'scale',
      to: 3,
    });
  });

  test('maximum scaling rate: Odoo adds at most 1 instance per 5 minutes, even when asked for 3', () => {
    expect(odoo({ manual: { to: 5, reason: 'x' } })).toMatchObject({
      action: 'scale',
      to: 3,
      guardrails: ['max-rate'],
    });
  });

  test('runaway: the sixth action in an hour pauses automatic scaling and escalates', () => {
    const ledger = [3600 - 1, 3000, 2400, 1800, 1200, 900].map((s, i): LedgerAction => ({
      at: ago(s),
      from: 2 + i,
      to: 3 + i,
      outcome: 'succeeded',
    }));
    const decision = odoo({ ledger, fleet: { desired: 8, running: 8, pending: 0 } }, hot);
    expect(decision).toMatchObject({
      action: 'hold',
      pause: true,
      guardrails: ['runaway'],
      escalate: { alert: 'Scaling_Runaway_Paused' },
    });
    expect(
      odoo({ ledger: ledger.slice(1), fleet: { desired: 8, running: 8, pending: 0 } }, hot).guardrails,
    ).not.toContain('runaway');
  });

  test('database guard: no Odoo scale-up above 90 % of PostgreSQL connections; escalate instead', () => {
    const flags = (p: number) => ({ ...input(PROD.odoo).flags, databaseConnectionsPercent: p });
    expect(odoo({ flags: flags(90) }, hot)).toMatchObject({ action: 'scale' });
    expect(odoo({ flags: flags(90.5) }, hot)).toMatchObject({
      action: 'hold',
      guardrails: ['database'],
      escalate: { alert: 'Scaling_Blocked_By_Database' },
    });
  });

  test('capacity still booting holds a scale-out the metrics cannot see yet', () => {
    expect(odoo({ fleet: { desired: 3, running: 2, pending: 1 } }, hot)).toMatchObject({
      action: 'hold',
      guardrails: ['booting'],
      reason: '1 instance still booting; metrics do not show them yet',
    });
  });

  test('at the maximum: hold and escalate "max instances reached"; reaching it escalates too', () => {
    expect(odoo({ fleet: { desired: 10, running: 10, pending: 0 } }, hot)).toMatchObject({
      action: 'hold',
      escalate: { alert: 'Max_Instances_Reached' },
    });
    expect(odoo({ fleet: { desired: 9, running: 9, pending: 0 } }, hot)).toMatchObject({
      action: 'scale',
      to: 10,
      escalate: { alert: 'Max_Instances_Reached' },
    });
  });

  test('conservative environments add one at a time; aggressive ones double the step', () => {
    const gpu = (aggressiveness: 'conservative' | 'moderate' | 'aggressive') =>
      decideScaling(
        input(
          PROD['flux-gpu'],
          {
            fleet: { desired: 1, running: 1, pending: 0 },
            flags: { ...input(PROD.odoo).flags, aggressiveness },
          },
          { 'queue-backlog': [150, 160] },
        ),
      );
    expect(gpu('conservative')).toMatchObject({ to: 2, guardrails: ['conservative'] });
    expect(gpu('moderate')).toMatchObject({ to: 3 });
    expect(gpu('aggressive')).toMatchObject({ to: 5, guardrails: ['aggressive'] });
  });

  test('an open stalled-GPU incident holds GPU scale-out', () => {
    const flags = { ...input(PROD.odoo).flags, stallOpen: true };
    expect(
      decideScaling(
        input(
          PROD['flux-gpu'],
          { fleet: { desired: 1, running: 1, pending: 0 }, flags },
          { 'queue-backlog': [150, 160] },
        ),
      ),
    ).toMatchObject({ action: 'hold', guardrails: ['stall'] });
  });

  test('off-peak minimum: inside the window the floor is the off-peak count', () => {
    const policy = {
      ...PROD.odoo,
      capacity: { min: 4, max: 10 },
      offPeak: { ...PROD.odoo.offPeak, enabled: true },
    };
    const quiet = { 'cpu-utilization': [10, 10, 10, 10, 10] };
    const at = (iso: string) =>
      decideScaling(
        input(policy, { now: new Date(iso), fleet: { desired: 4, running: 4, pending: 0 } }, quiet),
      );
    expect(at('2026-11-23T03:00:00Z')).toMatchObject({ action: 'scale', to: 3 });
    expect(at('2026-11-23T06:00:00Z')).toMatchObject({
      action: 'hold',
      reason: 'odoo is at its minimum of 4',
    });
  });
});

describe('GPU fleet sizing', () => {
  const gpu = (desired: number, backlog: number, arrivals: number, pending = 0) =>
    decideScaling(
      input(
        PROD['flux-gpu'],
        {
          fleet: { desired, running: desired - pending, pending },
          gpu: {
            backlog,
            arrivalsPerMinute: arrivals,
            jobsPerGpuPerMinute: 4,
            drainMinutes: 10,
            ...GPU_TARGETS,
          },
        },
        { 'queue-backlog': [backlog, backlog] },
      ),
    );

  test('a burst is met in one step: 600 queued and 8/min arriving at 4/min per GPU needs 17, capped at the max of 5', () => {
    expect(gpu(1, 600, 8)).toMatchObject({ action: 'scale', from: 1, to: 5, rule: 'gpu-sizing' });
  });

  test('without overshooting: 120 queued and 3/min arriving need 4 (3/min at 75 % of 4/min per GPU is 1)', () => {
    expect(gpu(1, 120, 3)).toMatchObject({ action: 'scale', to: 4, rule: 'gpu-sizing' });
  });

  test('capacity already booting counts: 4 desired (2 booting) cover a need of 4', () => {
    expect(gpu(4, 120, 3, 2)).toMatchObject({
      action: 'hold',
      reason: expect.stringMatching(/4 GPUs cover the demand and 4 are running or booting/),
    });
  });
});

describe('GPU scale-in guard', () => {
  const quietNodes = (desired: number, backlog: number, arrivals: number) =>
    decideScaling(
      input(
        PROD['flux-gpu'],
        {
          fleet: { desired, running: desired, pending: 0 },
          gpu: {
            backlog,
            arrivalsPerMinute: arrivals,
            jobsPerGpuPerMinute: 4,
            drainMinutes: 10,
            ...GPU_TARGETS,
          },
        },
        { 'active-gpu-tasks-per-node': [1, 1], 'queue-backlog': [backlog, backlog] },
      ),
    );

  test('3 GPUs, fully busy with an empty queue (1 task per node, 12/min arriving), are kept', () => {
    expect(quietNodes(3, 0, 12)).toMatchObject({
      action: 'hold',
      reason: expect.stringMatching(/2 GPUs would be too busy: 12.0\/min arriving need 5 at 65 %/),
    });
  });

  test('a queue, however short, holds the scale-in', () => {
    expect(quietNodes(3, 3, 1)).toMatchObject({ action: 'hold', reason: expect.stringMatching(/3 queued/) });
  });

  test('3 GPUs with 5/min arriving scale in to 2, which serve it 63 % busy', () => {
    expect(quietNodes(3, 0, 5)).toMatchObject({ action: 'scale', from: 3, to: 2, rule: 'gpu-tasks-low' });
  });
});

describe('properties', () => {
  const policies = Object.values(PROD);
  const series = fc.array(fc.option(fc.double({ min: 0, max: 2000, noNaN: true }), { nil: null }), {
    maxLength: 6,
  });

  test('no input yields a desired count outside [min, max]', () => {
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
        fc.option(fc.integer({ min: -5, max: 20 }), { nil: undefined }),
        fc.constantFrom('conservative', 'moderate', 'aggressive') as fc.Arbitrary<
          'conservative' | 'moderate' | 'aggressive'
        >,
        (policy, desired, pending, metrics, manual, aggressiveness) => {
          const d = decideScaling(
            input(
              policy,
              {
                fleet: { desired, running: Math.max(0, desired - pending), pending },
                flags: {
                  scalingEnabled: true,
                  aggressiveness,
                  paused: false,
                  inMaintenance: false,
                  stallOpen: false,
                },
                gpu: {
                  backlog: (metrics['queue-backlog'].at(-1) ?? 0) as number,
                  arrivalsPerMinute: 5,
                  jobsPerGpuPerMinute: 4,
                  drainMinutes: 10,
                  ...GPU_TARGETS,
                },
                ...(manual !== undefined ? { manual: { to: manual, reason: 'p' } } : {}),
              },
              metrics,
            ),
          );
          return d.action === 'hold'
            ? d.to === desired
            : d.to >= policy.capacity.min && d.to <= policy.capacity.max;
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
            const all = history.slice(-6);
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
              fleet: { desired, running: desired, pending: 0 },
              ledger,
              flags: {
                scalingEnabled: true,
                aggressiveness: 'moderate',
                paused: false,
                inMaintenance: false,
                stallOpen: false,
              },
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
});
