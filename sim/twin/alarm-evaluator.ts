/**
 * How a CloudWatch metric alarm evaluates, in the twin, so that the simulator's alarms change state
 * when AWS's would. The rules are the ones the CloudWatch User Guide documents:
 *
 * [EVAL]    "Alarm evaluation", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html
 *           (formerly the "Evaluating an alarm" section of AlarmThatSendsEmail.html);
 * [MISSING] "Configuring how CloudWatch alarms treat missing data",
 *           https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html,
 *           its section "How alarm state is evaluated when data is missing", its two example tables and
 *           "Avoiding premature transitions to alarm state";
 * [MISSING-EARLIER] the earlier revision of that section, still in AlarmThatSendsEmail.md of
 *           github.com/awsdocs/amazon-cloudwatch-user-guide, which has two more table rows
 *           (`- - - - X` and `X - - - -`) and states the OK rule in so many words.
 *
 * What is modelled:
 * - Each period gives one datapoint (or none: missing). A datapoint is breaching when
 *   `value <comparison> threshold` holds ([EVAL]).
 * - ALARM: at least `datapointsToAlarm` (M) of the `evaluationPeriods` (N) datapoints evaluated are
 *   breaching; they need not be consecutive, only within the last N ([EVAL]: "The breaching data
 *   points don't have to be consecutive, but they must all be within the last number of data points
 *   equal to Evaluation Period").
 * - OK: the documented rule is NOT "M of N non-breaching". [MISSING-EARLIER]: "the number of
 *   datapoints evaluated is equal to the value of Evaluation Periods. If fewer than the value of
 *   Datapoints to Alarm are breaching, the alarm state is set to OK. Otherwise, the state is set to
 *   ALARM." So ALARM -> OK takes N - M + 1 non-breaching datapoints of the N. That equals M only when
 *   N = 2M - 1, as in the seed's 2-of-3 rules; for 1 of 3 it takes all 3 non-breaching, for 2 of 4 it
 *   takes 3.
 * - Missing data ([MISSING]): CloudWatch retrieves more datapoints than N, the "evaluation range"
 *   (5 in the documented examples, where N = 3). Then:
 *   1. no real datapoint in the range: `missing` -> INSUFFICIENT_DATA, `ignore` -> keep the current
 *      state, `breaching` -> ALARM, `notBreaching` -> OK (third row of the first table);
 *   2. at least N real datapoints in the range: the N most recent real ones are evaluated, reaching
 *      farther back past missing periods; treatMissingData "is not needed and is ignored";
 *   3. fewer than N real datapoints: all real datapoints of the range are evaluated and the rest of the
 *      N is filled in with the treatment ("CloudWatch uses missing data points only as few times as
 *      possible"): `breaching` fills breaching, `notBreaching` fills non-breaching. `missing` and
 *      `ignore` fill nothing; the tables give their outcomes, which this model reproduces as:
 *      a. at least M real breaching datapoints -> ALARM (enough whatever the fill);
 *      b. otherwise, any real non-breaching datapoint -> OK (rows `0 - - - -`, `0 - X - -`,
 *         `- - - - 0`);
 *      c. otherwise (only breaching real datapoints, fewer than M): "premature alarm state" — when the
 *         oldest breaching datapoint is at least M periods old (counting the most recent as 1), `missing`
 *         goes to ALARM and `ignore` keeps its state (rows `- - X - -` with M = 3, `- - - X -` with
 *         M = 2, `X - - - -`); when it is more recent, the alarm does not go to ALARM: `missing` goes to
 *         INSUFFICIENT_DATA and `ignore` keeps its state (row `- - - - X` of [MISSING-EARLIER]; the
 *         current page says only that it "does not go immediately into ALARM state").
 * - The initial state is INSUFFICIENT_DATA ([EVAL], "The alarm has just started").
 * - Assumptions of the model, not documented rules: the evaluation range is N + 2 datapoints (the
 *   documentation gives only the N = 3 -> 5 example and says the range depends on the period and
 *   resolution); periods before the first observation count as missing (CloudWatch would also look at
 *   data from before the alarm existed); the alarm is evaluated once per observed period.
 */

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';
export type Comparison = '>' | '>=' | '<' | '<=';

export interface AlarmDefinition {
  readonly name: string;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
}

export interface StateChange {
  readonly alarm: string;
  readonly from: AlarmState;
  readonly to: AlarmState;
  readonly time: number;
  readonly reason: string;
}

/** The outcome of one evaluation: a state, or `RETAIN` where the documentation says "Retain current state". */
export interface Evaluation {
  readonly state: AlarmState | 'RETAIN';
  readonly reason: string;
}

