import {
  BURN_RATE_WINDOWS,
  ERROR_BUDGET,
  MIN_REQUESTS_PER_MINUTE,
  type BurnRateWindow,
} from '../../../lib/config/slo';

/**
 * The availability SLI of Odoo and its burn rates, as the SLO alarms compute them in CloudWatch
 * (lib/config/probes-alerts.ts holds the same formula as metric math; the tests hold the two to
 * the same answers). The SLI is the worse of the request ratio and the probe ratio
 * (lib/config/slo.ts says why). One minute of signal:
 * - requests / errors: the ALB's requests to Odoo's target group and the 5xx its targets answered;
 * - probes / probesOk: probes of Odoo made by the three AZ agents, and those that succeeded.
 */
export interface MinuteSignal {
  readonly requests: number;
  readonly errors: number;
  readonly probes: number;
  readonly probesOk: number;
}

/** A window's sums and its length. */
export interface WindowSignal extends MinuteSignal {
  readonly minutes: number;
}

/** The share of bad events over a window: the worse of the request and the probe ratios. */
export function errorRatio(s: WindowSignal): number {
  const requestRatio = s.errors / Math.max(s.requests, MIN_REQUESTS_PER_MINUTE * s.minutes);
  const probeRatio = (s.probes - s.probesOk) / Math.max(s.probes, 1);
  return Math.max(requestRatio, probeRatio);
}

/** How many times faster than the budget allows errors arrive (1 = the budget lasts exactly the month). */
export function burnRate(s: WindowSignal): number {
  return errorRatio(s) / ERROR_BUDGET;
}

/** The sums over the `minutes` minutes ending with index `end` (inclusive); missing minutes count as none. */
export function windowSum(series: readonly MinuteSignal[], end: number, minutes: number): WindowSignal {
  const from = Math.max(0, end - minutes + 1);
  const sum = { requests: 0, errors: 0, probes: 0, probesOk: 0, minutes };
  for (let i = from; i <= end && i < series.length; i++) {
    const m = series[i] as MinuteSignal;
    sum.requests += m.requests;
    sum.errors += m.errors;
    sum.probes += m.probes;
    sum.probesOk += m.probesOk;
  }
  return sum;
}

export interface BurnVerdict {
  readonly window: BurnRateWindow['name'];
  readonly severity: BurnRateWindow['severity'];
  readonly longBurn: number;
  readonly shortBurn: number;
  /** Both windows above the factor: the composite alarm is in ALARM. */
  readonly fires: boolean;
}

/** Every burn-rate alert's verdict at minute `end` of a one-minute series. */
export function burnVerdicts(
  series: readonly MinuteSignal[],
  end: number,
  windows: readonly BurnRateWindow[] = BURN_RATE_WINDOWS,
): BurnVerdict[] {
  return windows.map((w) => {
    const longBurn = burnRate(windowSum(series, end, w.longMinutes));
    const shortBurn = burnRate(windowSum(series, end, w.shortMinutes));
    return {
      window: w.name,
      severity: w.severity,
      longBurn,
      shortBurn,
      fires: longBurn > w.factor && shortBurn > w.factor,
    };
  });
}

/** The share of the window's error budget the series has spent (1 = all of it: the SLO is missed). */
export function budgetSpent(series: readonly MinuteSignal[]): number {
  const total = windowSum(series, series.length - 1, series.length);
  return errorRatio(total) / ERROR_BUDGET;
}

/** Availability over the series: 1 - error ratio. */
export function availability(series: readonly MinuteSignal[]): number {
  return 1 - errorRatio(windowSum(series, series.length - 1, series.length));
}
