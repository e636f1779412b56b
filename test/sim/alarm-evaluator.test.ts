import {
  AlarmEvaluator,
  evaluateRange,
  evaluationRange,
  type AlarmDefinition,
  type AlarmState,
  type StateChange,
  type TreatMissingData,
} from '../../sim/twin/alarm-evaluator';
import { COMPONENT_POLICIES } from '../../lib/config/components';
import { ALERT_CATALOGUE } from '../../lib/config/alerts';

const PERIOD = 60;
const THRESHOLD = 50;
/** Datapoint notation of the CloudWatch User Guide: 0 not breaching, X breaching, - missing. */
const VALUE: Readonly<Record<string, number | null>> = { '0': 10, X: 90, '-': null };

function points(notation: string): (number | null)[] {
  return notation
    .trim()
    .split(/\s+/)
    .map((token) => {
      const value = VALUE[token];
      if (value === undefined) throw new Error(`unknown datapoint ${token}`);
      return value;
    });
}

function alarm(over: Partial<AlarmDefinition> = {}): AlarmDefinition {
  return {
    name: 'Test_Alarm',
    comparison: '>',
    threshold: THRESHOLD,
    periodSeconds: PERIOD,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: 'missing',
    ...over,
  };
}

/** Feeds one datapoint per period from time PERIOD on; returns every state change. */
function feed(evaluator: AlarmEvaluator, notation: string, start = PERIOD): StateChange[] {
  return points(notation).flatMap((value, i) => evaluator.observe(start + i * PERIOD, value) ?? []);
}

function stateAfter(over: Partial<AlarmDefinition>, notation: string): AlarmState {
  const evaluator = new AlarmEvaluator(alarm(over));
  feed(evaluator, notation);
  return evaluator.state;
}

describe('AlarmEvaluator: definition', () => {
  test.each<[string, Partial<AlarmDefinition>, RegExp]>([
    [
      'M > N',
      { evaluationPeriods: 3, datapointsToAlarm: 4 },
      /datapointsToAlarm \(4\).*evaluationPeriods \(3\)/,
    ],
    [
      'fractional evaluationPeriods',
      { evaluationPeriods: 2.5 },
      /evaluationPeriods must be a positive integer/,
    ],
    ['zero datapointsToAlarm', { datapointsToAlarm: 0 }, /datapointsToAlarm must be a positive integer/],
    ['negative periodSeconds', { periodSeconds: -60 }, /periodSeconds must be a positive integer/],
    ['NaN threshold', { threshold: Number.NaN }, /threshold must be a finite number/],
    ['unknown comparison', { comparison: '==' as never }, /comparison must be one of/],
    ['unknown treatMissingData', { treatMissingData: 'zero' as never }, /treatMissingData must be one of/],
    ['empty name', { name: '' }, /alarm name/],
  ])('rejects %s, naming the field', (_label, over, message) => {
    expect(() => new AlarmEvaluator(alarm(over))).toThrow(message);
  });

  test('accepts M = N and M = 1', () => {
    expect(() => new AlarmEvaluator(alarm({ evaluationPeriods: 3, datapointsToAlarm: 3 }))).not.toThrow();
    expect(() => new AlarmEvaluator(alarm({ evaluationPeriods: 3, datapointsToAlarm: 1 }))).not.toThrow();
  });

  test('starts in INSUFFICIENT_DATA', () => {
    expect(new AlarmEvaluator(alarm()).state).toBe('INSUFFICIENT_DATA');
  });
});

describe('AlarmEvaluator: comparison operators', () => {
  // A value equal to the threshold breaches >= and <= only.
  test.each<[AlarmDefinition['comparison'], number, AlarmState]>([
    ['>', THRESHOLD, 'OK'],
    ['>', THRESHOLD + 1, 'ALARM'],
    ['>=', THRESHOLD, 'ALARM'],
    ['>=', THRESHOLD - 1, 'OK'],
    ['<', THRESHOLD, 'OK'],
    ['<', THRESHOLD - 1, 'ALARM'],
    ['<=', THRESHOLD, 'ALARM'],
    ['<=', THRESHOLD + 1, 'OK'],
  ])('%s %d against threshold 50 -> %s', (comparison, value, expected) => {
    const evaluator = new AlarmEvaluator(alarm({ comparison, evaluationPeriods: 1, datapointsToAlarm: 1 }));
    evaluator.observe(PERIOD, value);
    expect(evaluator.state).toBe(expected);
  });
});

