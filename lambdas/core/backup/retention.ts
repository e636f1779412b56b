/**
 * Each backup plan against the environment's (lib/config backup), read from GetBackupPlan's Rules as
 * AWS returns them: catches a schedule or a retention changed outside the stacks.
 * - The plan of the database and the images must keep a continuous-backup rule: their RPO rests on
 *   point-in-time recovery.
 * - The filestore's plan must keep a rule that runs at least every `everyMinutes`: EFS has no
 *   continuous backup, so its objective rests on that schedule.
 * - Retention: continuous rules keep point-in-time recovery for `continuousRetentionDays`, rules
 *   that run more than once a day their points for `frequentRetentionDays`, the others for
 *   `dailyRetentionDays`; a rule without a lifecycle keeps them for ever.
 */

export interface PlanRequirement {
  /** Names the plan in a problem: "the backup plan of the filestore". */
  readonly label: string;
  readonly continuous: boolean;
  /** The interval (minutes) a scheduled rule must meet; null when the plan need not have one. */
  readonly everyMinutes: number | null;
}

export interface RetentionRequirement {
  readonly continuousRetentionDays: number;
  readonly dailyRetentionDays: number;
  readonly frequentRetentionDays: number;
}

const DAY_MINUTES = 1440;

export function planProblems(
  rules: ReadonlyArray<Record<string, unknown>>,
  plan: PlanRequirement,
  retention: RetentionRequirement,
): string[] {
  const problems: string[] = [];
  const name = `the backup plan of the ${plan.label}`;
  if (plan.continuous && !rules.some((r) => r.EnableContinuousBackup === true))
    problems.push(`${name} has no continuous-backup rule: point-in-time recovery is off`);
  if (plan.everyMinutes !== null) {
    const every = plan.everyMinutes;
    const intervals = rules
      .filter((r) => r.EnableContinuousBackup !== true)
      .map((r) => scheduleIntervalMinutes(r.ScheduleExpression));
    if (!intervals.some((m) => m !== null && m <= every))
      problems.push(`${name} has no rule that runs at least every ${every} minutes: its RPO cannot be met`);
  }
  for (const rule of rules) {
    const continuous = rule.EnableContinuousBackup === true;
    const interval = scheduleIntervalMinutes(rule.ScheduleExpression);
    const days = (rule.Lifecycle as { DeleteAfterDays?: unknown } | undefined)?.DeleteAfterDays;
    const needed = continuous
      ? retention.continuousRetentionDays
      : interval !== null && interval < DAY_MINUTES
        ? retention.frequentRetentionDays
        : retention.dailyRetentionDays;
    if (typeof days === 'number' && days < needed)
      problems.push(
        `${name}: rule ${String(rule.RuleName ?? '?')} keeps recovery points ${days} days, ${needed} required`,
      );
  }
  return problems;
}

/**
 * How often an AWS Backup schedule runs, in minutes: `cron(M H dom mon dow year)` (the form AWS
 * Backup takes and returns) or `rate(N unit)`. A schedule that fixes the hour runs at most daily
 * (1440); null when the expression is not one of these.
 */
export function scheduleIntervalMinutes(expression: unknown): number | null {
  if (typeof expression !== 'string') return null;
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2] ?? '';
    return unit.startsWith('minute') ? n : unit.startsWith('hour') ? n * 60 : n * DAY_MINUTES;
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  const fields = cron?.[1]?.trim().split(/\s+/);
  if (!fields || fields.length !== 6) return null;
  const [minute = '', hour = ''] = fields;
  const minuteStep = stepOf(minute, 60);
  const hourStep = stepOf(hour, 24);
  if (hourStep === null) return DAY_MINUTES;
  // Every hourStep hours, at one minute of the hour (or every minuteStep minutes within it).
  return minuteStep !== null && hourStep === 1 ? minuteStep : hourStep * 60;
}

/** The step of a cron field that repeats (`*`, `*\/N`, `A/N`, `A,B,C`); null when it names one value. */
function stepOf(field: string, range: number): number | null {
  if (field === '*') return 1;
  const step = /^(?:\*|\d+)\/(\d+)$/.exec(field);
  if (step) return Number(step[1]);
  if (field.includes(',')) {
    const values = field
      .split(',')
      .map(Number)
      .filter((n) => Number.isInteger(n))
      .sort((a, b) => a - b);
    if (values.length < 2) return null;
    const gaps = values.map((v, i) => ((values[(i + 1) % values.length] ?? v) - v + range) % range || range);
    return Math.min(...gaps);
  }
  return null;
}
