import { ALERT_CATALOGUE } from '../../lib/config/alerts';
import { alarmSignalValue } from '../../sim/twin/alarm-signal';
import { evaluateMetricMath } from '../../sim/twin/metric-math';

const values =
  (v: Record<string, number | null>) =>
  (id: string): number | null =>
    v[id] ?? null;

describe('metric math in the twin', () => {
  test.each<[string, Record<string, number | null>, number | null]>([
    ['12 waiting and 10 active on 2 workers', { waiting: 12, active: 10, tasks: 2 }, 11],
    ['no worker running counts as one', { waiting: 12, active: 0, tasks: 0 }, 12],
    ['a missing gauge gives no datapoint, never zero', { waiting: null, active: 10, tasks: 2 }, null],
  ])('(waiting + active) / MAX([tasks, 1]): %s', (_name, v, expected) => {
    expect(evaluateMetricMath('(waiting + active) / MAX([tasks, 1])', values(v))).toBe(expected);
  });

  test('precedence, unary minus, MIN, and a division by zero that has no result', () => {
    expect(evaluateMetricMath('1000 * a - -b / 2', values({ a: 0.5, b: 4 }))).toBe(502);
    expect(evaluateMetricMath('MIN([a, 3, b])', values({ a: 5, b: 4 }))).toBe(3);
    expect(evaluateMetricMath('a / b', values({ a: 5, b: 0 }))).toBeNull();
  });

  test('what it cannot read fails naming the expression', () => {
    expect(() => evaluateMetricMath('RATE(a)', values({ a: 1 }))).toThrow(/does not know the function RATE/);
    expect(() => evaluateMetricMath('(a + b', values({ a: 1, b: 2 }))).toThrow(/expected "\)"/);
    expect(() => evaluateMetricMath('a b', values({ a: 1, b: 2 }))).toThrow(/unexpected token 2/);
  });

  test("n8n's scale alarm, read from the gauges by their CloudWatch names", () => {
    const alarm = ALERT_CATALOGUE.find((a) => a.name === 'Scale_n8n_queue_high');
    if (!alarm) throw new Error('Scale_n8n_queue_high is not generated');
    const value = alarmSignalValue(alarm.signal, {
      n8n_scaling_mode_queue_jobs_waiting: 30,
      n8n_scaling_mode_queue_jobs_active: 20,
      RunningTaskCount: 2,
    });
    expect(value).toBe(25);
  });
});