describe('AlarmEvaluator: M of N (Alarm evaluation page)', () => {
  test('2 of 3: exactly M breaching is ALARM, M - 1 is OK', () => {
    expect(stateAfter({ datapointsToAlarm: 2 }, '0 X X')).toBe('ALARM');
    expect(stateAfter({ datapointsToAlarm: 2 }, '0 0 X')).toBe('OK');
  });

  test('3 of 5: exactly 3 breaching is ALARM, 2 is OK', () => {
    const over = { evaluationPeriods: 5, datapointsToAlarm: 3 };
    expect(stateAfter(over, 'X 0 X 0 X')).toBe('ALARM');
    expect(stateAfter(over, 'X 0 0 0 X')).toBe('OK');
  });

  test('breaching datapoints need not be consecutive, only within the last N', () => {
    // "The breaching data points don't have to be consecutive, but they must all be within the last
    // number of data points equal to Evaluation Period."
    expect(stateAfter({ datapointsToAlarm: 2 }, 'X 0 X')).toBe('ALARM');
    // The first X is 4 periods old: outside the last 3.
    expect(stateAfter({ datapointsToAlarm: 2 }, 'X 0 0 X')).toBe('OK');
  });

  test('3 of 3 needs three consecutive breaching periods', () => {
    expect(stateAfter({ datapointsToAlarm: 3 }, 'X 0 X X')).toBe('OK');
    expect(stateAfter({ datapointsToAlarm: 3 }, 'X 0 X X X')).toBe('ALARM');
  });

  test('the documented figure: threshold crossed in periods 3-5, OK at 6, one breach at 9 keeps OK', () => {
    // Evaluation Periods and Datapoints to Alarm both 3.
    const evaluator = new AlarmEvaluator(alarm());
    const changes = feed(evaluator, '0 0 X X X 0 0 0 X 0');
    expect(changes.map((c) => [c.time / PERIOD, c.to])).toEqual([
      [1, 'OK'],
      [5, 'ALARM'],
      [6, 'OK'],
    ]);
  });

  test('a state change carries the alarm, both states, the period end time and a reason', () => {
    const evaluator = new AlarmEvaluator(alarm({ name: 'Cpu', datapointsToAlarm: 2 }));
    expect(evaluator.observe(600, 90)).toBeUndefined(); // - - - - X: too little to alarm on
    const change = evaluator.observe(660, 95);
    expect(change).toEqual({
      alarm: 'Cpu',
      from: 'INSUFFICIENT_DATA',
      to: 'ALARM',
      time: 660,
      reason: expect.stringContaining('greater than the threshold (50)'),
    });
    expect(evaluator.observe(720, 99)).toBeUndefined(); // still ALARM: no change reported
  });
});

describe('AlarmEvaluator: back to OK', () => {
  // The documented rule: with N datapoints evaluated, "If fewer than the value of Datapoints to Alarm
  // are breaching, the alarm state is set to OK" — so ALARM -> OK takes N - M + 1 non-breaching
  // datapoints, not M of them.
  test('2 of 3: two non-breaching datapoints return it to OK', () => {
    const evaluator = new AlarmEvaluator(alarm({ datapointsToAlarm: 2 }));
    feed(evaluator, 'X X X');
    expect(evaluator.state).toBe('ALARM');
    expect(evaluator.observe(4 * PERIOD, 10)).toBeUndefined(); // X X 0: still 2 breaching
    expect(evaluator.observe(5 * PERIOD, 10)).toMatchObject({ from: 'ALARM', to: 'OK', time: 5 * PERIOD });
  });

  test('1 of 3: it stays in ALARM until all three are non-breaching', () => {
    const evaluator = new AlarmEvaluator(alarm({ datapointsToAlarm: 1 }));
    const changes = feed(evaluator, 'X 0 0 0');
    expect(changes.map((c) => [c.time / PERIOD, c.to])).toEqual([
      [1, 'ALARM'],
      [4, 'OK'],
    ]);
  });

  test('2 of 4: two non-breaching of four are not enough, three are', () => {
    const over = { evaluationPeriods: 4, datapointsToAlarm: 2 };
    expect(stateAfter(over, 'X X 0 0')).toBe('ALARM');
    expect(stateAfter(over, 'X X 0 0 0')).toBe('OK');
  });
});