const COMPARISONS: readonly Comparison[] = ['>', '>=', '<', '<='];
const TREATMENTS: readonly TreatMissingData[] = ['missing', 'notBreaching', 'breaching', 'ignore'];

const COMPARISON_WORDS: Readonly<Record<Comparison, string>> = {
  '>': 'greater than',
  '>=': 'greater than or equal to',
  '<': 'less than',
  '<=': 'less than or equal to',
};

/** Datapoints the alarm retrieves per evaluation: N + 2 (model assumption, see the file comment). */
export function evaluationRange(definition: Pick<AlarmDefinition, 'evaluationPeriods'>): number {
  return definition.evaluationPeriods + 2;
}

/** Throws an error naming the offending field when `definition` is not a valid alarm. */
export function validateAlarmDefinition(definition: AlarmDefinition): void {
  const label = `alarm ${JSON.stringify(definition.name)}`;
  if (typeof definition.name !== 'string' || definition.name.length === 0)
    throw new Error('alarm name must be a non-empty string');
  if (!COMPARISONS.includes(definition.comparison))
    throw new Error(`${label}: comparison must be one of ${COMPARISONS.join(', ')}`);
  if (typeof definition.threshold !== 'number' || !Number.isFinite(definition.threshold))
    throw new Error(`${label}: threshold must be a finite number`);
  for (const field of ['periodSeconds', 'evaluationPeriods', 'datapointsToAlarm'] as const) {
    const value = definition[field];
    if (!Number.isInteger(value) || value <= 0)
      throw new Error(`${label}: ${field} must be a positive integer (got ${String(value)})`);
  }
  if (definition.datapointsToAlarm > definition.evaluationPeriods)
    throw new Error(
      `${label}: datapointsToAlarm (${definition.datapointsToAlarm}) must not exceed evaluationPeriods (${definition.evaluationPeriods})`,
    );
  if (!TREATMENTS.includes(definition.treatMissingData))
    throw new Error(`${label}: treatMissingData must be one of ${TREATMENTS.join(', ')}`);
}

