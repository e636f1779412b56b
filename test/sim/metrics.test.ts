import fc from 'fast-check';
import {
  elasticityMetrics,
  instanceHours,
  sloViolationMinutes,
  type ProvisioningSeries,
} from '../../sim/metrics/elasticity';
import { monthlyCostBreakdownUsd, monthlyCostUsd, type ControlPlaneUsage } from '../../sim/metrics/cost';

const minute = (demand: number[], supply: number[]): ProvisioningSeries => ({
  demand,
  supply,
  stepSeconds: 60,
});

describe('elasticityMetrics: accuracy and timeshare (SPEC-RG-2016-01)', () => {
  test('perfect supply gives all zeros', () => {
    // d = s at every step: no under/over area, no wrong-provisioning time; both curves move the same
    // way at every transition (+1, +1, -1) and change 3 times each, so jitter = (3 - 3) / h = 0.
    const m = elasticityMetrics(minute([1, 2, 3, 2], [1, 2, 3, 2]));
    expect(m).toEqual({ thetaU: 0, thetaO: 0, tauU: 0, tauO: 0, instability: 0, jitter: 0 });
  });

  test('constant under-provisioning by 1 of 4 is thetaU 25 %, tauU 100 %', () => {
    // Each step: (4 - 3) / 4 = 0.25 -> thetaU = 100 * 4 * 0.25 / 4 = 25 %; d > s at 4 of 4 steps.
    const m = elasticityMetrics(minute([4, 4, 4, 4], [3, 3, 3, 3]));
    expect(m.thetaU).toBeCloseTo(25, 10);
    expect(m.tauU).toBe(100);
    expect(m.thetaO).toBe(0);
    expect(m.tauO).toBe(0);
    expect(m.instability).toBe(0);
    expect(m.jitter).toBe(0);
  });

  test('a mix of under- and over-provisioning', () => {
    // t: d s  -> under (d-s)^+/d   over (s-d)^+/d
    // 0: 4 2  -> 2/4 = 0.5         0
    // 1: 4 4  -> 0                 0
    // 2: 2 4  -> 0                 2/2 = 1.0
    // 3: 2 3  -> 0                 1/2 = 0.5
    // thetaU = 100 * 0.5 / 4 = 12.5 %; thetaO = 100 * (1 + 0.5) / 4 = 37.5 %
    // tauU = 1 of 4 steps = 25 %; tauO = 2 of 4 steps = 50 %
    // Supply changes at t=1 (2->4) and t=3 (4->3): E_S = 2; demand changes at t=2: E_D = 1.
    // T = 4 * 60 s = 240 s = 1/15 h -> jitter = (2 - 1) * 15 = 15 per hour.
    const m = elasticityMetrics(minute([4, 4, 2, 2], [2, 4, 4, 3]));
    expect(m.thetaU).toBeCloseTo(12.5, 10);
    expect(m.thetaO).toBeCloseTo(37.5, 10);
    expect(m.tauU).toBe(25);
    expect(m.tauO).toBe(50);
    expect(m.jitter).toBeCloseTo(15, 10);
  });

  test('fractional demand is compared exactly', () => {
    // t0: d 2.5, s 2 -> under 0.5/2.5 = 0.2; t1: d 1.25, s 2 -> over 0.75/1.25 = 0.6
    // thetaU = 100 * 0.2 / 2 = 10 %; thetaO = 100 * 0.6 / 2 = 30 %; tauU = tauO = 50 %
    const m = elasticityMetrics(minute([2.5, 1.25], [2, 2]));
    expect(m.thetaU).toBeCloseTo(10, 10);
    expect(m.thetaO).toBeCloseTo(30, 10);
    expect(m.tauU).toBe(50);
    expect(m.tauO).toBe(50);
  });

  test('zero demand: accuracy averages over the steps with d > 0, timeshare over all steps', () => {
    // t0: d 0, s 1 -> relative terms undefined (divide by 0): left out of thetaU/thetaO, counted in tauO
    // t1: d 2, s 1 -> under 1/2 = 0.5
    // thetaU = 100 * 0.5 / 1 step = 50 %; thetaO = 0 / 1 = 0 %; tauU = 1/2 = 50 %; tauO = 1/2 = 50 %
    const m = elasticityMetrics(minute([0, 2], [1, 1]));
    expect(m.thetaU).toBeCloseTo(50, 10);
    expect(m.thetaO).toBe(0);
    expect(m.tauU).toBe(50);
    expect(m.tauO).toBe(50);
    expect(Number.isFinite(m.thetaO)).toBe(true);
  });

  test('demand that is never positive gives thetaU = thetaO = 0 and no NaN', () => {
    // No step with d > 0 -> both accuracies defined as 0; s > d at t1 only -> tauO = 50 %.
    const m = elasticityMetrics(minute([0, 0], [0, 1]));
    expect(m.thetaU).toBe(0);
    expect(m.thetaO).toBe(0);
    expect(m.tauU).toBe(0);
    expect(m.tauO).toBe(50);
    for (const value of Object.values(m)) expect(Number.isNaN(value)).toBe(false);
  });
});

