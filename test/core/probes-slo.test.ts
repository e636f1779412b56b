import { loadConfig } from '../../lib/config';
import {
  PROBE_ALERT_INFRASTRUCTURE,
  PROBE_INTERNAL_ALARM_INFRASTRUCTURE,
  QUORUM_EXPRESSION,
  burnRateExpression,
} from '../../lib/config/probes-alerts';
import { burnInputName } from '../../lib/config/probes-alert-runtime';
import {
  BURN_RATE_WINDOWS,
  ERROR_BUDGET,
  NON_RESTORE_MINUTES,
  RESTORE_BUDGET_MINUTES,
  RTO_HOURS,
  factorFor,
} from '../../lib/config/slo';
import {
  availability,
  budgetSpent,
  burnRate,
  burnVerdicts,
  type MinuteSignal,
  type WindowSignal,
} from '../../lambdas/core/probes/burn-rate';
import { missesRto, projectedRecoveryMinutes, recoveryDocument } from '../../lambdas/core/probes/recovery';
import { evaluateMetricMath } from '../../sim/twin/metric-math';
import { evaluateRange, type AlarmDefinition } from '../../sim/twin/alarm-evaluator';

/**
 * The SLO and quorum maths on synthetic series with known answers, and the deployed alarms'
 * expressions evaluated by the twin's metric-math evaluator on the same numbers.
 */
const evaluate = (expression: string, values: Record<string, number | null>) =>
  evaluateMetricMath(expression, (id) => values[id] ?? null);

const MINUTES_30_DAYS = 30 * 24 * 60;
/** A month of steady traffic: 200 requests and 3 probes a minute. */
const minute = (over: Partial<MinuteSignal> = {}): MinuteSignal => ({
  requests: 200,
  errors: 0,
  probes: 3,
  probesOk: 3,
  ...over,
});
const series = (length: number, at: (i: number) => MinuteSignal = () => minute()) =>
  Array.from({ length }, (_, i) => at(i));
const firing = (s: readonly MinuteSignal[], end = s.length - 1) =>
  burnVerdicts(s, end)
    .filter((v) => v.fires)
    .map((v) => v.window);

describe('SLO numbers', () => {
  test('the budget is 0.1 % of 30 days: 43.2 minutes of full outage', () => {
    expect(ERROR_BUDGET).toBe(0.001);
    expect(ERROR_BUDGET * MINUTES_30_DAYS).toBeCloseTo(43.2, 6);
  });

  test('each factor is the burn rate that spends its share of the budget in its long window', () => {
    for (const w of BURN_RATE_WINDOWS)
      expect(factorFor(w.budgetSpent, w.longMinutes)).toBeCloseTo(w.factor, 6);
    expect(BURN_RATE_WINDOWS.map((w) => [w.name, w.severity, w.longMinutes, w.shortMinutes])).toEqual([
      ['Fast', 'Critical', 60, 5],
      ['Slow', 'High', 360, 30],
      ['Budget', 'High', 4320, 360],
    ]);
  });
});