/*
 * "Configuring how CloudWatch alarms treat missing data", section "How alarm state is evaluated when
 * data is missing" (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html).
 * Evaluation Periods 3, evaluation range 5; most recent datapoint on the right; 0 not breaching,
 * X breaching, - missing.
 *
 * First table: Datapoints to Alarm 3.
 * | Data points | # must be filled | MISSING           | IGNORE               | BREACHING | NOT BREACHING |
 * | 0 - X - X   | 0                | OK                | OK                   | OK        | OK            |
 * | 0 - - - -   | 2                | OK                | OK                   | OK        | OK            |
 * | - - - - -   | 3                | INSUFFICIENT_DATA | Retain current state | ALARM     | OK            |
 * | 0 X X - X   | 0                | ALARM             | ALARM                | ALARM     | ALARM         |
 * | - - X - -   | 2                | ALARM             | Retain current state | ALARM     | OK            |
 *
 * Second table: Datapoints to Alarm 2 (2 out of 3).
 * | Data points | # missing | MISSING | IGNORE               | BREACHING | NOT BREACHING |
 * | 0 - X - X   | 0         | ALARM   | ALARM                | ALARM     | ALARM         |
 * | 0 0 X 0 X   | 0         | ALARM   | ALARM                | ALARM     | ALARM         |
 * | 0 - X - -   | 1         | OK      | OK                   | ALARM     | OK            |
 * | - - - - 0   | 2         | OK      | OK                   | ALARM     | OK            |
 * | - - - X -   | 2         | ALARM   | Retain current state | ALARM     | OK            |
 *
 * Rows of the earlier revision of the same section (AlarmThatSendsEmail.md in
 * awsdocs/amazon-cloudwatch-user-guide), Datapoints to Alarm 3, not in the current tables:
 * | - - - - X   | 4 missing | Insufficient data | Retain current state | ALARM | OK |
 * | X - - - -   | 4 missing | ALARM             | Retain current state | ALARM | OK |
 */
type Cell = AlarmState | 'RETAIN';
interface Row {
  readonly table: string;
  readonly m: number;
  readonly datapoints: string;
  readonly cells: Readonly<Record<TreatMissingData, Cell>>;
}

const row = (table: string, m: number, datapoints: string, cells: [Cell, Cell, Cell, Cell]): Row => ({
  table,
  m,
  datapoints,
  cells: { missing: cells[0], ignore: cells[1], breaching: cells[2], notBreaching: cells[3] },
});

const TABLE_ROWS: readonly Row[] = [
  row('first table', 3, '0 - X - X', ['OK', 'OK', 'OK', 'OK']),
  row('first table', 3, '0 - - - -', ['OK', 'OK', 'OK', 'OK']),
  row('first table', 3, '- - - - -', ['INSUFFICIENT_DATA', 'RETAIN', 'ALARM', 'OK']),
  row('first table', 3, '0 X X - X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']),
  row('first table', 3, '- - X - -', ['ALARM', 'RETAIN', 'ALARM', 'OK']),
  row('second table', 2, '0 - X - X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']),
  row('second table', 2, '0 0 X 0 X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']),
  row('second table', 2, '0 - X - -', ['OK', 'OK', 'ALARM', 'OK']),
  row('second table', 2, '- - - - 0', ['OK', 'OK', 'ALARM', 'OK']),
  row('second table', 2, '- - - X -', ['ALARM', 'RETAIN', 'ALARM', 'OK']),
  row('earlier revision', 3, '- - - - X', ['INSUFFICIENT_DATA', 'RETAIN', 'ALARM', 'OK']),
  row('earlier revision', 3, 'X - - - -', ['ALARM', 'RETAIN', 'ALARM', 'OK']),
];

