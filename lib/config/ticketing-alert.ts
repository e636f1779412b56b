import type { AlertInfrastructure } from './alerts';
import { TICKETING_METRICS } from './ticketing-names';

/**
 * The alarm of Ticketing_Integration_Failing (its runtime half: lib/config/ticketing-alert-runtime.ts).
 * Any ticket step that gave up in 5 minutes. Each datapoint is already a lasting failure (the
 * step retried for about a minute first); no datapoint is no failure (`notBreaching`): the metric
 * is published only when something fails, so the alert clears 5 minutes after the last one.
 */
export const TICKETING_ALERT_INFRASTRUCTURE: AlertInfrastructure = {
  signal: {
    type: 'metric',
    metric: {
      namespace: TICKETING_METRICS.namespace,
      metricName: TICKETING_METRICS.failures,
      dimensions: {},
      statistic: 'Sum',
    },
    comparison: '>=',
    threshold: 1,
    evaluation: {
      periodSeconds: 300,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
    },
  },
  source: 'seed 004 Ticketing Integration (the integration failing: issue 19)',
};