describe('burn rate and error budget on synthetic series', () => {
  test('steady 99.95 % availability: half the budget spent over the month, no alert ever', () => {
    // 1 request in 2,000 fails: 0.05 % errors.
    const s = series(MINUTES_30_DAYS, (i) => minute({ errors: i % 10 === 0 ? 1 : 0 }));
    expect(availability(s)).toBeCloseTo(0.9995, 9);
    expect(budgetSpent(s)).toBeCloseTo(0.5, 9);
    for (const end of [59, 1000, 20_000, s.length - 1]) expect(firing(s, end)).toEqual([]);
  });

  test('an outage burning 2 % of the monthly budget in one hour: the fast burn fires (Critical)', () => {
    // 2 % of the month's budget = 0.02 * 0.001 * 30 d of events, all in the last hour: 1.44 % of the
    // hour's requests fail, i.e. 14.4x. A little more (15x) so it is above, not at, the threshold.
    const badPerMinute = 0.015 * 200;
    const s = [...series(3 * 24 * 60), ...series(60, () => minute({ errors: badPerMinute }))];
    const fast = burnVerdicts(s, s.length - 1)[0];
    expect(fast?.longBurn).toBeCloseTo(15, 6);
    expect(fast?.shortBurn).toBeCloseTo(15, 6);
    expect(firing(s)).toEqual(['Fast']);
    // That hour spent 2.08 % of a month's budget.
    expect(budgetSpent(s.slice(-60)) * (60 / MINUTES_30_DAYS)).toBeCloseTo(0.0208, 4);
  });

  test('a burn at exactly 14.4x does not fire (the alarms compare with >)', () => {
    const s = series(60, () => minute({ errors: 0.0144 * 200 }));
    expect(burnVerdicts(s, 59)[0]?.longBurn).toBeCloseTo(14.4, 9);
    expect(firing(s)).not.toContain('Fast');
  });

  test('a total outage seen only by the probes (no request reaches a target) fires the fast burn at once', () => {
    // The ALB answers 502/503 itself: the target group counts neither requests nor 5xx. One minute
    // of all three probes failing is 3 of the hour's 180 probes (1.7 %, 16.7x): a minute of total
    // outage is 2.3 % of the month's 43.2-minute budget.
    const down = (): MinuteSignal => ({ requests: 0, errors: 0, probes: 3, probesOk: 0 });
    const s = [...series(24 * 60), ...series(1, down)];
    expect(burnVerdicts(s, s.length - 1)[0]?.longBurn).toBeCloseTo(16.67, 2);
    expect(firing(s)).toEqual(['Fast']);
    expect(firing(s.slice(0, -1))).toEqual([]);
  });

  test('a few 5xx at night (2 requests a minute) are not an outage: the request ratio has a floor', () => {
    const night = series(24 * 60, (i) => minute({ requests: 2, errors: i % 60 === 0 ? 1 : 0 }));
    expect(firing(night)).toEqual([]);
  });

  test('after the outage ends the short window resets the fast alert within 5 minutes, though the hour is still bad', () => {
    const s = [
      ...series(3 * 24 * 60),
      ...series(20, () => minute({ errors: 20 })), // 10 % errors for 20 minutes
      ...series(6),
    ];
    const verdict = burnVerdicts(s, s.length - 1)[0];
    expect(verdict?.longBurn).toBeGreaterThan(14.4);
    expect(verdict?.shortBurn).toBe(0);
    expect(firing(s)).toEqual([]);
    expect(firing(s, s.length - 7)).toContain('Fast');
  });

  test('a slow burn (0.7 % errors for 6 hours, 7x) fires the slow alert (High) and not the fast one', () => {
    const s = [...series(3 * 24 * 60), ...series(6 * 60, () => minute({ errors: 0.007 * 200 }))];
    expect(firing(s)).toEqual(['Slow']);
  });

  test('1.2x over three days (the month would end at 99.88 %) fires the budget alert only', () => {
    const s = series(3 * 24 * 60, () => minute({ errors: 0.0012 * 200 }));
    expect(firing(s)).toEqual(['Budget']);
    expect(availability(s)).toBeCloseTo(0.9988, 6);
  });

  test('no traffic and no probes: a burn rate of 0, not a division by zero', () => {
    expect(burnRate({ requests: 0, errors: 0, probes: 0, probesOk: 0, minutes: 60 })).toBe(0);
  });
});

