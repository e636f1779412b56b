import type { AlertInfrastructure } from './alerts';
import { FORECAST_METRICS, FORECAST_NAMESPACE } from './forecast-metrics';

export { PREDICTIVE_DISK_ALERT_NAME, PREDICTIVE_DISK_RUNTIME_ALERT } from './forecast-alert-runtime';

/**
 * Seed 004's predictive disk alert (Alert Thresholds > Predictive Alerts), as the two halves the
 * catalogue is composed of: the runtime entry (./forecast-alert-runtime.ts, for SEED_ALERTS in
 * lib/config/alert-runtime.ts) and the alarm below (for ALERT_INFRASTRUCTURE in lib/config/alerts.ts).
 * Raised by the disk forecast function (lambdas/disk-forecast), which publishes every run how many
 * disks it predicts full within 7 days.
 *
 * The alarm: any disk predicted full in the hour's run. A missed run leaves the alarm as it was
 * (`ignore`): a forecast that stopped neither raises nor clears the alert; the forecast construct's
 * own alarms (no run for 3 hours, a disk it could not forecast) and the watcher's function-error
 * alarm say that the forecast itself is broken.
 */
export const PREDICTIVE_DISK_INFRASTRUCTURE: AlertInfrastructure = {
  signal: {
    type: 'metric',
    metric: {
      namespace: FORECAST_NAMESPACE,
      metricName: FORECAST_METRICS.predictedFull,
      dimensions: {},
      statistic: 'Maximum',
    },
    comparison: '>=',
    threshold: 1,
    evaluation: {
      periodSeconds: 3600,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'ignore',
    },
  },
  source: 'seed 004 Alert Thresholds: Predictive Alerts',
};
