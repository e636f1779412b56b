import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { EDGE_METRICS } from '../../config/edge-blocking-metrics';
import { FORECAST_METRICS, FORECAST_NAMESPACE } from '../../config/forecast-metrics';
import { PROBE_METRICS, PROBE_TARGETS } from '../../config/probes';
import { TICKETING_METRICS } from '../../config/ticketing-names';
import { FIVE_MINUTES, GRID, HOUR, MINUTE } from './dashboard-grid';

/**
 * The control plane's integrations with the world outside its workflows, one graph each, from the
 * metrics their functions publish: the ticket system (steps that gave up after their retries), the
 * edge blocks (addresses blocked, detector runs that failed), the health probes (the share of
 * probes that passed, per target and per agent's AZ: the quorum's three observers) and the disk
 * forecast (disks it says fill within its window, disks it could not forecast, runs). Counts are
 * drawn per 5 minutes, the probes per minute (their quorum alarm's period) and the forecast per
 * hour (one run an hour); the alarms themselves are in the open-incidents widget.
 */
export function integrationWidgets(probeZones: readonly string[]): cloudwatch.GraphWidget[] {
  const metric = (
    namespace: string,
    metricName: string,
    statistic: string,
    label: string,
    period = FIVE_MINUTES,
    dimensionsMap?: Record<string, string>,
  ) => new cloudwatch.Metric({ namespace, metricName, statistic, label, period, dimensionsMap });
  const counts = { min: 0, showUnits: false };
  return [
    new cloudwatch.GraphWidget({
      title: 'Tickets: steps that gave up after their retries',
      width: GRID.quarter,
      left: [metric(TICKETING_METRICS.namespace, TICKETING_METRICS.failures, 'Sum', 'failures')],
      leftYAxis: counts,
    }),
    new cloudwatch.GraphWidget({
      title: 'Edge blocks: addresses blocked, detector failures',
      width: GRID.quarter,
      left: [metric(EDGE_METRICS.namespace, EDGE_METRICS.blocks, 'Sum', 'blocked')],
      right: [metric(EDGE_METRICS.namespace, EDGE_METRICS.failures, 'Sum', 'detector failures')],
      leftYAxis: counts,
      rightYAxis: counts,
    }),
    new cloudwatch.GraphWidget({
      title: 'Health probes: share passed, per target and agent AZ',
      width: GRID.quarter,
      left: PROBE_TARGETS.flatMap((target) =>
        probeZones.map((zone) =>
          metric(PROBE_METRICS.namespace, PROBE_METRICS.success, 'Average', `${target} ${zone}`, MINUTE, {
            Target: target,
            AvailabilityZone: zone,
          }),
        ),
      ),
      leftYAxis: { min: 0, max: 1, showUnits: false },
    }),
    new cloudwatch.GraphWidget({
      title: 'Disk forecast: disks filling within the window, not forecast, runs',
      width: GRID.quarter,
      left: [
        metric(FORECAST_NAMESPACE, FORECAST_METRICS.predictedFull, 'Maximum', 'filling', HOUR),
        metric(FORECAST_NAMESPACE, FORECAST_METRICS.notForecast, 'Maximum', 'not forecast', HOUR),
      ],
      right: [metric(FORECAST_NAMESPACE, FORECAST_METRICS.runs, 'Sum', 'runs', HOUR)],
      leftYAxis: counts,
      rightYAxis: counts,
    }),
  ];
}