describe('elasticityMetrics: instability', () => {
  test('opposite moves at every transition are 100 %', () => {
    // t1: dd = +1, ds = -1 -> min(|-1 - 1|, 1) = 1; t2: dd = -1, ds = +1 -> 1. 2 of 2 transitions.
    expect(elasticityMetrics(minute([2, 3, 2], [3, 2, 3])).instability).toBe(100);
  });

  test('moves in the same direction, whatever their size, are 0 %', () => {
    // t1: dd = +1, ds = +2 -> sgn equal -> 0; t2: dd = +1, ds = +2 -> 0.
    expect(elasticityMetrics(minute([1, 2, 3], [1, 3, 5])).instability).toBe(0);
  });

  test('one curve moving while the other holds counts (sgn differs), normalised by N - 1', () => {
    // t1: dd = +1, ds = 0 -> |0 - 1| = 1; t2: dd = 0, ds = +1 -> 1; t3, t4: both 0 -> 0.
    // instability = 100 * 2 / (5 - 1) = 50 %
    expect(elasticityMetrics(minute([1, 2, 2, 2, 2], [1, 1, 2, 2, 2])).instability).toBe(50);
  });

  test('a mix of opposite, lagging and matching transitions', () => {
    // t1: dd +1, ds -1 -> 1; t2: dd -1, ds +1 -> 1; t3: dd +1, ds 0 -> 1; t4: dd 0, ds 0 -> 0
    // instability = 100 * 3 / 4 = 75 %
    expect(elasticityMetrics(minute([2, 3, 2, 3, 3], [3, 2, 3, 3, 3])).instability).toBe(75);
  });

  test('a single sample has no transition and an instability of 0', () => {
    expect(elasticityMetrics(minute([3], [1])).instability).toBe(0);
  });
});

describe('elasticityMetrics: jitter', () => {
  test('more supply adaptations than demand changes is positive', () => {
    // Demand flat: E_D = 0. Supply 3,4,3,4,3,4 changes at t1..t5: E_S = 5.
    // T = 6 * 60 s = 360 s = 0.1 h -> jitter = (5 - 0) / 0.1 = +50 per hour (oscillation).
    const m = elasticityMetrics(minute([3, 3, 3, 3, 3, 3], [3, 4, 3, 4, 3, 4]));
    expect(m.jitter).toBeCloseTo(50, 10);
  });

  test('fewer supply adaptations than demand changes is negative', () => {
    // Demand 1..6 changes at t1..t5: E_D = 5. Supply flat at 6: E_S = 0.
    // jitter = (0 - 5) / 0.1 h = -50 per hour (too few adaptations).
    const m = elasticityMetrics(minute([1, 2, 3, 4, 5, 6], [6, 6, 6, 6, 6, 6]));
    expect(m.jitter).toBeCloseTo(-50, 10);
  });

  test('a multi-instance step is one adaptation', () => {
    // Supply 1 -> 5 in one step: E_S = 1. Demand 1,2,3,4 changes 3 times: E_D = 3.
    // T = 4 * 60 s = 1/15 h -> jitter = (1 - 3) * 15 = -30 per hour.
    const m = elasticityMetrics(minute([1, 2, 3, 4], [1, 5, 5, 5]));
    expect(m.jitter).toBeCloseTo(-30, 10);
  });

  test('jitter is per hour of the measured span, whatever the step', () => {
    // 10-second steps: 6 samples = 60 s = 1/60 h. E_S = 5, E_D = 0 -> 5 * 60 = 300 per hour.
    const m = elasticityMetrics({ demand: [3, 3, 3, 3, 3, 3], supply: [3, 4, 3, 4, 3, 4], stepSeconds: 10 });
    expect(m.jitter).toBeCloseTo(300, 10);
  });
});