export function isBreaching(
  definition: Pick<AlarmDefinition, 'comparison' | 'threshold'>,
  value: number,
): boolean {
  switch (definition.comparison) {
    case '>':
      return value > definition.threshold;
    case '>=':
      return value >= definition.threshold;
    case '<':
      return value < definition.threshold;
    case '<=':
      return value <= definition.threshold;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Evaluates one evaluation range: `datapoints` are its periods, oldest first and most recent last
 * (null = missing); fewer than `evaluationRange(definition)` are padded with missing periods in
 * front. Pure; `AlarmEvaluator` applies it once per observed period.
 */
export function evaluateRange(
  definition: AlarmDefinition,
  datapoints: readonly (number | null)[],
): Evaluation {
  const size = evaluationRange(definition);
  if (datapoints.length > size)
    throw new RangeError(
      `evaluation range of ${definition.name} holds ${size} datapoints, got ${datapoints.length}`,
    );
  const range = [...Array<null>(size - datapoints.length).fill(null), ...datapoints];
  const n = definition.evaluationPeriods;
  const m = definition.datapointsToAlarm;
  const words = COMPARISON_WORDS[definition.comparison];
  const threshold = definition.threshold;
  const alarmMinimum = `minimum ${plural(m, 'datapoint')} for OK -> ALARM transition`;
  const okMinimum = `minimum ${plural(n - m + 1, 'datapoint')} for ALARM -> OK transition`;

  const real = range.flatMap((value, index) =>
    value === null ? [] : [{ value, age: size - index, breaching: isBreaching(definition, value) }],
  );

  // 1. Nothing in the evaluation range.
  if (real.length === 0) {
    const all = `all ${size} datapoints of the evaluation range are missing`;
    switch (definition.treatMissingData) {
      case 'missing':
        return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${all}` };
      case 'ignore':
        return { state: 'RETAIN', reason: `${all}; missing data is ignored, the state is kept` };
      case 'breaching':
        return { state: 'ALARM', reason: `${all}, treated as breaching (${alarmMinimum})` };
      case 'notBreaching':
        return { state: 'OK', reason: `${all}, treated as not breaching (${okMinimum})` };
    }
  }

  // 2. Enough real datapoints: the N most recent real ones, whatever the treatment of missing data.
  if (real.length >= n) {
    const evaluated = real.slice(-n);
    const breaching = evaluated.filter((d) => d.breaching).length;
    const values = `[${evaluated.map((d) => d.value).join(', ')}]`;
    return breaching >= m
      ? {
          state: 'ALARM',
          reason: `Threshold Crossed: ${breaching} out of the last ${n} datapoints ${values} ${breaching === 1 ? 'was' : 'were'} ${words} the threshold (${threshold}) (${alarmMinimum})`,
        }
      : {
          state: 'OK',
          reason: `Threshold Crossed: ${n - breaching} out of the last ${n} datapoints ${values} ${n - breaching === 1 ? 'was' : 'were'} not ${words} the threshold (${threshold}) (${okMinimum})`,
        };
  }

  // 3. Fewer than N real datapoints: all of them, plus N - real filled in with the treatment.
  const fill = n - real.length;
  const breaching = real.filter((d) => d.breaching).length;
  const nonBreaching = real.length - breaching;
  const found = `${plural(real.length, 'real datapoint')} in the evaluation range, ${breaching} of them ${words} the threshold (${threshold})`;
  switch (definition.treatMissingData) {
    case 'breaching':
      return breaching + fill >= m
        ? { state: 'ALARM', reason: `${found} and ${fill} missing treated as breaching (${alarmMinimum})` }
        : {
            state: 'OK',
            reason: `${found} and ${fill} missing treated as breaching: fewer than ${m} breaching`,
          };
    case 'notBreaching':
      return breaching >= m
        ? {
            state: 'ALARM',
            reason: `${found} and ${fill} missing treated as not breaching (${alarmMinimum})`,
          }
        : { state: 'OK', reason: `${found} and ${fill} missing treated as not breaching (${okMinimum})` };
    case 'missing':
    case 'ignore': {
      if (breaching >= m)
        return { state: 'ALARM', reason: `${found}: at least ${m} breaching (${alarmMinimum})` };
      if (nonBreaching > 0)
        return {
          state: 'OK',
          reason: `${found}: fewer than ${m} breaching and ${nonBreaching} not breaching`,
        };
      // Only breaching real datapoints, fewer than M: "premature alarm state" logic.
      const oldest = real[0]?.age ?? 0;
      if (oldest >= m)
        return definition.treatMissingData === 'missing'
          ? {
              state: 'ALARM',
              reason: `${found}: the oldest breaching datapoint is ${oldest} periods old (at least ${m}) and no more recent datapoint is not breaching`,
            }
          : { state: 'RETAIN', reason: `${found}; missing data is ignored, the state is kept` };
      return definition.treatMissingData === 'missing'
        ? {
            state: 'INSUFFICIENT_DATA',
            reason: `Insufficient Data: ${found}; the oldest breaching datapoint is only ${oldest} periods old, too recent to alarm on`,
          }
        : { state: 'RETAIN', reason: `${found}; missing data is ignored, the state is kept` };
    }
  }
}

/** One CloudWatch metric alarm, fed one datapoint (or none) per period. */
export class AlarmEvaluator {
  private current: AlarmState = 'INSUFFICIENT_DATA';
  /** The periods of the evaluation range, oldest first, at most `evaluationRange` of them. */
  private readonly range: (number | null)[] = [];
  private lastTime: number | undefined;

  constructor(readonly definition: AlarmDefinition) {
    validateAlarmDefinition(definition);
  }

  get state(): AlarmState {
    return this.current;
  }

  /**
   * Records the datapoint of one period (null = no datapoint) ending at `time` (seconds) and
   * evaluates; returns the state change, if any. Times must advance by whole periods; periods
   * skipped between two calls are recorded as missing (the alarm is evaluated only at `time`).
   */
  observe(time: number, value: number | null): StateChange | undefined {
    const { name, periodSeconds } = this.definition;
    if (!Number.isFinite(time)) throw new Error(`alarm ${name}: time must be a finite number (got ${time})`);
    if (value !== null && !Number.isFinite(value))
      throw new Error(`alarm ${name}: value must be a finite number or null (got ${value})`);
    if (this.lastTime !== undefined) {
      const periods = (time - this.lastTime) / periodSeconds;
      const whole = Math.round(periods);
      if (whole < 1 || Math.abs(periods - whole) > 1e-9)
        throw new Error(
          `alarm ${name}: time ${time} must be a whole number of periods (${periodSeconds} s) after ${this.lastTime}`,
        );
      const size = evaluationRange(this.definition);
      for (let skipped = 0; skipped < Math.min(whole - 1, size); skipped++) this.range.push(null);
    }
    this.range.push(value);
    this.range.splice(0, Math.max(0, this.range.length - evaluationRange(this.definition)));
    this.lastTime = time;

    const { state, reason } = evaluateRange(this.definition, this.range);
    if (state === 'RETAIN' || state === this.current) return undefined;
    const change: StateChange = { alarm: name, from: this.current, to: state, time, reason };
    this.current = state;
    return change;
  }
}