describe("the alarms' expressions compute the same burn rate (the twin's metric math)", () => {
  const cases: Array<[string, WindowSignal, number]> = [
    ['quiet', { requests: 0, errors: 0, probes: 180, probesOk: 180, minutes: 60 }, 0],
    ['errors', { requests: 12_000, errors: 180, probes: 180, probesOk: 180, minutes: 60 }, 15],
    ['probes failing', { requests: 40, errors: 0, probes: 180, probesOk: 120, minutes: 60 }, 333.33],
    ['both, requests worse', { requests: 5_000, errors: 7, probes: 180, probesOk: 180, minutes: 60 }, 1.4],
    ['night: 3 errors in 20 requests', { requests: 20, errors: 3, probes: 15, probesOk: 15, minutes: 5 }, 60],
  ];
  test.each(cases)('%s', (_name, s, expected) => {
    expect(burnRate(s)).toBeCloseTo(expected, 2);
    const value = evaluate(burnRateExpression(s.minutes), {
      requests: s.requests,
      errors: s.errors,
      probes: s.probes,
      probesOk: s.probesOk,
    });
    expect(value).toBeCloseTo(burnRate(s), 9);
  });

  test('ALB metrics absent (no 5xx, no request in the window) count as 0, not as a missing result', () => {
    expect(evaluate(burnRateExpression(60), { probes: 180, probesOk: 171 })).toBeCloseTo(50, 9);
    expect(evaluate(burnRateExpression(60), {})).toBe(0);
  });

  test('each internal alarm has its window as its period and its factor as its threshold', () => {
    for (const w of BURN_RATE_WINDOWS)
      for (const [which, minutes] of [
        ['Long', w.longMinutes],
        ['Short', w.shortMinutes],
      ] as const) {
        const signal = PROBE_INTERNAL_ALARM_INFRASTRUCTURE[burnInputName(w, which)]?.signal;
        expect(signal).toMatchObject({
          type: 'metric-math',
          expression: burnRateExpression(minutes),
          comparison: '>',
          threshold: w.factor,
          evaluation: { periodSeconds: minutes * 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
        });
        // CloudWatch's limit: one day of evaluation below a 1-hour period, seven days above it.
        const range = minutes * 60;
        expect(range).toBeLessThanOrEqual(minutes * 60 < 3600 ? 86_400 : 604_800);
      }
  });
});

describe('quorum: Odoo_Cluster_Node_Unhealthy fires when 2 of the 3 AZ agents agree', () => {
  const signal = PROBE_ALERT_INFRASTRUCTURE.Odoo_Cluster_Node_Unhealthy?.signal;
  if (signal?.type !== 'metric-math') throw new Error('the quorum is a metric-math alarm');
  const alarm: AlarmDefinition = {
    name: 'Odoo_Cluster_Node_Unhealthy',
    comparison: signal.comparison,
    threshold: signal.threshold,
    ...signal.evaluation,
  };
  const combos = [0, 1, 2, 3, 4, 5, 6, 7].map((bits) => [
    bits & 1 ? 1 : 0,
    bits & 2 ? 1 : 0,
    bits & 4 ? 1 : 0,
  ]);

  test.each(combos)('ProbeSuccess az1=%i az2=%i az3=%i held for 3 minutes', (a, b, c) => {
    const failing = [a, b, c].filter((v) => v === 0).length;
    const value = evaluate(QUORUM_EXPRESSION, { az1: a ?? null, az2: b ?? null, az3: c ?? null });
    expect(value).toBe(failing);
    const state = evaluateRange(alarm, [value, value, value]).state;
    expect(state).toBe(failing >= 2 ? 'ALARM' : 'OK');
  });

  test('one round where two agents fail (a blip) does not fire; two rounds in three do', () => {
    expect(evaluateRange(alarm, [0, 2, 0]).state).toBe('OK');
    expect(evaluateRange(alarm, [2, 0, 2]).state).toBe('ALARM');
  });

  test('a silent agent counts as not failing: one failing + one silent does not fire, two failing + one silent does', () => {
    expect(evaluate(QUORUM_EXPRESSION, { az1: 0, az2: 1, az3: null })).toBe(1);
    expect(evaluate(QUORUM_EXPRESSION, { az1: 0, az2: 0, az3: null })).toBe(2);
    expect(evaluate(QUORUM_EXPRESSION, { az1: null, az2: null, az3: null })).toBe(0);
  });
});

describe('projected recovery against the 4-hour RTO', () => {
  test('the non-restore steps leave 145 minutes for the restore', () => {
    expect(RTO_HOURS).toBe(4);
    expect(NON_RESTORE_MINUTES).toBe(95);
    expect(RESTORE_BUDGET_MINUTES).toBe(145);
  });

  test.each([
    [22, 117, false],
    [145, 240, false],
    [146, 241, true],
  ])('a restore of %i min projects %i min: misses the RTO %s', (restore, projected, misses) => {
    expect(projectedRecoveryMinutes(restore)).toBe(projected);
    expect(missesRto(restore)).toBe(misses);
    const alarm = PROBE_ALERT_INFRASTRUCTURE.Recovery_Time_Objective_At_Risk?.signal;
    if (alarm?.type !== 'metric') throw new Error('the RTO alarm is a metric alarm');
    expect(projected > alarm.threshold).toBe(misses);
  });

  test("every environment's backup.rtoHours is seed 003's RTO the alarm uses", () => {
    for (const envName of ['prod', 'staging', 'dev'] as const)
      expect(loadConfig({ envName, region: 'eu-west-1' }).env.backup.rtoHours).toBe(RTO_HOURS);
  });

  test('the EMF document: by Resource and without dimensions', () => {
    expect(recoveryDocument('filestore', 30, new Date('2026-12-04T03:00:00Z'))).toEqual({
      _aws: {
        Timestamp: Date.parse('2026-12-04T03:00:00Z'),
        CloudWatchMetrics: [
          {
            Namespace: 'InfluenceGen/Recovery',
            Dimensions: [['Resource'], []],
            Metrics: [
              { Name: 'RestoreMinutes', Unit: 'None' },
              { Name: 'ProjectedRecoveryMinutes', Unit: 'None' },
            ],
          },
        ],
      },
      Resource: 'filestore',
      RestoreMinutes: 30,
      ProjectedRecoveryMinutes: 125,
    });
  });
});