describe('treatMissingData: the documented tables (alarms-and-missing-data)', () => {
  test('the evaluation range of a 3-period alarm is 5, as in the tables', () => {
    expect(evaluationRange({ evaluationPeriods: 3 })).toBe(5);
  });

  const cases = TABLE_ROWS.flatMap((r) =>
    (Object.keys(r.cells) as TreatMissingData[]).map((treatment) => ({
      ...r,
      treatment,
      cell: r.cells[treatment],
    })),
  );

  test.each(cases)(
    '$table, $m of 3: $datapoints with $treatment -> $cell',
    ({ m, datapoints, treatment, cell }) => {
      expect(
        evaluateRange(alarm({ datapointsToAlarm: m, treatMissingData: treatment }), points(datapoints)).state,
      ).toBe(cell);
    },
  );

  test.each(cases.filter((c) => c.cell === 'RETAIN'))(
    '$table: $datapoints with ignore keeps each prior state through the evaluator',
    ({ m, datapoints }) => {
      // The prefix sets a state and leaves the 5-period range before the row's own datapoints end.
      for (const [prefix, prior] of [
        ['X X X', 'ALARM'],
        ['0 0 0', 'OK'],
      ] as const) {
        const evaluator = new AlarmEvaluator(alarm({ datapointsToAlarm: m, treatMissingData: 'ignore' }));
        feed(evaluator, prefix);
        expect(evaluator.state).toBe(prior);
        const changes = feed(evaluator, datapoints, 4 * PERIOD);
        expect(evaluator.state).toBe(prior);
        expect(changes).toEqual([]);
      }
    },
  );
});

describe('treatMissingData: each mode over time', () => {
  test('missing: all datapoints of the range missing -> INSUFFICIENT_DATA', () => {
    const evaluator = new AlarmEvaluator(alarm({ treatMissingData: 'missing' }));
    feed(evaluator, 'X X X');
    expect(evaluator.state).toBe('ALARM');
    // X X X - - still has 3 real datapoints; X X - - - has 2 breaching only, the oldest 5 periods
    // old (premature-alarm rule keeps ALARM); then the range empties.
    const changes = feed(evaluator, '- - - - -', 4 * PERIOD);
    expect(changes.map((c) => [c.time / PERIOD, c.from, c.to])).toEqual([[8, 'ALARM', 'INSUFFICIENT_DATA']]);
  });

  test('missing: reaches past missing periods for N real datapoints (3 of 5 present, 2 missing)', () => {
    // 0 - X - X: three real datapoints in the range, so the treatment is not needed: 0 X X is 2 of 3.
    expect(stateAfter({ datapointsToAlarm: 2, treatMissingData: 'missing' }, '0 - X - X')).toBe('ALARM');
    expect(stateAfter({ datapointsToAlarm: 3, treatMissingData: 'missing' }, '0 - X - X')).toBe('OK');
  });

  test('missing: a lone recent breach does not alarm prematurely, an older one does', () => {
    // "Avoiding premature transitions to alarm state": - - - - X and - - - X - do not go to ALARM
    // with Datapoints to Alarm 3, - - X - - does.
    const evaluator = new AlarmEvaluator(alarm({ treatMissingData: 'missing' }));
    expect(evaluator.observe(PERIOD, 90)).toBeUndefined();
    expect(evaluator.observe(2 * PERIOD, null)).toBeUndefined();
    expect(evaluator.observe(3 * PERIOD, null)).toMatchObject({ from: 'INSUFFICIENT_DATA', to: 'ALARM' });
  });

  test('breaching: a non-breaching datapoint holds OK until it leaves the evaluation range', () => {
    // Second row of the first table, and the text after it: "The next time this alarm is evaluated,
    // if the data is still missing it will go to ALARM".
    const evaluator = new AlarmEvaluator(alarm({ treatMissingData: 'breaching' }));
    const changes = feed(evaluator, '0 - - - - -');
    expect(changes.map((c) => [c.time / PERIOD, c.to])).toEqual([
      [1, 'OK'],
      [6, 'ALARM'],
    ]);
  });

  test('notBreaching: an alarm whose metric stops goes to OK', () => {
    const evaluator = new AlarmEvaluator(alarm({ treatMissingData: 'notBreaching' }));
    const changes = feed(evaluator, 'X X X - - -');
    // - - - - X: one breaching and two filled non-breaching -> OK; X X X - - keeps 3 real
    // datapoints; X X - - - has 2 real, filled with one non-breaching.
    expect(changes.map((c) => [c.time / PERIOD, c.to])).toEqual([
      [1, 'OK'],
      [3, 'ALARM'],
      [6, 'OK'],
    ]);
  });

  test('ignore: keeps the current state while the range is empty', () => {
    for (const [prefix, prior] of [
      ['X X X', 'ALARM'],
      ['0 0 0', 'OK'],
    ] as const) {
      const evaluator = new AlarmEvaluator(alarm({ treatMissingData: 'ignore' }));
      feed(evaluator, prefix);
      expect(feed(evaluator, '- - - - - - -', 4 * PERIOD)).toEqual([]);
      expect(evaluator.state).toBe(prior);
    }
    const fresh = new AlarmEvaluator(alarm({ treatMissingData: 'ignore' }));
    expect(feed(fresh, '- - -')).toEqual([]);
    expect(fresh.state).toBe('INSUFFICIENT_DATA');
  });
});

