import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ControlPlaneFunction } from '../control-plane-function';
import { GRID, TAIL_PERCENTILE, WATCHER_PERIOD } from './dashboard-grid';

/** A function's name on the dashboard: its construct path below the stack (Escalation/escalation-notify). */
export function functionLabel(fn: ControlPlaneFunction): string {
  return fn.node.path.split('/').slice(1).join('/');
}

/**
 * One graph per function: how long it runs (p99 and the slowest; its timeout is in the title, not
 * drawn, as a line that far up would flatten the durations) and how often it fails or is throttled,
 * at the period the watcher alarms over: any point above zero is an alarm.
 */
export function functionWidgets(functions: readonly ControlPlaneFunction[]): cloudwatch.GraphWidget[] {
  return functions.map((fn) => {
    const f = fn.function;
    const at = (statistic: string, label: string) => ({ period: WATCHER_PERIOD, statistic, label });
    const timeout = f.timeout ? ` (timeout ${f.timeout.toSeconds()} s)` : '';
    return new cloudwatch.GraphWidget({
      title: `λ ${functionLabel(fn)}${timeout}`,
      width: GRID.quarter,
      left: [
        f.metricDuration(at(TAIL_PERCENTILE, `duration ${TAIL_PERCENTILE} (ms)`)),
        f.metricDuration(at('Maximum', 'duration max (ms)')),
      ],
      right: [f.metricErrors(at('Sum', 'errors')), f.metricThrottles(at('Sum', 'throttles'))],
      leftYAxis: { min: 0, label: 'ms', showUnits: false },
      rightYAxis: { min: 0, showUnits: false },
    });
  });
}
