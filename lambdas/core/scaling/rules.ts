import type { ScalingRule } from '../../../lib/config/schema';
import type { Series } from './types';

/**
 * CloudWatch's M-of-N: the rule breaches when at least `datapointsToAlarm` of the last
 * `evaluationPeriods` datapoints breach. A missing datapoint does not breach (and is not zero).
 */
export function ruleBreaches(rule: ScalingRule, series: Series | undefined): boolean {
  if (!series) return false;
  const window = series.slice(-rule.evaluationPeriods);
  const breaching = window.filter((v) => v !== null && compare(v, rule.comparison, rule.threshold)).length;
  return breaching >= rule.datapointsToAlarm;
}

function compare(value: number, comparison: ScalingRule['comparison'], threshold: number): boolean {
  switch (comparison) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}