describe('sloViolationMinutes and instanceHours', () => {
  test('10-second steps', () => {
    // d > s at t1 (3 > 2), t2 (3 > 2) and t5 (4 > 2): 3 steps * 10 s = 30 s = 0.5 min.
    // Supply 2 at each of 6 steps: 12 instance-steps * 10 s = 120 instance-s = 120 / 3600 = 1/30 h.
    const series = { demand: [2, 3, 3, 1, 0, 4], supply: [2, 2, 2, 2, 2, 2], stepSeconds: 10 };
    expect(sloViolationMinutes(series)).toBeCloseTo(0.5, 10);
    expect(instanceHours(series)).toBeCloseTo(1 / 30, 12);
  });

  test('one hour of 10-second steps at 3 instances is 3 instance-hours', () => {
    // 360 steps * 10 s = 3600 s; 3 instances * 3600 s / 3600 = 3 instance-hours. Never under: 0 min.
    const series = {
      demand: new Array<number>(360).fill(2.5),
      supply: new Array<number>(360).fill(3),
      stepSeconds: 10,
    };
    expect(instanceHours(series)).toBeCloseTo(3, 10);
    expect(sloViolationMinutes(series)).toBe(0);
  });

  test('fractional supply counts fractionally', () => {
    // (0.5 + 1.5) instances * 10 s = 20 instance-s = 20 / 3600 h.
    expect(instanceHours({ demand: [1, 1], supply: [0.5, 1.5], stepSeconds: 10 })).toBeCloseTo(20 / 3600, 12);
  });
});

describe('input validation', () => {
  const ok: ProvisioningSeries = { demand: [1, 2], supply: [1, 2], stepSeconds: 60 };
  const fns = [elasticityMetrics, sloViolationMinutes, instanceHours] as const;

  test.each([
    ['mismatched lengths', { ...ok, supply: [1, 2, 3] }, /series\.supply.*same length.*series\.demand/],
    ['empty series', { demand: [], supply: [], stepSeconds: 60 }, /series\.demand must not be empty/],
    ['zero stepSeconds', { ...ok, stepSeconds: 0 }, /series\.stepSeconds/],
    ['negative stepSeconds', { ...ok, stepSeconds: -60 }, /series\.stepSeconds/],
    ['NaN stepSeconds', { ...ok, stepSeconds: Number.NaN }, /series\.stepSeconds/],
    ['infinite stepSeconds', { ...ok, stepSeconds: Number.POSITIVE_INFINITY }, /series\.stepSeconds/],
    ['negative demand', { ...ok, demand: [1, -1] }, /series\.demand\[1\].*got -1/],
    ['infinite demand', { ...ok, demand: [Number.POSITIVE_INFINITY, 1] }, /series\.demand\[0\]/],
    ['NaN supply', { ...ok, supply: [1, Number.NaN] }, /series\.supply\[1\].*got NaN/],
    ['negative supply', { ...ok, supply: [-2, 1] }, /series\.supply\[0\]/],
  ] as const)('%s', (_name, series, message) => {
    for (const fn of fns) expect(() => fn(series)).toThrow(message);
  });

  test('non-array values', () => {
    const bad = { demand: 'nope', supply: [1], stepSeconds: 60 } as unknown as ProvisioningSeries;
    expect(() => elasticityMetrics(bad)).toThrow(/series\.demand must be an array/);
  });
});