describe('AlarmEvaluator: time', () => {
  test('periods skipped between observations count as missing', () => {
    const evaluator = new AlarmEvaluator(alarm({ treatMissingData: 'missing' }));
    feed(evaluator, 'X X X');
    expect(evaluator.observe(3 * PERIOD + 10 * PERIOD, null)).toMatchObject({
      to: 'INSUFFICIENT_DATA',
      time: 13 * PERIOD,
    });
  });

  test('rejects time that does not advance by whole periods, and non-finite values', () => {
    const evaluator = new AlarmEvaluator(alarm());
    evaluator.observe(PERIOD, 10);
    expect(() => evaluator.observe(PERIOD, 10)).toThrow(/whole number of periods/);
    expect(() => evaluator.observe(PERIOD + 30, 10)).toThrow(/whole number of periods/);
    expect(() => evaluator.observe(2 * PERIOD, Number.NaN)).toThrow(/value must be a finite number/);
  });
});

describe('seed rule: Odoo CPU >= 70, 2 of 3 periods (seed 002, lib/config/components.ts)', () => {
  const rule = COMPONENT_POLICIES.odoo.rules.find((r) => r.id === 'cpu-high');
  const alert = ALERT_CATALOGUE.find((a) => a.name === 'Scale_odoo_cpu_high');
  if (rule === undefined || alert === undefined || alert.signal.type !== 'metric')
    throw new Error('the Odoo cpu-high rule or its scale alarm is missing');
  const definition: AlarmDefinition = {
    name: alert.name,
    comparison: rule.comparison,
    threshold: rule.threshold,
    periodSeconds: rule.periodSeconds,
    evaluationPeriods: rule.evaluationPeriods,
    datapointsToAlarm: rule.datapointsToAlarm,
    treatMissingData: alert.signal.evaluation.treatMissingData,
  };

  test('the configured rule is the seed rule', () => {
    expect(definition).toMatchObject({
      comparison: '>=',
      threshold: 70,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: 'missing',
    });
  });

  test('fires on the second CPU datapoint at or above 70 within three periods', () => {
    const evaluator = new AlarmEvaluator(definition);
    const p = definition.periodSeconds;
    const cpu = [65, 72, 68, 70, 90, 55, 40];
    const changes = cpu.flatMap((value, i) => evaluator.observe((i + 1) * p, value) ?? []);
    // 65 -> OK; 65 72 68 is 1 of 3; 72 68 70 is 2 of 3 (70 counts: >=) -> ALARM;
    // 70 90 55 still 2 of 3; 90 55 40 is 1 of 3 -> OK.
    expect(changes.map((c) => [c.time / p, c.from, c.to])).toEqual([
      [1, 'INSUFFICIENT_DATA', 'OK'],
      [4, 'OK', 'ALARM'],
      [7, 'ALARM', 'OK'],
    ]);
    expect(changes[1]?.reason).toContain('2 out of the last 3 datapoints [72, 68, 70]');
  });

  test('69.9 does not breach, so one datapoint at 70 is not enough', () => {
    const evaluator = new AlarmEvaluator(definition);
    const p = definition.periodSeconds;
    [69.9, 70, 69.9, 69.9].forEach((value, i) => evaluator.observe((i + 1) * p, value));
    expect(evaluator.state).toBe('OK');
  });
});