describe('elasticityMetrics: properties', () => {
  test('percentages stay in [0, 100] (accuracies >= 0) and tauU + tauO <= 100', () => {
    const value = fc.integer({ min: 0, max: 20 });
    const series = fc.integer({ min: 1, max: 40 }).chain((n) =>
      fc.record({
        demand: fc.array(value, { minLength: n, maxLength: n }),
        supply: fc.array(value, { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(series, ({ demand, supply }) => {
        const m = elasticityMetrics(minute(demand, supply));
        expect(m.thetaU).toBeGreaterThanOrEqual(0);
        expect(m.thetaU).toBeLessThanOrEqual(100); // (d - s)^+ / d <= 1 because s >= 0
        expect(m.thetaO).toBeGreaterThanOrEqual(0);
        expect(m.tauU + m.tauO).toBeLessThanOrEqual(100 + 1e-9);
        expect(m.instability).toBeGreaterThanOrEqual(0);
        expect(m.instability).toBeLessThanOrEqual(100);
        expect(Number.isFinite(m.jitter)).toBe(true);
        // sloViolationMinutes is tauU's share of the span: tauU/100 * N * 60 s / 60.
        expect(sloViolationMinutes(minute(demand, supply))).toBeCloseTo((m.tauU / 100) * demand.length, 9);
      }),
    );
  });
});

describe('monthlyCostUsd', () => {
  const oneDay: ControlPlaneUsage = {
    stateTransitions: 100_000,
    lambdaInvocations: 50_000,
    lambdaGbSeconds: 10_000,
    metricsRequested: 200_000,
    dynamoReadRequestUnits: 1_000_000,
    dynamoWriteRequestUnits: 400_000,
    simulatedSeconds: 86_400,
  };

  test('one simulated day scaled to 30 days, by hand', () => {
    // Per day:
    //   Step Functions   100,000 * $0.025 / 1,000         = $2.50
    //   Lambda requests   50,000 * $0.20 / 1,000,000      = $0.01
    //   Lambda arm64      10,000 GB-s * $0.0000133334     = $0.133334
    //   GetMetricData    200,000 * $0.01 / 1,000          = $2.00
    //   DynamoDB reads  1,000,000 RRU * $0.125 / 1,000,000 = $0.125
    //   DynamoDB writes   400,000 WRU * $0.625 / 1,000,000 = $0.25
    //   total                                             = $5.018334
    // Month = 30 days / 1 day = 30x -> $150.55002
    expect(monthlyCostUsd(oneDay)).toBeCloseTo(150.55002, 8);
    const b = monthlyCostBreakdownUsd(oneDay);
    expect(b.stepFunctions).toBeCloseTo(75, 10);
    expect(b.lambdaRequests).toBeCloseTo(0.3, 10);
    expect(b.lambdaDuration).toBeCloseTo(4.00002, 10);
    expect(b.cloudWatch).toBeCloseTo(60, 10);
    expect(b.dynamoReads).toBeCloseTo(3.75, 10);
    expect(b.dynamoWrites).toBeCloseTo(7.5, 10);
  });

  test('the same rate over a longer span costs the same per month', () => {
    // Twice the counts over twice the seconds: the scale factor halves, the month is unchanged.
    const twoDays: ControlPlaneUsage = {
      stateTransitions: 200_000,
      lambdaInvocations: 100_000,
      lambdaGbSeconds: 20_000,
      metricsRequested: 400_000,
      dynamoReadRequestUnits: 2_000_000,
      dynamoWriteRequestUnits: 800_000,
      simulatedSeconds: 172_800,
    };
    expect(monthlyCostUsd(twoDays)).toBeCloseTo(monthlyCostUsd(oneDay), 8);
  });

  test('no usage costs nothing', () => {
    const idle: ControlPlaneUsage = {
      stateTransitions: 0,
      lambdaInvocations: 0,
      lambdaGbSeconds: 0,
      metricsRequested: 0,
      dynamoReadRequestUnits: 0,
      dynamoWriteRequestUnits: 0,
      simulatedSeconds: 3600,
    };
    expect(monthlyCostUsd(idle)).toBe(0);
  });

  test.each([
    ['simulatedSeconds', 0, /usage\.simulatedSeconds/],
    ['simulatedSeconds', -1, /usage\.simulatedSeconds/],
    ['simulatedSeconds', Number.NaN, /usage\.simulatedSeconds/],
    ['stateTransitions', -1, /usage\.stateTransitions.*got -1/],
    ['lambdaGbSeconds', Number.POSITIVE_INFINITY, /usage\.lambdaGbSeconds/],
    ['dynamoWriteRequestUnits', Number.NaN, /usage\.dynamoWriteRequestUnits/],
  ] as const)('rejects %s = %s', (field, value, message) => {
    expect(() => monthlyCostUsd({ ...oneDay, [field]: value })).toThrow(message);
  });
});
